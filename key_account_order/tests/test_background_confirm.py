# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import KeyAccountOrderCommon


@tagged("post_install", "-at_install")
class TestBackgroundConfirm(KeyAccountOrderCommon):
    """Orders over many recipients are confirmed by a job, as the user who
    asked, and the result (or the reason of a refusal) lands on the order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.key_account_background_threshold = 4
        cls.cron = cls.env.ref("key_account_order.ir_cron_key_account_confirm")

    def _triggers(self):
        return self.env["ir.cron.trigger"].search_count(
            [("cron_id", "=", self.cron.id)]
        )

    def _run_job(self):
        self.env["sale.order"]._cron_key_account_confirm(auto_commit=False)

    def test_small_order_confirmed_at_once(self):
        order = self._create_order([1, 2, 1], user_id=self.ka_user.id)
        order.with_user(self.ka_user).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.key_account_confirm_state)
        self.assertEqual(len(order.picking_ids), 3)

    def test_large_order_confirmed_by_the_job(self):
        order = self._create_order([1] * 5, user_id=self.ka_user.id)
        triggers = self._triggers()
        action = order.with_user(self.ka_user).action_confirm()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.picking_ids)
        self.assertEqual(order.key_account_confirm_state, "queued")
        self.assertEqual(order.key_account_confirm_user_id, self.ka_user)
        self.assertEqual(self._triggers(), triggers + 1)
        with self.assertRaisesRegex(UserError, "already queued"):
            order.with_user(self.ka_user).action_confirm()

        self._run_job()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.key_account_confirm_state)
        self.assertEqual(len(order.picking_ids), 5)
        self.assertEqual(set(order.picking_ids.mapped("state")), {"assigned"})
        self.assertIn("confirmed in the background", order.message_ids[0].body)
        self.assertEqual(order.message_ids[0].partner_ids, self.ka_user.partner_id)

    def test_refused_confirmation_reported(self):
        order = self._create_order([1] * 5, user_id=self.ka_user.id)
        order.with_user(self.ka_user).action_confirm()
        # The order changes while it waits: its allocations no longer add up.
        order.key_account_allocation_ids[0].quantity = 3
        self._run_job()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.picking_ids)
        self.assertEqual(order.key_account_confirm_state, "failed")
        self.assertIn("must add up", order.key_account_confirm_error)
        activity = order.activity_ids
        self.assertEqual(activity.user_id, self.ka_user)
        self.assertIn("must add up", activity.note)

        # Corrected and confirmed again: queued again, then confirmed.
        order.order_line.product_uom_qty = 7
        order.with_user(self.ka_user).action_confirm()
        self.assertEqual(order.key_account_confirm_state, "queued")
        self._run_job()
        self.assertEqual(order.state, "sale")
        self.assertEqual(len(order.picking_ids), 5)

    def test_checks_before_queueing(self):
        """What can be checked at once is: nothing is queued for nothing."""
        order = self._create_order([1] * 5, user_id=self.ka_user.id)
        order.order_line.product_uom_qty = 4
        with self.assertRaisesRegex(UserError, "must add up"):
            order.with_user(self.ka_user).action_confirm()
        self.assertFalse(order.key_account_confirm_state)

    def test_threshold_zero_confirms_at_once(self):
        self.company.key_account_background_threshold = 0
        order = self._create_order([1] * 5, user_id=self.ka_user.id)
        order.with_user(self.ka_user).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(len(order.picking_ids), 5)

    def test_cancelled_order_leaves_the_queue(self):
        order = self._create_order([1] * 5, user_id=self.ka_user.id)
        order.with_user(self.ka_user).action_confirm()
        order.with_user(self.ka_user)._action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertFalse(order.key_account_confirm_state)
        self._run_job()
        self.assertEqual(order.state, "cancel")
        self.assertFalse(order.key_account_confirm_state)
        self.assertFalse(order.activity_ids)
