# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Month-end generation runs a number of queries that does not grow with the
number of customers or of their journal items."""

from datetime import date

from odoo.tests import tagged

from .common_statement import KeyAccountStatementCommon


@tagged("post_install", "-at_install")
class TestStatementScaling(KeyAccountStatementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warmup = cls._create_customer("Warm-up Co")
        cls.customers = [cls._create_customer(f"Scaling Co {i}") for i in range(8)]
        moves = cls.env["account.move"].create(
            [
                cls._invoice_vals(
                    partner, date(2026, 9, 1 + n), 100.0 * (n + 1), due=date(2026, 9, 2)
                )
                for i, partner in enumerate([cls.warmup, *cls.customers])
                # 1, 2, ... 9 invoices: the two runs below differ in both
                # customers and invoices
                for n in range(i + 1)
            ]
        )
        moves.action_post()
        cls._payment(cls.customers[-1], date(2026, 9, 20), 150.0, moves[-1])

    def _count_queries(self, partners):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        statements = self._generate(partners)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before, statements

    def test_queries_do_not_grow_with_customers_or_invoices(self):
        Partner = self.env["res.partner"]
        self._count_queries(self.warmup)
        two, small = self._count_queries(Partner.union(*self.customers[:2]))
        six, large = self._count_queries(Partner.union(*self.customers[2:]))
        self.assertEqual(len(small), 2)
        self.assertEqual(len(large), 6)
        self.assertEqual(len(small.line_ids), 2 + 3)
        self.assertEqual(len(large.line_ids), 4 + 5 + 6 + 7 + 8 + 9 + 1)
        self.assertEqual(
            two, six, f"2 customers: {two} queries, 6 customers: {six} queries"
        )
        for statement in small + large:
            self.assertEqual(
                statement.closing_balance,
                self._ledger_balance(statement.partner_id, self.date_to),
            )
