# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class KeyAccountContract(models.Model):
    """The credit terms the confirmation gate applies. Like every term of a
    contract, outside draft only a Key Account Manager changes them: the
    contract guards in ``write`` every field that is not a free field.

    The credit available is what the customer owes as the credit hold counts
    it (``key.account.customer.balance``): every open receivable of the
    customer in the contract's company, not only the invoices of the
    contract's orders, plus its confirmed orders not invoiced yet."""

    _inherit = "key.account.contract"

    credit_overdue_grace_days = fields.Integer(
        string="Overdue Grace (Days)",
        default=0,
        tracking=True,
        help="Orders of the customer are held when one of its invoices is due "
        "for more than this number of days and still unpaid. 0 holds orders as "
        "soon as an invoice is overdue.",
    )

    credit_available = fields.Monetary(
        help="Credit limit minus what the customer owes in the contract's "
        "company: all its open receivables (whatever their contract) and its "
        "confirmed orders not invoiced yet, tax included, in the contract's "
        "currency. The credit hold refuses an order above it. Contracts without "
        "credit limit have unlimited credit.",
    )

    _sql_constraints = (
        (
            "credit_overdue_grace_days_check",
            "CHECK(credit_overdue_grace_days >= 0)",
            "The overdue grace period of a contract cannot be negative.",
        ),
    )

    @api.depends("committed_amount", "credit_limit")
    def _compute_execution(self):
        super()._compute_execution()
        limited = self.filtered("credit_limit")
        if not limited:
            return
        credit = self.env["key.account.customer.balance"]._get_contract_credit(limited)
        for contract in limited:
            figures = credit.get(contract._origin.id)
            if figures:
                contract.credit_available = figures["credit_available"]
