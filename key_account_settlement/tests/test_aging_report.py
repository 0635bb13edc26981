# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .credit_common import KeyAccountCreditCommon


@tagged("post_install", "-at_install")
class TestAgingReport(KeyAccountCreditCommon):
    """Aging buckets of the key accounts' open receivables, as of a date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.as_of = date(2026, 3, 31)
        # (amount, due date): not due, 10, 45, 75 and 120 days overdue
        for amount, due in (
            (100.0, date(2026, 4, 10)),
            (200.0, date(2026, 3, 21)),
            (300.0, date(2026, 2, 14)),
            (400.0, date(2026, 1, 15)),
            (500.0, date(2025, 12, 1)),
        ):
            cls._post_invoice(amount, due, invoice_date=due - timedelta(days=30))
        # Not a key account: not in the report.
        cls.other = cls.env["res.partner"].create({"name": "Walk-in Customer"})
        cls.other.with_company(
            cls.company
        ).property_account_receivable_id = cls.receivable
        cls._post_invoice(999.0, date(2026, 1, 1), partner=cls.other)

    def _aging(self, as_of):
        return self.env["key.account.aging.report"]._get_aging(
            as_of, partners=self.customer | self.other
        )

    def test_buckets_at_a_given_date(self):
        aging = self._aging(self.as_of)
        self.assertEqual(
            aging[self.customer.id, self.company.id],
            {
                "not_due": 100.0,
                "1_30": 200.0,
                "31_60": 300.0,
                "61_90": 400.0,
                "over_90": 500.0,
                "total": 1500.0,
            },
        )
        self.assertNotIn((self.other.id, self.company.id), aging)

    def test_buckets_move_with_the_date(self):
        """Thirty days later every item is one bucket older; the first day
        after the due date is day 1."""
        aging = self._aging(self.as_of + timedelta(days=30))
        figures = aging[self.customer.id, self.company.id]
        self.assertEqual(figures["not_due"], 0.0)
        self.assertEqual(figures["1_30"], 100.0)
        self.assertEqual(figures["31_60"], 200.0)
        self.assertEqual(figures["61_90"], 300.0)
        self.assertEqual(figures["over_90"], 900.0)
        boundary = self._aging(date(2026, 4, 10))[self.customer.id, self.company.id]
        self.assertEqual(boundary["not_due"], 100.0, "due today is not overdue")
        boundary = self._aging(date(2026, 4, 11))[self.customer.id, self.company.id]
        self.assertEqual(boundary["not_due"], 0.0)

    def test_paid_items_leave_the_aging(self):
        invoice = self._post_invoice(50.0, date(2026, 3, 1))
        self.assertEqual(
            self._aging(self.as_of)[self.customer.id, self.company.id]["1_30"],
            250.0,
        )
        invoice._reverse_moves(
            [{"date": date(2026, 3, 20), "invoice_date": date(2026, 3, 20)}],
            cancel=True,
        )
        self.assertEqual(
            self._aging(self.as_of)[self.customer.id, self.company.id]["1_30"],
            200.0,
        )

    def test_aging_as_the_account_stood_on_the_date(self):
        """A credit note dated after the date does not change the aging as
        of the date: the reconciliations dated later are undone."""
        invoice = self._post_invoice(50.0, date(2026, 3, 1))
        refund = invoice._reverse_moves(cancel=True)
        self.assertGreater(refund.date, self.as_of)
        aging = self._aging(self.as_of)[self.customer.id, self.company.id]
        self.assertEqual(aging["1_30"], 250.0)
        self.assertEqual(aging["total"], 1550.0)
        today = self._aging(self.today)[self.customer.id, self.company.id]
        self.assertEqual(today["total"], 1500.0)

    def test_report_view_as_of_today(self):
        """The view (as of today) has one row per open item with its key
        account's manager and tier, every amount in exactly one bucket."""
        self.customer.user_id = self.ka_user
        report = self.env["key.account.aging.report"]
        rows = report.search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(rows), 5)
        self.assertEqual(sum(rows.mapped("amount_residual")), 1500.0)
        for row in rows:
            buckets = [
                row.amount_not_due,
                row.amount_1_30,
                row.amount_31_60,
                row.amount_61_90,
                row.amount_over_90,
            ]
            self.assertEqual(sorted(buckets)[:4], [0.0] * 4)
            self.assertEqual(sum(buckets), row.amount_residual)
        self.assertEqual(set(rows.mapped("key_account_tier")), {"a"})
        mine = report.search([("user_id", "=", self.ka_user.id)])
        self.assertEqual(mine, rows)
        groups = report._read_group(
            [("company_id", "=", self.company.id)],
            ["key_account_tier"],
            ["amount_residual:sum"],
        )
        self.assertEqual(groups, [("a", 1500.0)])
        self.assertFalse(report.search([("partner_id", "=", self.other.id)]))

    def test_report_access(self):
        """Accountants and Key Account Managers read it, in their companies
        only; Key Account Users and customers do not."""
        report = self.env["key.account.aging.report"]
        domain = [("partner_id", "=", self.customer.id)]
        self.assertEqual(len(report.with_user(self.ka_manager).search(domain)), 5)
        other_company = self.env["res.company"].create({"name": "KA Other Co"})
        accountant = new_test_user(
            self.env,
            login="ka_aging_accountant",
            groups="account.group_account_invoice",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        self.assertFalse(
            report.with_user(accountant)
            .with_context(allowed_company_ids=other_company.ids)
            .search(domain)
        )
        accountant.company_ids |= self.company
        self.assertEqual(
            len(
                report.with_user(accountant)
                .with_context(allowed_company_ids=self.company.ids)
                .search(domain)
            ),
            5,
        )
        portal = new_test_user(
            self.env,
            login="ka_aging_portal",
            groups="base.group_portal",
            company_id=self.company.id,
        )
        for user in (self.ka_user, portal):
            with self.assertRaises(AccessError):
                report.with_user(user).search(domain)
