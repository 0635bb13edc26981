# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import tagged

from .approval_common import KeyAccountApprovalCommon


@tagged("post_install", "-at_install")
class TestPortalApprovalTour(KeyAccountApprovalCommon):
    def _submit_over_budget(self):
        order = self._quotation(10)
        self.assertGreater(order.amount_total, self.budget_a.amount)
        self.start_tour(
            f"/my/key-account/orders/{order.id}",
            "key_account_approval_submit_tour",
            login="ka_portal_a",
        )
        self.env.invalidate_all()
        self.assertEqual(order.key_account_approval_state, "pending")
        self.assertEqual(order.key_account_review_state, "none")
        self.assertAlmostEqual(self._budget_figures()[0], order.amount_total)
        return order

    def test_over_budget_approved_then_in_the_review_pool(self):
        order = self._submit_over_budget()
        self.start_tour(
            "/my/approvals", "key_account_approval_approve_tour", login="ka_approver_a"
        )
        self.env.invalidate_all()
        self.assertEqual(order.key_account_approval_state, "approved")
        self.assertEqual(order.key_account_review_state, "pending")
        self.assertIn(
            order,
            self.env["sale.order"].search(
                [("key_account_review_state", "=", "pending")]
            ),
        )
        self.assertEqual(order.key_account_approval_ids.reason, "同意，预算内调剂")

    def test_rejection_releases_the_budget(self):
        order = self._submit_over_budget()
        self.start_tour(
            "/my/approvals", "key_account_approval_reject_tour", login="ka_approver_a"
        )
        self.env.invalidate_all()
        self.assertEqual(order.key_account_approval_state, "rejected")
        self.assertEqual(self._budget_figures(), (0.0, 0.0, 1000.0))
        self.assertEqual(order.key_account_approval_ids.reason, "超出部门预算")
