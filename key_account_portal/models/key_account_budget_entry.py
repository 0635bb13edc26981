# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Context key of the ledger's own entries (sale_order_approval.py).
BUDGET_LEDGER = "key_account_budget_ledger"


class KeyAccountBudgetEntry(models.Model):
    """An entry of a department budget's ledger: append-only (never edited,
    never deleted), each naming its order. Reserve on submission, release on
    a decision, a rejection or a cancellation, spend on confirmation, return
    for goods sent back or a confirmed order cancelled."""

    _name = "key.account.budget.entry"
    _description = "Department Budget Entry"
    _order = "budget_id, id desc"

    budget_id = fields.Many2one(
        comodel_name="key.account.budget",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    order_id = fields.Many2one(
        comodel_name="sale.order",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    kind = fields.Selection(
        selection=[
            ("reserve", "Reserve"),
            ("release", "Release"),
            ("spend", "Spend"),
            ("return", "Return"),
        ],
        required=True,
        readonly=True,
    )
    amount = fields.Monetary(currency_field="currency_id", required=True, readonly=True)
    currency_id = fields.Many2one(related="budget_id.currency_id")
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    note = fields.Char(readonly=True)

    _sql_constraints = (
        (
            "amount_positive",
            "CHECK(amount >= 0)",
            "A budget entry's amount is positive: its kind gives the direction.",
        ),
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not (self.env.su and self.env.context.get(BUDGET_LEDGER)):
            raise AccessError(
                self.env._(
                    "Budget entries are written by the orders' submission, "
                    "decision, confirmation, cancellation and returns only."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if not vals:
            return super().write(vals)
        raise UserError(
            self.env._(
                "A budget's ledger is append-only: entries are never changed. "
                "The next event of the order adds its own entry."
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if self:
            raise UserError(
                self.env._(
                    "A budget's ledger is append-only: entries are never deleted."
                )
            )
