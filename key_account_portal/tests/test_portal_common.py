# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KeyAccountPortalCommon


@tagged("post_install", "-at_install")
class TestPortalRecordRules(KeyAccountPortalCommon):
    """The record rules scope a portal user to his key account."""

    def test_portal_user_reads_own_company_documents_only(self):
        env_a = self.env(user=self.portal_a)
        orders = env_a["sale.order"].search([])
        self.assertIn(self.order_a, orders)
        self.assertNotIn(self.order_b, orders)
        allocations = env_a["key.account.allocation"].search([])
        self.assertEqual(allocations.order_id, self.order_a)
        self.assertEqual(env_a["key.account.contract"].search([]), self.contract_a)
        with self.assertRaises(AccessError):
            self.order_b.with_user(self.portal_a).read(["name"])
        with self.assertRaises(AccessError):
            self.order_b.key_account_allocation_ids.with_user(self.portal_a).read(
                ["quantity"]
            )
        with self.assertRaises(AccessError):
            self.contract_b.with_user(self.portal_a).read(["name"])

    def test_portal_user_writes_nothing_through_the_orm(self):
        allocation = self.order_a.key_account_allocation_ids[0]
        with self.assertRaises(AccessError):
            allocation.with_user(self.portal_a).write({"quantity": 99})
        with self.assertRaises(AccessError):
            self.contract_a.with_user(self.portal_a).write({"discount": 50})

    def test_portal_access_levels(self):
        self.assertEqual(
            self.portal_a.partner_id._key_account_portal_access(), "active"
        )
        self.assertEqual(
            self.portal_c.partner_id._key_account_portal_access(), "inactive"
        )
        self.assertFalse(
            self.env.ref("base.partner_admin")._key_account_portal_access()
        )
