# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Issue 8, finding 7: workflow fields of orders and allocations change only
through their methods, whatever a client sends (RPC reaches every field,
context comes from the client)."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import KeyAccountOrderCommon


@tagged("post_install", "-at_install")
class TestOrderAuthority(KeyAccountOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env,
            login="ka_order_salesman",
            name="Own Documents Salesman",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.stock_user = new_test_user(
            cls.env,
            login="ka_order_stock_user",
            groups="stock.group_stock_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.order = cls._create_order([1, 2], user_id=cls.salesman.id)

    def test_salesman_cannot_forge_review_state(self):
        order = self.order.with_user(self.salesman)
        for vals in (
            {"key_account_review_state": "approved"},
            {"key_account_review_state": "pending"},
            {"key_account_review_note": "ok"},
        ):
            with self.assertRaises(AccessError):
                order.write(vals)
        self.assertEqual(self.order.key_account_review_state, "none")

    def test_salesman_cannot_forge_confirmation_queue(self):
        order = self.order.with_user(self.salesman)
        for vals in (
            {"key_account_confirm_state": "queued"},
            {"key_account_confirm_user_id": self.ka_manager.id},
            {"key_account_confirm_error": "x"},
        ):
            with self.assertRaises(AccessError):
                order.write(vals)
        self.assertFalse(self.order.key_account_confirm_state)

    def test_create_cannot_start_in_a_workflow_state(self):
        SaleOrder = self.env["sale.order"].with_user(self.salesman)
        for vals in (
            {"key_account_review_state": "approved"},
            {"key_account_confirm_state": "queued"},
            {"key_account_confirm_user_id": self.ka_manager.id},
        ):
            with self.assertRaises(AccessError):
                SaleOrder.create({"partner_id": self.customer.id, **vals})
        # The defaults a form sends are harmless.
        order = SaleOrder.create(
            {"partner_id": self.customer.id, "key_account_review_state": "none"}
        )
        self.assertEqual(order.key_account_review_state, "none")

    def test_context_keys_switch_no_control_off(self):
        """The former keys are ignored: a pending order is not confirmed
        directly, a large order is still queued."""
        self.order.action_key_account_submit_review()
        order = self.order.with_user(self.salesman).with_context(
            key_account_review_approval=True
        )
        with self.assertRaisesMessage(UserError, "waiting in the review pool"):
            order.action_confirm()
        self.assertEqual(self.order.state, "draft")

        self.company.key_account_background_threshold = 2
        large = self._create_order([1, 1, 1], user_id=self.salesman.id)
        large.with_user(self.salesman).with_context(
            key_account_confirm_now=True
        ).action_confirm()
        self.assertEqual(large.state, "draft")
        self.assertEqual(large.key_account_confirm_state, "queued")

    def test_salesman_cannot_approve_in_review_pool(self):
        self.order.action_key_account_submit_review()
        for user in (self.salesman, self.ka_user):
            with self.assertRaises(AccessError):
                self.order.with_user(user).action_key_account_review_approve()
            with self.assertRaises(AccessError):
                self.order.with_user(user).action_key_account_review_return("no")
        self.assertEqual(self.order.key_account_review_state, "pending")
        approver = new_test_user(
            self.env,
            login="ka_order_approver",
            name="Order Approver",
            groups="key_account_order.key_account_order_group_approver",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.assertFalse(
            approver.has_group("key_account_base.key_account_group_manager")
        )
        self.order.with_user(approver).action_key_account_review_approve()
        self.assertEqual(self.order.key_account_review_state, "approved")
        self.assertEqual(self.order.state, "sale")

    def test_acceptance_changes_only_through_its_methods(self):
        self.order.action_confirm()
        allocation = self.order.key_account_allocation_ids[0]
        self._deliver(allocation.picking_id)
        for user in (self.salesman, self.stock_user):
            for vals in (
                {"acceptance_state": "accepted"},
                {"discrepancy_type": "damage"},
                {"discrepancy_note": "broken"},
            ):
                with self.assertRaises(AccessError):
                    allocation.with_user(user).write(vals)
        self.assertEqual(allocation.acceptance_state, "pending")
        # Through its method, the same users may record it.
        allocation.picking_id.with_user(self.stock_user).action_key_account_accept()
        self.assertEqual(allocation.acceptance_state, "accepted")

    def test_allocation_cannot_be_created_accepted(self):
        with self.assertRaises(AccessError):
            self.env["key.account.allocation"].with_user(self.salesman).create(
                {
                    "order_line_id": self.order.order_line.id,
                    "recipient_id": self.order.key_account_allocation_ids[
                        0
                    ].recipient_id.id,
                    "quantity": 1,
                    "acceptance_state": "accepted",
                }
            )

    def test_cannot_record_acceptance_without_write_access(self):
        """An invoicing user reads allocations but may not record acceptance."""
        self.order.action_confirm()
        allocation = self.order.key_account_allocation_ids[0]
        self._deliver(allocation.picking_id)
        accountant = new_test_user(
            self.env,
            login="ka_order_invoicing",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.assertRaises(AccessError):
            allocation.with_user(accountant)._key_account_accept()
        self.assertEqual(allocation.acceptance_state, "pending")
