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
        """The contract module's own hook steps aside for the pipeline."""
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
