# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""One confirmation pipeline: named steps in a fixed order, each run once."""

from unittest import mock

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import KeyAccountOrderCommon


@tagged("post_install", "-at_install")
class TestOrderPipeline(KeyAccountOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env.user)
        cls.contract = cls.env["key.account.contract"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "date_start": today - relativedelta(days=1),
                "date_end": today + relativedelta(years=1),
            }
        )
        cls.contract.action_confirm()

    def _count_calls(self, method_name):
        SaleOrder = type(self.env["sale.order"])
        return mock.patch.object(
            SaleOrder,
            method_name,
            autospec=True,
            side_effect=getattr(SaleOrder, method_name),
        )

    def test_contract_checked_once(self):
        """The contract is one step of the one pipeline: checked once."""
        order = self._create_order([1, 1])
        self.assertEqual(order.key_account_contract_id, self.contract)
        with self._count_calls("_key_account_check_contract") as check:
            order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(check.call_count, 1)

    def test_steps_run_in_order(self):
        """The review gate comes first, then the allocations, then the
        contract: a pending order is refused by the gate, whatever else is
        wrong with it."""
        order = self._create_order([1, 1])
        order.order_line.product_uom_qty = 5
        order.action_key_account_submit_review()
        with self.assertRaisesMessage(UserError, "waiting in the review pool"):
            order.action_confirm()
        order.action_key_account_review_return("correct the quantities")
        with self.assertRaisesMessage(UserError, "must add up"):
            order.action_confirm()

    def test_every_check_runs_before_queueing(self):
        self.company.key_account_background_threshold = 2
        order = self._create_order([1, 1, 1])
        with (
            self._count_calls("_key_account_confirm_checks") as checks,
            self._count_calls("_key_account_lock_for_confirmation") as lock,
        ):
            order.with_context(queue_job__no_delay=True).action_confirm()
        # Once when queued, once again in the job (here run at once).
        self.assertEqual(checks.call_count, 2)
        self.assertGreaterEqual(lock.call_count, 2)
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.key_account_confirm_state)
        self.assertEqual(len(order.picking_ids), 3)

    def test_one_override_of_action_confirm(self):
        """key_account_contract owns confirmation: no other addon of the
        suite overrides ``action_confirm`` of sale.order; they add steps."""
        owners = {
            cls._module
            for cls in type(self.env["sale.order"]).__mro__
            if "action_confirm" in vars(cls)
            and (getattr(cls, "_module", None) or "").startswith("key_account_")
        }
        self.assertEqual(owners, {"key_account_contract"})

    def test_steps_named_in_order(self):
        names = [
            name for name, *_rest in self.env["sale.order"]._key_account_confirm_steps()
        ]
        expected = ["lock", "review_gate", "allocations", "contract"]
        self.assertEqual([name for name in names if name in expected], expected)
        self.assertEqual(len(names), len(set(names)), "each step once")
        if "credit" in names:  # key_account_settlement installed
            self.assertEqual(names[-1], "credit")

    def test_reasons_without_raising(self):
        """The reasons of every step, nothing raised, nothing changed; the
        review pool's blockers leave out the review gate."""
        order = self._create_order([1, 1])
        order.order_line.product_uom_qty = 5
        order.action_key_account_submit_review()
        self.contract.date_end = fields.Date.context_today(order) - relativedelta(
            days=1
        )
        reasons = order._key_account_confirm_reasons()[order]
        self.assertEqual(len(reasons), 3, reasons)
        self.assertIn("waiting in the review pool", reasons[0])
        self.assertIn("must add up", reasons[1])
        self.assertIn("is not active on", reasons[2])
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.key_account_review_state, "pending")
        blockers = order.key_account_confirm_blockers
        self.assertNotIn("review pool", blockers)
        self.assertIn("must add up", blockers)
        self.assertIn("is not active on", blockers)
        # what the check raises is the first reason
        with self.assertRaisesMessage(UserError, reasons[0]):
            order.action_confirm()

    def test_no_reason_no_blocker(self):
        order = self._create_order([1, 1])
        self.assertEqual(order._key_account_confirm_reasons(), {order: []})
        self.assertFalse(order.key_account_confirm_blockers)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.key_account_confirm_blockers, "quotations only")

    def test_background_marker_is_server_side(self):
        """Only server code sends an order to the background job: the same
        context key from a client (a JSON value) changes nothing."""
        self.company.key_account_background_threshold = 100
        order = self._create_order([1, 1])
        order.with_context(key_account_confirm_in_background=True).action_confirm()
        self.assertEqual(order.state, "sale", "confirmed at once")
        order = self._create_order([1, 1])
        action = order._key_account_with_background_confirmation().action_confirm()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.key_account_confirm_state, "queued")
        self.assertTrue(order.key_account_confirm_job_id, "its job waits")
