# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import format_date, formatLang

from odoo.addons.key_account_base.models.key_account_guard_mixin import NOT_ON_CREATE


class KeyAccountStatementLine(models.Model):
    _name = "key.account.statement.line"
    _description = "Key Account Statement Line"
    _inherit = "key.account.guard.mixin"
    _order = "statement_id, sequence, id"

    statement_id = fields.Many2one(
        "key.account.statement",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="statement_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="statement_id.currency_id")
    sequence = fields.Integer(readonly=True)
    move_line_id = fields.Many2one(
        "account.move.line",
        string="Journal Item",
        readonly=True,
        ondelete="set null",
        help="The posted receivable journal item this line shows (none on the "
        "line of late postings in confirmed periods).",
    )
    move_id = fields.Many2one(
        "account.move", string="Document", readonly=True, ondelete="set null"
    )
    date = fields.Date(readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    ref = fields.Char(string="Reference", readonly=True)
    line_type = fields.Selection(
        selection=[
            ("invoice", "Invoice"),
            ("credit_note", "Credit Note"),
            ("payment", "Payment"),
            ("prior_period", "Late Postings in Confirmed Periods"),
        ],
        string="Type",
        readonly=True,
    )
    debit = fields.Monetary(readonly=True)
    credit = fields.Monetary(readonly=True)
    balance = fields.Monetary(
        readonly=True, help="Running balance of the customer after this item."
    )
    disputed = fields.Boolean(
        readonly=True, help="The customer disputes this line of the statement."
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Statement lines come from the ledger: regenerate or correct "
                    "the statement instead."
                )
            )
        return super().create(vals_list)

    @api.model
    def _key_account_guarded_fields(self):
        # The guard mixin's check in write (key_account_base): a line comes
        # from the ledger, every field of it.
        return dict.fromkeys(self._fields, NOT_ON_CREATE)

    def _key_account_guard_error(self, names):
        return AccessError(
            self.env._(
                "Lines of statement %(statement)s come from the ledger: a "
                "customer's dispute is recorded with Customer Disputed, a "
                "correction with Correct.",
                statement=", ".join(self.statement_id.mapped("name")),
            )
        )

    def _dispute_label(self):
        self.ensure_one()
        return self.env._(
            "%(date)s %(document)s %(ref)s: %(amount)s",
            date=format_date(self.env, self.date),
            document=self.move_id.name or "",
            ref=self.ref
            or (self.line_type == "prior_period" and self._line_type_label())
            or "",
            amount=formatLang(
                self.env, self.debit - self.credit, currency_obj=self.currency_id
            ),
        )

    def _line_type_label(self):
        self.ensure_one()
        return dict(self._fields["line_type"]._description_selection(self.env)).get(
            self.line_type, ""
        )
