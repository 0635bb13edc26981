# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from .credit_common import KeyAccountCreditCommon


@tagged("post_install", "-at_install")
class TestExecutionAtInvoiceRate(KeyAccountCreditCommon):
    """The contract's invoiced and paid figures (the rebate base) count each
    invoice at its own exchange rate, not at today's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.usd = cls.env.ref("base.USD")
        cls.usd.active = True
        cls.invoice_date = cls.today - timedelta(days=40)
        cls.env["res.currency.rate"].create(
            [
                # 1 USD = 7 CNY on the invoice date, 8 CNY today
                {
                    "currency_id": cls.usd.id,
                    "company_id": cls.company.id,
                    "name": cls.invoice_date,
                    "rate": 1 / 7,
                },
                {
                    "currency_id": cls.usd.id,
                    "company_id": cls.company.id,
                    "name": cls.today,
                    "rate": 1 / 8,
                },
            ]
        )

    def _invoice(self, currency, amount, move_type="out_invoice"):
        move = (
            self.env["account.move"]
            .with_company(self.company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": self.customer.id,
                    "journal_id": self.sale_journal.id,
                    "currency_id": currency.id,
                    "invoice_date": self.invoice_date,
                    "key_account_contract_id": self.contract.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "端午礼盒",
                                "quantity": 1,
                                "price_unit": amount,
                                "account_id": self.income.id,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    def test_foreign_invoice_counts_at_its_own_rate(self):
        self.assertEqual(self.contract.currency_id, self.company.currency_id)
        self._invoice(self.usd, 100.0)
        self._invoice(self.company.currency_id, 50.0)
        self._invoice(self.usd, 10.0, move_type="out_refund")
        self.contract.invalidate_recordset(["amount_invoiced", "amount_paid"])
        # 100 USD at 7, plus 50 CNY, minus 10 USD at 7 (not 8: today's rate)
        self.assertAlmostEqual(self.contract.amount_invoiced, 700.0 + 50.0 - 70.0)
        self.assertAlmostEqual(self.contract.amount_paid, 0.0)
