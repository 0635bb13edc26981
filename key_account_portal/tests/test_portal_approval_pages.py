# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo import http
from odoo.tests import tagged

from ..controllers.approval import FLASH_KEY
from ..models.key_account_approval import APPROVAL_FLOW
from ..models.key_account_budget_entry import BUDGET_LEDGER
from .approval_common import KeyAccountApprovalCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestPortalApprovalPages(KeyAccountApprovalCommon):
    def _approval_flash(self):
        session = http.root.session_store.get(self.session.sid)
        messages = session.get(FLASH_KEY) or []
        return messages[-1]["text"] if messages else ""

    def _pending_order(self):
        order = self._quotation(10)
        self._submit(order)
        self.assertEqual(order.key_account_approval_state, "pending")
        return order

    def test_approver_lists_and_approves(self):
        order = self._pending_order()
        step = order.key_account_approval_ids
        self.authenticate("ka_approver_a", "ka_approver_a")
        page = self.url_open("/my/approvals").text
        self.assertIn(order.name, page)
        self.assertIn(f"/my/approvals/{step.id}/decide", page)
        # no CSRF token: refused, nothing decided
        response = self.url_open(
            f"/my/approvals/{step.id}/decide",
            data={"decision": "approve"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(order.key_account_approval_state, "pending")
        response = self._post(
            f"/my/approvals/{step.id}/decide", {"decision": "approve", "reason": "同意"}
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(order.key_account_approval_state, "approved")
        self.assertEqual(order.key_account_review_state, "pending")
        self.assertIn("approved", self._approval_flash())
        self.assertNotIn(
            f'data-order="{order.name}"', self.url_open("/my/approvals").text
        )
        # second click
        self._post(f"/my/approvals/{step.id}/decide", {"decision": "approve"})
        self.assertIn("waits for no approval", self._approval_flash())
        # the order page shows the history
        page = self.url_open(f"/my/key-account/orders/{order.id}").text
        self.assertIn("ka_order_approvals", page)
        self.assertIn("同意", page)

    def test_reject_needs_a_reason_and_releases(self):
        order = self._pending_order()
        step = order.key_account_approval_ids
        self.authenticate("ka_approver_a", "ka_approver_a")
        self._post(f"/my/approvals/{step.id}/decide", {"decision": "reject"})
        self.assertIn("reason", self._approval_flash())
        self.assertEqual(order.key_account_approval_state, "pending")
        self._post(
            f"/my/approvals/{step.id}/decide",
            {"decision": "reject", "reason": "超出部门预算"},
        )
        self.assertEqual(order.key_account_approval_state, "rejected")
        self.assertEqual(self._budget_figures()[0], 0.0)

    def test_buyer_and_other_company_are_refused(self):
        order = self._pending_order()
        step = order.key_account_approval_ids
        self.authenticate("ka_portal_a", "ka_portal_a")
        page = self.url_open("/my/approvals").text
        self.assertIn("does not allow this", page)
        self._post(f"/my/approvals/{step.id}/decide", {"decision": "approve"})
        self.assertEqual(order.key_account_approval_state, "pending")
        self.authenticate("ka_approver_b", "ka_approver_b")
        self.assertNotIn(
            f'data-order="{order.name}"', self.url_open("/my/approvals").text
        )
        self._post(f"/my/approvals/{step.id}/decide", {"decision": "approve"})
        self.assertIn("not one of your company's", self._approval_flash())
        self.assertEqual(order.key_account_approval_state, "pending")
        # an approver of A who is not the step's approver
        self.authenticate("ka_finance_a", "ka_finance_a")
        self.assertNotIn(
            f'data-order="{order.name}"', self.url_open("/my/approvals").text
        )
        self._post(f"/my/approvals/{step.id}/decide", {"decision": "approve"})
        self.assertIn("not by you", self._approval_flash())
        self.assertEqual(order.key_account_approval_state, "pending")

    def test_budget_page_per_role_and_admin_sets_budgets(self):
        order = self._quotation(3)
        self._submit(order)
        budget_2 = self.env["key.account.budget"].create(
            {
                "department_id": self.dept_a2.id,
                "period_type": "year",
                "date_from": self.budget_a.date_from.replace(month=1),
                "amount": 88888.0,
            }
        )
        self.authenticate("ka_portal_a", "ka_portal_a")
        page = self.url_open("/my/budgets").text
        self.assertIn(f'data-budget="{self.budget_a.id}"', page)
        self.assertNotIn(f'data-budget="{budget_2.id}"', page, "another department")
        self.assertNotIn("ka_budget_form", page)
        self._post(
            "/my/budgets/save",
            {"budget_id": str(self.budget_a.id), "amount": "99999"},
        )
        self.assertEqual(self.budget_a.amount, 1000.0, "a buyer sets no budget")
        self.authenticate("ka_finance_a", "ka_finance_a")
        page = self.url_open("/my/budgets").text
        self.assertIn(f'data-budget="{budget_2.id}"', page)
        self.authenticate("ka_org_admin_a", "ka_org_admin_a")
        page = self.url_open("/my/budgets").text
        self.assertIn("ka_budget_form", page)
        self._post(
            "/my/budgets/save",
            {"budget_id": str(self.budget_a.id), "amount": "abc"},
        )
        self.assertEqual(self.budget_a.amount, 1000.0)
        self._post(
            "/my/budgets/save",
            {"budget_id": str(self.budget_a.id), "amount": "2000"},
        )
        self.assertEqual(self.budget_a.amount, 2000.0)
        # B's administrator cannot touch A's budget
        self.authenticate("ka_org_admin_b", "ka_org_admin_b")
        self._post(
            "/my/budgets/save",
            {"budget_id": str(self.budget_a.id), "amount": "1"},
        )
        self.assertEqual(self.budget_a.amount, 2000.0)
        self.assertNotIn(
            f'data-budget="{self.budget_a.id}"', self.url_open("/my/budgets").text
        )


@tagged("post_install", "-at_install")
class TestPortalApprovalQueryCount(KeyAccountApprovalCommon):
    """The approver's list and the budget page read as many queries for 1,000
    orders as for 10."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer_2 = cls._create_contact_user(
            cls.customer_a,
            "ka_buyer_a2",
            "采购员市场部",
            key_account_role_buyer=True,
            key_account_department_id=cls.dept_a2.id,
        )
        cls.budget_2 = cls.env["key.account.budget"].create(
            {
                "department_id": cls.dept_a2.id,
                "period_type": "month",
                "date_from": cls.budget_a.date_from,
                "amount": 1e9,
            }
        )
        orders = (
            cls.env["sale.order"]
            .with_company(cls.company)
            .create(
                [
                    {"partner_id": cls.customer_a.id, "company_id": cls.company.id}
                    for _index in range(1010)
                ]
            )
        )
        small, big = orders[:10], orders[10:]
        for approver, batch, budget in (
            (cls.approver_a, small, cls.budget_a),
            (cls.finance_a, big, cls.budget_2),
        ):
            cls.env["key.account.approval"].sudo().with_context(
                **{APPROVAL_FLOW: True}
            ).create(
                [
                    {
                        "order_id": order.id,
                        "customer_id": cls.customer_a.id,
                        "submission": 1,
                        "step": 1,
                        "name": "部门主管审批",
                        "approver_ids": [(6, 0, approver.partner_id.ids)],
                        "buyer_id": cls.portal_a.partner_id.id,
                        "state": "pending",
                    }
                    for order in batch
                ]
            )
            cls.env["key.account.budget.entry"].sudo().with_context(
                **{BUDGET_LEDGER: True}
            ).create(
                [
                    {
                        "budget_id": budget.id,
                        "order_id": order.id,
                        "kind": kind,
                        "amount": 1.0,
                    }
                    for order in batch
                    for kind in ("reserve", "release", "spend")
                ]
            )

    def _count_queries(self, url):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.env.cr.sql_log_count - before, response.text

    def _measure(self, login, url):
        self.authenticate(login, login)
        self._count_queries(url)  # warm up
        return self._count_queries(url)

    def test_approver_list_flat(self):
        small, text_small = self._measure("ka_approver_a", "/my/approvals")
        big, text_big = self._measure("ka_finance_a", "/my/approvals")
        _logger.info("approvals: %s queries for 10 orders, %s for 1,000", small, big)
        self.assertEqual(text_small.count("o_ka_approval_row"), 10)
        self.assertEqual(text_big.count("o_ka_approval_row"), 20, "one page")
        self.assertEqual(small, big)

    def test_budget_page_flat(self):
        small, text_small = self._measure("ka_portal_a", "/my/budgets")
        big, text_big = self._measure("ka_buyer_a2", "/my/budgets")
        _logger.info("budgets: %s queries for 10 orders, %s for 1,000", small, big)
        self.assertIn("10.00", text_small)  # 10 orders spent 1.00 each
        self.assertIn("1,000.00", text_big)
        self.assertEqual(small, big)
