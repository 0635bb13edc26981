# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Guards in one place: key_account_base's key.account.guard.mixin."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import KeyAccountOrderCommon


@tagged("post_install", "-at_install")
class TestGuardMixin(KeyAccountOrderCommon):
    def test_models_use_the_mixin(self):
        mixin = type(self.env["key.account.guard.mixin"])
        for model in ("sale.order", "key.account.allocation", "key.account.contract"):
            self.assertTrue(issubclass(type(self.env[model]), mixin), model)

    def test_guarded_fields_of_an_order(self):
        SaleOrder = self.env["sale.order"].with_user(self.ka_user)
        self.assertIn(
            "key_account_review_state", SaleOrder._key_account_guarded_fields()
        )
        vals = {"partner_id": self.customer.id, "company_id": self.company.id}
        with self.assertRaisesRegex(AccessError, "change only through the order"):
            SaleOrder.create(dict(vals, key_account_review_state="approved"))
        order = SaleOrder.create(dict(vals, key_account_review_state="none"))
        with self.assertRaisesRegex(AccessError, "change only through the order"):
            order.write({"key_account_review_state": "approved"})
        order._key_account_write_guarded({"key_account_review_state": "pending"})
        self.assertEqual(order.key_account_review_state, "pending")

    def test_guarded_fields_of_an_allocation(self):
        order = self._create_order([1])
        allocation = order.key_account_allocation_ids.with_user(self.ka_user)
        with self.assertRaisesRegex(AccessError, "Record Acceptance"):
            allocation.write({"acceptance_state": "accepted"})

    def test_state_helper(self):
        contract = self.env["key.account.contract"].create(
            {"partner_id": self.customer.id, "company_id": self.company.id}
        )
        with self.assertRaisesRegex(UserError, "not possible for contract"):
            contract._key_account_check_state(("active",), "Termination")
        contract._key_account_check_state(("draft",), "Confirmation")
        self.assertTrue(self.env["sale.order"]._key_account_is_manager(), "superuser")
        self.assertFalse(
            self.env["sale.order"].with_user(self.ka_user)._key_account_is_manager()
        )

    def test_system_fields_of_an_allocation(self):
        Allocation = self.env["key.account.allocation"]
        guarded = Allocation._key_account_guarded_fields()
        for name in ("procurement_group_id", "picking_id", "move_ids", "qty_delivered"):
            self.assertIn(name, guarded)
        self.assertIn("acceptance_state", guarded, "the acceptance fields stay")
        # the delivery engine's links in its own words, first
        error = Allocation._key_account_guard_error(["acceptance_state", "picking_id"])
        self.assertIn("set by the system", str(error))
        self.assertNotIn("Acceptance", str(error))
        error = Allocation._key_account_guard_error(["acceptance_state"])
        self.assertIn("Record Acceptance", str(error))
        allocation = self._create_order([1]).key_account_allocation_ids
        with self.assertRaisesRegex(AccessError, "set by the system"):
            allocation.with_user(self.ka_user).write({"picking_id": False})
        with self.assertRaisesRegex(AccessError, "set by the system"):
            Allocation.with_user(self.ka_user).create(
                {
                    "order_line_id": allocation.order_line_id.id,
                    "recipient_id": allocation.recipient_id.id,
                    "quantity": 1.0,
                    "qty_delivered": 0.0,
                }
            )
