# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The rebate run aggregates the invoices in SQL: its number of queries does
not grow with the number of invoices."""

from datetime import date

from odoo.tests import tagged

from .test_rebate_settlement import RebateCommon


@tagged("post_install", "-at_install")
class TestRebateScaling(RebateCommon):
    @classmethod
    def _contracts_with_invoices(cls, name, count, invoices_each):
        contracts = cls.env["key.account.contract"]
        for index in range(count):
            customer = cls._create_key_account(f"KA Scaling {name} {index}")
            contracts |= cls._rebate_contract(partner=customer, mode="cumulative")
        lines = []
        for contract in contracts:
            for number in range(invoices_each):
                lines.append((contract, date(2025, 1 + number % 12, 10), 900.0))
        moves = cls.env["account.move"]
        for contract in contracts:
            moves |= cls._invoices(
                contract,
                [(day, amount) for c, day, amount in lines if c == contract],
                post=False,
            )
        moves.action_post()
        return contracts

    def _count_run(self, contracts):
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        settlements = self._run(date(2025, 12, 31), contracts)
        return self.env.cr.sql_log_count - before, settlements

    def test_query_count_independent_of_invoices(self):
        warmup = self._contracts_with_invoices("warmup", 3, 1)
        few = self._contracts_with_invoices("few", 3, 1)
        many = self._contracts_with_invoices("many", 3, 24)
        self._count_run(warmup)
        few_queries, few_settlements = self._count_run(few)
        many_queries, many_settlements = self._count_run(many)
        self.assertEqual(len(few_settlements), 12)
        self.assertEqual(len(many_settlements), 12)
        # 24 invoices of 900 a year per contract: 21,600, 2% = 432
        self.assertEqual(sum(many_settlements.mapped("amount_due")), 3 * 432.0)
        self.assertEqual(few_queries, many_queries)
        # recomputing (a second run) is flat as well
        few_again, _settlements = self._count_run(few)
        many_again, _settlements = self._count_run(many)
        self.assertEqual(few_again, many_again)
