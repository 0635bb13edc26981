# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, new_test_user, tagged

from .common import make_uscc


@tagged("post_install", "-at_install")
class TestKeyAccountUi(HttpCase):
    def _run_tour(self, user, serial):
        partner = self.env["res.partner"].create(
            {
                "name": "KA Tour Customer",
                "is_company": True,
                "is_key_account": True,
                "company_id": user.company_id.id,
                "company_registry": make_uscc(serial),
                "key_account_legal_representative": "赵敏",
                "city": "北京市",
                "key_account_invoice_type": "vat_ordinary",
            }
        )
        self.start_tour(
            "/odoo/action-key_account_base.res_partner_action_key_account",
            "key_account_base_tour",
            login=user.login,
        )
        self.assertEqual(partner.key_account_state, "approved")

    def test_key_account_tour_admin(self):
        self._run_tour(self.env.ref("base.user_admin"), 777000111)

    def test_key_account_tour_manager(self):
        """A Key Account Manager without other rights runs the whole review."""
        manager = new_test_user(
            self.env,
            login="ka_tour_manager",
            groups="base.group_user,key_account_base.key_account_group_manager",
        )
        self._run_tour(manager, 777000222)
