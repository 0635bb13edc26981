# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The contract's execution (committed vs ordered, delivered, invoiced, paid,
credit available), aggregated live in SQL: one query per table for all the
contracts of a recordset."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

# credit_available of contracts without credit limit
CREDIT_UNLIMITED = 1e12


class KeyAccountContract(models.Model):
    _inherit = "key.account.contract"

    # Execution (live, aggregated in SQL)
    amount_ordered = fields.Monetary(
        string="Ordered (Untaxed)",
        compute="_compute_execution",
        help="Untaxed amount of confirmed orders.",
    )
    amount_delivered = fields.Monetary(
        string="Delivered (Untaxed)",
        compute="_compute_execution",
        help="Untaxed value of the delivered quantities of confirmed orders.",
    )
    amount_invoiced = fields.Monetary(
        string="Invoiced (Untaxed)",
        compute="_compute_execution",
        help="Untaxed amount of posted customer invoices minus credit notes, at "
        "each invoice's own exchange rate. This is the rebate base.",
    )
    amount_paid = fields.Monetary(
        string="Paid (Tax Included)",
        compute="_compute_execution",
        help="Paid part (tax included) of posted customer invoices minus credit "
        "notes, at each invoice's own exchange rate.",
    )
    amount_remaining = fields.Monetary(
        compute="_compute_execution",
        help="Committed amount not ordered yet.",
    )
    credit_unlimited = fields.Boolean(compute="_compute_execution")
    credit_available = fields.Monetary(
        compute="_compute_execution",
        help="Credit limit minus the ordered and unpaid amount (tax included: "
        "total of confirmed orders minus payments). Contracts without credit "
        "limit have unlimited credit.",
    )

    def _get_execution_amounts(self):
        """Return {contract id: {measure: amount}} for the contracts of ``self``,
        in each contract's currency.

        Three queries for all the contracts (orders, order lines, invoices).
        Orders are summed in their own currency; orders in another currency
        than the contract's are converted at today's rate. Invoices count at
        their own rate: in the contract's currency their own amounts, else
        their amounts in company currency (converted at today's rate only
        when the contract's currency is not the company's either).
        """
        result = defaultdict(lambda: defaultdict(float))
        ids = tuple(self._origin.ids)
        if not ids:
            return result
        self.env["sale.order"].flush_model(
            [
                "key_account_contract_id",
                "state",
                "currency_id",
                "amount_untaxed",
                "amount_total",
            ]
        )
        self.env["sale.order.line"].flush_model(
            ["order_id", "qty_delivered", "price_reduce_taxexcl"]
        )
        self.env["account.move"].flush_model(
            [
                "key_account_contract_id",
                "state",
                "move_type",
                "currency_id",
                "amount_untaxed",
                "amount_total",
                "amount_residual",
                "amount_untaxed_signed",
                "amount_total_signed",
                "amount_residual_signed",
            ]
        )
        # Customer invoices count positive, credit notes negative.
        sign = SQL("CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END")
        # (measures, query): each query returns contract, currency, then one
        # sum per measure; one query per table.
        queries = [
            (
                ("ordered", "ordered_total"),
                SQL(
                    """SELECT key_account_contract_id, currency_id,
                              SUM(amount_untaxed), SUM(amount_total)
                         FROM sale_order
                        WHERE key_account_contract_id IN %s AND state = 'sale'
                     GROUP BY key_account_contract_id, currency_id""",
                    ids,
                ),
            ),
            (
                ("delivered",),
                SQL(
                    """SELECT so.key_account_contract_id, so.currency_id,
                              SUM(sol.qty_delivered * sol.price_reduce_taxexcl)
                         FROM sale_order_line sol
                         JOIN sale_order so ON so.id = sol.order_id
                        WHERE so.key_account_contract_id IN %s
                          AND so.state = 'sale'
                     GROUP BY so.key_account_contract_id, so.currency_id""",
                    ids,
                ),
            ),
            (
                ("invoiced", "paid"),
                # At the invoice's own rate: invoices in the contract's
                # currency count their own amounts, the others their amounts
                # in company currency (converted on their date).
                SQL(
                    """SELECT m.key_account_contract_id,
                              CASE WHEN m.currency_id = c.currency_id
                                   THEN m.currency_id ELSE rc.currency_id END,
                              SUM(CASE WHEN m.currency_id = c.currency_id
                                       THEN %(sign)s * m.amount_untaxed
                                       ELSE m.amount_untaxed_signed END),
                              SUM(CASE WHEN m.currency_id = c.currency_id
                                       THEN %(sign)s
                                            * (m.amount_total - m.amount_residual)
                                       ELSE m.amount_total_signed
                                            - m.amount_residual_signed END)
                         FROM account_move m
                         JOIN key_account_contract c
                           ON c.id = m.key_account_contract_id
                         JOIN res_company rc ON rc.id = m.company_id
                        WHERE m.key_account_contract_id IN %(ids)s
                          AND m.state = 'posted'
                          AND m.move_type IN ('out_invoice', 'out_refund')
                     GROUP BY 1, 2""",
                    sign=sign,
                    ids=ids,
                ),
            ),
        ]
        contracts = self._origin.browse(ids)
        contracts.fetch(["currency_id", "company_id"])
        today = fields.Date.context_today(self)
        for measures, query in queries:
            for contract_id, currency_id, *amounts in self.env.execute_query(query):
                contract = contracts.browse(contract_id)
                currency = self.env["res.currency"].browse(currency_id)
                for measure, amount in zip(measures, amounts, strict=True):
                    amount = amount or 0.0
                    if currency != contract.currency_id:
                        amount = currency._convert(
                            amount,
                            contract.currency_id,
                            contract.company_id,
                            today,
                            round=False,
                        )
                    result[contract_id][measure] += amount
        return result

    @api.depends("committed_amount", "credit_limit")
    def _compute_execution(self):
        amounts = self._get_execution_amounts()
        for contract in self:
            values = amounts[contract._origin.id]
            ordered = values["ordered"]
            paid = values["paid"]
            contract.amount_ordered = ordered
            contract.amount_delivered = values["delivered"]
            contract.amount_invoiced = values["invoiced"]
            contract.amount_paid = paid
            contract.amount_remaining = contract.committed_amount - ordered
            contract.credit_unlimited = not contract.credit_limit
            contract.credit_available = (
                CREDIT_UNLIMITED
                if contract.credit_unlimited
                else contract.credit_limit - (values["ordered_total"] - paid)
            )
