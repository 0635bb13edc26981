# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, tagged

from .common import make_uscc


@tagged("post_install", "-at_install")
class TestKeyAccountUi(HttpCase):
    def test_key_account_tour(self):
        admin = self.env.ref("base.user_admin")
        partner = self.env["res.partner"].create(
            {
                "name": "KA Tour Customer",
                "is_company": True,
                "is_key_account": True,
                "company_id": admin.company_id.id,
                "company_registry": make_uscc(777000111),
                "key_account_legal_representative": "赵敏",
                "city": "北京市",
                "key_account_invoice_type": "vat_ordinary",
            }
        )
        self.start_tour(
            "/odoo/action-key_account_base.res_partner_action_key_account",
            "key_account_base_tour",
            login="admin",
        )
        self.assertEqual(partner.key_account_state, "approved")
