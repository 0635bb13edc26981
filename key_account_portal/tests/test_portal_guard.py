# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The portal submission token of an order is one of the order's guarded
fields (key.account.guard.mixin), refused in the portal's own words."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.key_account_base.tests.common import KeyAccountBaseCommon


@tagged("post_install", "-at_install")
class TestPortalGuard(KeyAccountBaseCommon):
    def test_portal_token_is_guarded(self):
        SaleOrder = self.env["sale.order"]
        guarded = SaleOrder._key_account_guarded_fields()
        self.assertIn("key_account_portal_token", guarded)
        self.assertIn("key_account_review_state", guarded, "the order's own stay")
        error = SaleOrder._key_account_guard_error(
            ["key_account_portal_token", "key_account_review_state"]
        )
        self.assertIsInstance(error, AccessError)
        self.assertIn("set by the portal", str(error))
        error = SaleOrder._key_account_guard_error(["key_account_review_state"])
        self.assertIn("change only through the order", str(error))

    def test_portal_token_refused_to_users(self):
        customer = self.env["res.partner"].create({"name": "KA Guard Customer"})
        SaleOrder = self.env["sale.order"].with_user(self.ka_manager)
        vals = {"partner_id": customer.id, "company_id": self.company.id}
        with self.assertRaisesMessage(AccessError, "set by the portal"):
            SaleOrder.create(dict(vals, key_account_portal_token="t" * 20))
        order = SaleOrder.create(dict(vals, key_account_portal_token=False))
        with self.assertRaisesMessage(AccessError, "set by the portal"):
            order.write({"key_account_portal_token": "t" * 20})
        order.sudo().write({"key_account_portal_token": "t" * 20})
        self.assertEqual(order.key_account_portal_token, "t" * 20)
