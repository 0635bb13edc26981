# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .approval_common import KeyAccountApprovalCommon


@tagged("post_install", "-at_install")
class TestPortalApproval(KeyAccountApprovalCommon):
    # ------------------------------------------------------------------
    # The flow
    # ------------------------------------------------------------------
    def test_within_budget_goes_to_the_review_pool(self):
        order = self._quotation(3)
        self.assertLess(order.amount_total, 1000.0)
        self.assertTrue(self._submit(order))
        self.assertEqual(order.key_account_approval_state, "none")
        self.assertEqual(order.key_account_review_state, "pending")
        self.assertEqual(order.key_account_buyer_id, self.portal_a.partner_id)
        self.assertEqual(order.key_account_department_id, self.dept_a)
        reserved, spent, left = self._budget_figures()
        self.assertAlmostEqual(reserved, order.amount_total)
        self.assertEqual(spent, 0.0)
        self.assertAlmostEqual(left, 1000.0 - order.amount_total)
        self.assertEqual(order.key_account_budget_entry_ids.mapped("kind"), ["reserve"])

    def test_over_budget_waits_for_the_approver_then_reaches_the_pool(self):
        order = self._quotation(10)
        self.assertGreater(order.amount_total, 1000.0)
        self.assertTrue(self._submit(order))
        self.assertEqual(order.key_account_approval_state, "pending")
        self.assertEqual(order.key_account_review_state, "none", "not in the pool")
        step = order.key_account_approval_ids
        self.assertEqual(len(step), 1)
        self.assertEqual(step.state, "pending")
        # the department head approves the built-in budget step
        self.assertEqual(step.approver_ids, self.approver_a.partner_id)
        # approvers are told by mail and in the order's chatter
        request = order.message_ids.filtered(
            lambda m: self.approver_a.partner_id in m.partner_ids
        )
        self.assertTrue(request)
        self.assertIn("/my/approvals", request[0].body)
        # second click: nothing more
        self.assertFalse(self._submit(order))
        self.assertEqual(len(order.key_account_approval_ids), 1)
        self.assertTrue(
            self._as(order, self.approver_a)._key_account_approve(
                self.approver_a.partner_id, "预算内调剂"
            )
        )
        self.assertEqual(order.key_account_approval_state, "approved")
        self.assertEqual(order.key_account_review_state, "pending", "in the pool")
        self.assertEqual(step.state, "approved")
        self.assertEqual(step.decided_by_id, self.approver_a.partner_id)
        self.assertEqual(step.reason, "预算内调剂")
        self.assertTrue(step.date)
        decision = order.message_ids.filtered(
            lambda m: (
                self.portal_a.partner_id in m.partner_ids
                and "was approved" in (m.body or "")
            )
        )
        self.assertTrue(decision, "the buyer is told")
        # a second approval of the same order is refused
        with self.assertRaisesMessage(UserError, "waits for no approval"):
            self._as(order, self.approver_a)._key_account_approve(
                self.approver_a.partner_id
            )

    def test_rejection_releases_the_budget(self):
        order = self._quotation(10)
        self._submit(order)
        self.assertAlmostEqual(self._budget_figures()[0], order.amount_total)
        with self.assertRaisesMessage(UserError, "reason"):
            self._as(order, self.approver_a)._key_account_reject(
                self.approver_a.partner_id, " "
            )
        self._as(order, self.approver_a)._key_account_reject(
            self.approver_a.partner_id, "超出预算"
        )
        self.assertEqual(order.key_account_approval_state, "rejected")
        self.assertEqual(order.key_account_review_state, "none")
        reserved, spent, left = self._budget_figures()
        self.assertEqual((reserved, spent, left), (0.0, 0.0, 1000.0))
        self.assertEqual(
            order.key_account_budget_entry_ids.sorted("id").mapped("kind"),
            ["reserve", "release"],
        )
        self.assertTrue(order.sudo()._key_account_portal_is_editable())
        # resubmitted smaller: a new reservation, straight to the pool
        order.sudo()._key_account_portal_set_lines({order.order_line.id: "10"})
        order.key_account_allocation_ids.sudo().quantity = 2
        order.sudo()._key_account_portal_set_lines({order.order_line.id: "2"})
        self._submit(order)
        self.assertEqual(order.key_account_review_state, "pending")
        self.assertEqual(order.key_account_approval_ids.mapped("state"), ["rejected"])
        self.assertAlmostEqual(self._budget_figures()[0], order.amount_total)

    def test_confirmation_spends_and_cancellation_gives_back(self):
        order = self._quotation(3)
        self._submit(order)
        order.with_user(self.ka_manager).action_key_account_review_approve()
        self.assertEqual(order.state, "sale")
        reserved, spent, _left = self._budget_figures()
        self.assertEqual(reserved, 0.0)
        self.assertAlmostEqual(spent, order.amount_total)
        self.assertEqual(
            order.key_account_budget_entry_ids.sorted("id").mapped("kind"),
            ["reserve", "release", "spend"],
        )
        order._action_cancel()
        reserved, spent, left = self._budget_figures()
        self.assertEqual((reserved, spent, left), (0.0, 0.0, 1000.0))
        self.assertEqual(
            order.key_account_budget_entry_ids.sorted("id").mapped("kind"),
            ["reserve", "release", "spend", "return"],
        )

    def test_cancelling_a_pending_order_supersedes_and_releases(self):
        order = self._quotation(10)
        self._submit(order)
        order._action_cancel()
        self.assertEqual(order.key_account_approval_ids.state, "superseded")
        self.assertEqual(order.key_account_approval_state, "none")
        self.assertEqual(self._budget_figures()[0], 0.0)
        # the history stays: never deleted
        with self.assertRaisesMessage(UserError, "never deleted"):
            order.key_account_approval_ids.sudo().unlink()

    def test_return_gives_the_budget_back(self):
        order = self._quotation(3)
        self._submit(order)
        order.with_user(self.ka_manager).action_key_account_review_approve()
        self._deliver(order.picking_ids)
        spent_before = self._budget_figures()[1]
        picking = order.picking_ids
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.write({"quantity": 1, "to_refund": True})
        action = wizard.action_create_returns()
        returned = self.env["stock.picking"].browse(action["res_id"])
        self._deliver(returned)
        spent_after = self._budget_figures()[1]
        self.assertAlmostEqual(spent_before - spent_after, order.amount_total / 3)
        order.invalidate_recordset(["key_account_budget_entry_ids"])
        self.assertEqual(
            order.key_account_budget_entry_ids.sorted("id")[-1:].kind, "return"
        )

    # ------------------------------------------------------------------
    # Rules, steps, fixed approvers
    # ------------------------------------------------------------------
    def test_multi_step_in_order_and_fixed_at_submission(self):
        self._rule("部门主管审批", 10, approver_type="department_head")
        self._rule(
            "财务审批（大额）",
            20,
            approver_type="contacts",
            amount_above=300.0,
            approver_ids=self._set_partners(self.finance_a.partner_id),
        )
        self._rule("永不适用", 30, amount_above=100000.0)
        order = self._quotation(3)
        self._submit(order)
        steps = order.key_account_approval_ids.sorted("step")
        self.assertEqual(steps.mapped("name"), ["部门主管审批", "财务审批（大额）"])
        self.assertEqual(steps.mapped("state"), ["pending", "waiting"])
        # finance cannot jump the department head
        with self.assertRaisesMessage(AccessError, "not by you"):
            self._as(order, self.finance_a)._key_account_approve(
                self.finance_a.partner_id
            )
        # the rules change: the order keeps its approvers
        self.env["key.account.approval.rule"].search(
            [("customer_id", "=", self.customer_a.id)]
        ).write({"approver_type": "any"})
        self.assertFalse(
            self._as(order, self.approver_a)._key_account_approve(
                self.approver_a.partner_id
            )
        )
        self.assertEqual(steps.mapped("state"), ["approved", "pending"])
        self.assertEqual(steps[1].approver_ids, self.finance_a.partner_id)
        with self.assertRaisesMessage(AccessError, "not by you"):
            self._as(order, self.approver_a)._key_account_approve(
                self.approver_a.partner_id
            )
        self.assertTrue(
            self._as(order, self.finance_a)._key_account_approve(
                self.finance_a.partner_id
            )
        )
        self.assertEqual(order.key_account_review_state, "pending")

    def test_rule_conditions(self):
        self.budget_a.amount = 1e6
        rule = self._rule("指定产品", product_ids=self._set_partners(self.product_a))
        order = self._quotation(3)
        self._submit(order)
        self.assertEqual(order.key_account_approval_state, "none", "other product")
        rule.write({"product_ids": [Command.set(self.product.ids)]})
        order2 = self._quotation(3)
        self._submit(order2)
        self.assertEqual(order2.key_account_approval_state, "pending")
        rule.write({"product_ids": [Command.clear()], "recipients_above": 1})
        order3 = self._quotation(3)
        self._submit(order3)
        self.assertEqual(order3.key_account_approval_state, "none", "one recipient")
        rule.write({"recipients_above": 0, "over_buyer_limit": True})
        self.portal_a.partner_id.key_account_order_limit = 100.0
        order4 = self._quotation(3)
        self._submit(order4)
        self.assertEqual(order4.key_account_approval_state, "pending", "over limit")
        rule.department_ids = self.dept_a2
        self.assertFalse(
            rule._key_account_holds(
                order4._key_account_approval_facts(
                    self.portal_a.partner_id, self.dept_a, False
                )
            )
        )

    def test_no_approver_for_a_step_is_refused_with_the_fix(self):
        self.approver_a.partner_id.key_account_portal_disabled = True
        self.finance_a.partner_id.key_account_role_approver = False
        order = self._quotation(10)
        with self.assertRaisesMessage(UserError, "administrator"):
            self._submit(order)
        self.assertEqual(order.key_account_approval_state, "none")

    # ------------------------------------------------------------------
    # Who may do what
    # ------------------------------------------------------------------
    def test_buyer_cannot_approve_and_others_are_refused(self):
        order = self._quotation(10)
        self._submit(order)
        with self.assertRaisesMessage(AccessError, "Only the approvers"):
            self._as(order, self.portal_a)._key_account_approve(
                self.portal_a.partner_id
            )
        # B's approver: not A's order
        with self.assertRaises(AccessError):
            self._as(order, self.approver_b)._key_account_approve(
                self.approver_b.partner_id
            )
        # a partner other than the signed-in user
        with self.assertRaises(AccessError):
            self._as(order, self.portal_a)._key_account_approve(
                self.approver_a.partner_id
            )
        # a disabled approver at once
        self.approver_a.partner_id.key_account_portal_disabled = True
        with self.assertRaises(AccessError):
            self._as(order, self.approver_a)._key_account_approve(
                self.approver_a.partner_id
            )
        self.assertEqual(order.key_account_approval_state, "pending")

    def test_approver_orders_only_when_allowed_and_never_approves_own(self):
        order = self._quotation(10)
        with self.assertRaises(AccessError):
            self._submit(order, self.approver_a)
        self.approver_a.partner_id.key_account_role_buyer = True
        with self.assertRaises(AccessError):
            self._submit(order, self.approver_a)
        self.assertFalse(order.key_account_budget_entry_ids)
        # the model's own check, whatever calls it
        with self.assertRaisesMessage(AccessError, "approvers do not order"):
            order.sudo()._key_account_approval_check_buyer(self.approver_a.partner_id)
        self.customer_a.key_account_approver_may_buy = True
        self.approver_a.partner_id.key_account_department_id = self.dept_a
        self._submit(order, self.approver_a)
        step = order.key_account_approval_ids
        self.assertNotIn(self.approver_a.partner_id, step.approver_ids)
        self.assertIn(self.finance_a.partner_id, step.approver_ids)
        with self.assertRaisesMessage(AccessError, "another approver"):
            self._as(order, self.approver_a)._key_account_approve(
                self.approver_a.partner_id
            )

    def test_without_administrator_nothing_waits(self):
        contacts = self.env["res.partner"].search(
            [("commercial_partner_id", "=", self.customer_a.id)]
        )
        contacts.write(
            {
                "key_account_role_admin": False,
                "key_account_role_buyer": False,
                "key_account_role_approver": False,
                "key_account_role_finance": False,
            }
        )
        order = self._quotation(10)
        self._submit(order)
        self.assertEqual(order.key_account_approval_state, "none")
        self.assertEqual(order.key_account_review_state, "pending")

    def test_budget_required(self):
        self.customer_a.key_account_budget_required = True
        self.portal_a.partner_id.key_account_department_id = self.dept_a2
        order = self._quotation(1)
        with self.assertRaisesMessage(UserError, "市场部 has no budget"):
            self._submit(order)
        self.assertFalse(order.key_account_budget_entry_ids)
        self.customer_a.key_account_budget_required = False
        self._submit(order)
        self.assertEqual(order.key_account_review_state, "pending")

    # ------------------------------------------------------------------
    # Locked while pending; a change after approval needs approval again
    # ------------------------------------------------------------------
    def test_locked_while_pending(self):
        order = self._quotation(10)
        self._submit(order)
        with self.assertRaisesMessage(UserError, "cannot be changed any more"):
            order.sudo()._key_account_portal_set_lines({order.order_line.id: "11"})
        with self.assertRaisesMessage(UserError, "waits for the customer's approval"):
            order.order_line.with_user(self.ka_manager).write({"product_uom_qty": 11})
        with self.assertRaisesMessage(UserError, "waits for the customer's approval"):
            order.key_account_allocation_ids.with_user(self.ka_manager).write(
                {"quantity": 9}
            )
        with self.assertRaisesMessage(UserError, "waits for the customer's approval"):
            order.with_user(self.ka_manager).write(
                {"order_line": [Command.create({"product_id": self.product_a.id})]}
            )
        # the review pool cannot take it meanwhile
        with self.assertRaises(UserError):
            order.with_user(self.ka_manager).action_confirm()
        self.assertEqual(order.order_line.product_uom_qty, 10)

    def test_change_after_approval_needs_approval_again(self):
        """OCA sale-workflow#1087: approving, then changing a line, must not
        keep the approval."""
        order = self._quotation(10)
        self._submit(order)
        self._as(order, self.approver_a)._key_account_approve(
            self.approver_a.partner_id
        )
        self.assertEqual(order.key_account_review_state, "pending")
        # over RPC, in the review pool: a salesman raises the price
        order.order_line.with_user(self.ka_manager).write({"price_unit": 500.0})
        self.assertEqual(order.key_account_approval_state, "none")
        with self.assertRaisesMessage(UserError, "approves it again"):
            order.with_user(self.ka_manager).action_key_account_review_approve()
        self.assertEqual(order.state, "draft")
        # sent back to the customer, changed in the portal, submitted again:
        # approved again from the start
        order.with_user(self.ka_manager).action_key_account_review_return("改价")
        self._submit(order)
        self.assertEqual(order.key_account_approval_state, "pending")
        self.assertEqual(
            order.key_account_approval_ids.sorted("id").mapped("submission"), [1, 2]
        )

    def test_portal_change_after_approval_needs_approval_again(self):
        order = self._quotation(10)
        self._submit(order)
        self._as(order, self.approver_a)._key_account_approve(
            self.approver_a.partner_id
        )
        order.with_user(self.ka_manager).action_key_account_review_return("数量")
        # unchanged and submitted again: the approval holds
        self._submit(order)
        self.assertEqual(order.key_account_approval_state, "approved")
        order.with_user(self.ka_manager).action_key_account_review_return("数量")
        order.sudo()._key_account_portal_set_lines({order.order_line.id: "12"})
        self.assertEqual(order.key_account_approval_state, "none")
        self._submit(order)
        self.assertEqual(order.key_account_approval_state, "pending")

    def test_copy_and_reorder_need_approval_again(self):
        order = self._quotation(10)
        self._submit(order)
        self._as(order, self.approver_a)._key_account_approve(
            self.approver_a.partner_id
        )
        copy = order.copy()
        self.assertEqual(copy.key_account_approval_state, "none")
        self.assertFalse(copy.key_account_approval_required)
        self.assertFalse(copy.key_account_approval_ids)
        self.assertFalse(copy.key_account_budget_entry_ids)
        reorder, _created, _left = order.sudo()._key_account_portal_reorder(
            self.contract_a, "tok-approval-reorder-0001", buyer=self.portal_a.partner_id
        )
        self.assertEqual(reorder.key_account_approval_state, "none")
        self._submit(reorder)
        self.assertEqual(reorder.key_account_approval_state, "pending")

    # ------------------------------------------------------------------
    # Guards
    # ------------------------------------------------------------------
    def test_rpc_cannot_write_the_approval(self):
        order = self._quotation(10)
        self._submit(order)
        for vals in (
            {"key_account_approval_state": "approved"},
            {"key_account_approval_required": False},
            {"key_account_buyer_id": self.approver_a.partner_id.id},
        ):
            with self.assertRaises(AccessError):
                order.with_user(self.ka_manager).write(vals)
        step = order.key_account_approval_ids
        with self.assertRaises(AccessError):
            step.with_user(self.ka_manager).write({"state": "approved"})
        with self.assertRaises(AccessError):
            step.sudo().write({"state": "approved"})
        with self.assertRaises(AccessError):
            self.env["key.account.approval"].with_user(self.ka_manager).create(
                {
                    "order_id": order.id,
                    "customer_id": self.customer_a.id,
                    "submission": 9,
                    "step": 1,
                    "name": "forged",
                }
            )
        entry = order.key_account_budget_entry_ids
        with self.assertRaisesMessage(UserError, "append-only"):
            entry.sudo().write({"amount": 1.0})
        with self.assertRaisesMessage(UserError, "append-only"):
            entry.sudo().unlink()
        with self.assertRaises(AccessError):
            self.env["key.account.budget.entry"].sudo().create(
                {
                    "budget_id": self.budget_a.id,
                    "order_id": order.id,
                    "kind": "release",
                    "amount": 1.0,
                }
            )
        # the portal user reads nothing of B and changes no budget
        with self.assertRaises(AccessError):
            self.budget_a.with_user(self.portal_a).write({"amount": 1e9})
        budget_b = self.env["key.account.budget"].search(
            [("customer_id", "=", self.customer_b.id)]
        )
        self.assertFalse(
            self.env["key.account.budget"]
            .with_user(self.portal_b)
            .search([("id", "=", self.budget_a.id)])
        )
        self.assertFalse(budget_b)
        # a salesman without key-account rights changes no budget or rule
        self.assertEqual(self.budget_a.amount, 1000.0)
