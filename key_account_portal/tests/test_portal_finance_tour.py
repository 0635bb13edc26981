# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import tagged

from .test_portal_finance import PortalFinanceCommon


@tagged("post_install", "-at_install")
class TestPortalFinanceTour(PortalFinanceCommon):
    """Tour: finance opens receivables and rebate progress (the fixtures of
    PortalFinanceCommon: 10,000 open, 3,000 overdue, credit 100,000 less the
    900 of a confirmed order not invoiced)."""

    def test_finance_tour(self):
        credit = self.env["key.account.customer.balance"]._get_contract_credit(
            self.contract_a
        )[self.contract_a.id]
        self.assertAlmostEqual(credit["credit_available"], 89100.0)
        self.start_tour("/my", "key_account_finance_tour", login="ka_portal_a")
