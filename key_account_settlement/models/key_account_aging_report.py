# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Receivables aging of the key accounts: a SQL view over the open items of
the receivable accounts (posted, open as of today), one row per journal item.

The open items and their buckets come from ``key.account.customer.balance``
(what a customer owes, at a date): the view reads its open items as of
``CURRENT_DATE`` (the report is always as of today), and ``_get_aging(date)``
reads its figures for any date, so the aging agrees with the statement, the
credit hold, the contract and the reminders.
"""

from collections import defaultdict

from odoo import api, fields, models, tools
from odoo.tools import SQL

from .key_account_customer_balance import BUCKET_NAMES as BUCKETS


class KeyAccountAgingReport(models.Model):
    _name = "key.account.aging.report"
    _description = "Key Account Receivables Aging"
    _auto = False
    _order = "partner_id, date_maturity, id"
    _rec_name = "move_id"
    # flushed before the view is read
    _depends = {  # noqa: RUF012 (the ORM reads it as a dict)
        "account.move.line": [
            "move_id",
            "partner_id",
            "company_id",
            "company_currency_id",
            "account_id",
            "parent_state",
            "reconciled",
            "date",
            "date_maturity",
            "name",
            "debit",
            "credit",
            "balance",
            "amount_residual",
        ],
        "account.partial.reconcile": [
            "debit_move_id",
            "credit_move_id",
            "amount",
            "max_date",
        ],
        "account.account": ["account_type"],
        "res.partner": [
            "commercial_partner_id",
            "user_id",
            "key_account_tier",
            "is_key_account",
        ],
    }

    move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Key Account", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Key Account Manager",
        readonly=True,
        help="Salesperson responsible of the key account.",
    )
    key_account_tier = fields.Selection(
        selection=lambda self: (
            self.env["res.partner"]
            ._fields["key_account_tier"]
            ._description_selection(self.env)
        ),
        string="Tier",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(
        "res.currency",
        string="Company Currency",
        readonly=True,
    )
    date = fields.Date(readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    amount_residual = fields.Monetary(string="Open Amount", readonly=True)
    amount_not_due = fields.Monetary(string="Not Due", readonly=True)
    amount_1_30 = fields.Monetary(string="1-30 Days", readonly=True)
    amount_31_60 = fields.Monetary(string="31-60 Days", readonly=True)
    amount_61_90 = fields.Monetary(string="61-90 Days", readonly=True)
    amount_over_90 = fields.Monetary(string="Over 90 Days", readonly=True)
    # searched through the journal entry (a filter of the report)
    key_account_fapiao_state = fields.Selection(
        related="move_id.key_account_fapiao_state", string="Fapiao Status"
    )

    @api.model
    def _aging_query(self, date):
        """The open receivable items of key accounts with their buckets as of
        ``date`` (an SQL expression of type date): the open items and buckets
        of ``key.account.customer.balance``."""
        balance = self.env["key.account.customer.balance"]
        buckets = balance._bucket_sql(SQL("items.residual"), SQL("items.days_due"))
        return SQL(
            """SELECT items.id AS id,
                      items.move_id AS move_id,
                      p.id AS partner_id,
                      p.user_id AS user_id,
                      p.key_account_tier AS key_account_tier,
                      items.company_id AS company_id,
                      items.currency_id AS currency_id,
                      items.date AS date,
                      items.due_date AS date_maturity,
                      GREATEST(items.days_due, 0) AS days_overdue,
                      items.residual AS amount_residual,
                      %(not_due)s AS amount_not_due,
                      %(b1)s AS amount_1_30,
                      %(b31)s AS amount_31_60,
                      %(b61)s AS amount_61_90,
                      %(b90)s AS amount_over_90
                 FROM (%(items)s) items
                 JOIN res_partner p ON p.id = items.partner_id
                WHERE p.is_key_account""",
            items=balance._items_sql(date, open_only=True),
            not_due=buckets["not_due"],
            b1=buckets["1_30"],
            b31=buckets["31_60"],
            b61=buckets["61_90"],
            b90=buckets["over_90"],
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._aging_query(SQL("CURRENT_DATE")),
            )
        )

    @api.model
    def _get_aging(self, date, partners=None, companies=None):
        """Aging of the key accounts of ``partners`` (default: all) as of
        ``date``, read from ``key.account.customer.balance``: {(partner id,
        company id): {bucket: amount in company currency}}, buckets as in
        ``BUCKETS`` plus "total" (the open amount), for the customers with
        open items. No access rules: callers read what they may show."""
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        if partners is None:
            partners = Partner.search([("is_key_account", "=", True)])
        partners = partners.sudo().commercial_partner_id.filtered("is_key_account")
        balances = self.env["key.account.customer.balance"]._get_balances(
            partners, companies, date, orders=False
        )
        return defaultdict(
            lambda: dict.fromkeys(BUCKETS + ("total",), 0.0),
            {
                key: dict(
                    {bucket: figures[bucket] for bucket in BUCKETS},
                    total=figures["open"],
                )
                for key, figures in balances.items()
                if figures["open_count"]
            },
        )
