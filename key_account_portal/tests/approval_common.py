# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, fields

from .test_portal_ordering import KeyAccountPortalOrderingCommon


class KeyAccountApprovalCommon(KeyAccountPortalOrderingCommon):
    """A's organisation set up: an administrator, the buyer ``portal_a``
    (department 行政部, whose head is the approver ``approver_a``), a second
    approver in finance ``finance_a``; a monthly budget of 1,000 for 行政部
    this month. B has an approver too (``approver_b``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Department = cls.env["key.account.department"]
        cls.dept_a = Department.create(
            {"name": "行政部", "customer_id": cls.customer_a.id}
        )
        cls.dept_a2 = Department.create(
            {"name": "市场部", "customer_id": cls.customer_a.id}
        )
        cls.admin_a = cls._create_contact_user(
            cls.customer_a, "ka_org_admin_a", "管理员甲", key_account_role_admin=True
        )
        cls.approver_a = cls._create_contact_user(
            cls.customer_a,
            "ka_approver_a",
            "部门主管甲",
            key_account_role_approver=True,
        )
        cls.finance_a = cls._create_contact_user(
            cls.customer_a,
            "ka_finance_a",
            "财务甲",
            key_account_role_approver=True,
            key_account_role_finance=True,
        )
        cls.portal_a.partner_id.write(
            {
                "key_account_role_buyer": True,
                "key_account_department_id": cls.dept_a.id,
            }
        )
        cls.dept_a.head_id = cls.approver_a.partner_id
        cls._create_contact_user(
            cls.customer_b, "ka_org_admin_b", "管理员乙", key_account_role_admin=True
        )
        cls.approver_b = cls._create_contact_user(
            cls.customer_b, "ka_approver_b", "审批人乙", key_account_role_approver=True
        )
        today = fields.Date.context_today(cls.env.user)
        cls.budget_a = cls.env["key.account.budget"].create(
            {
                "department_id": cls.dept_a.id,
                "period_type": "month",
                "date_from": today.replace(day=1),
                "amount": 1000.0,
                "currency_id": cls.company.currency_id.id,
            }
        )

    @classmethod
    def _create_contact_user(cls, customer, login, name, **roles):
        user = cls._create_portal_user(customer, login, name)
        user.partner_id.write(roles)
        return user

    def _quotation(self, quantity=3, start=None):
        """A quotation of A for ``quantity`` gift boxes to one recipient."""
        self._quotation_serial = getattr(self, "_quotation_serial", 0) + 1
        start = start or 2000 + 10 * self._quotation_serial
        return self._create_portal_order(
            self.customer_a, [quantity], start=start, confirm=False
        )

    def _submit(self, order, user=None):
        user = user or self.portal_a
        return order.with_user(user).sudo()._key_account_portal_submit()

    def _as(self, order, user):
        return order.with_user(user).sudo()

    def _rule(self, name, sequence=10, **vals):
        return self.env["key.account.approval.rule"].create(
            dict(
                {"name": name, "sequence": sequence, "customer_id": self.customer_a.id},
                **vals,
            )
        )

    def _budget_figures(self, budget=None):
        budget = budget or self.budget_a
        budget.invalidate_recordset(["reserved", "spent", "left"])
        return budget.reserved, budget.spent, budget.left

    @staticmethod
    def _set_partners(records):
        return [Command.set(records.ids)]
