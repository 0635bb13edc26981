# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Receivables aging of the key accounts: a SQL view over the open items of
the receivable accounts (posted, not reconciled), one row per journal item.

The buckets are computed by one query built by ``_aging_query(date)``: the
view uses it with ``CURRENT_DATE`` (the report is always as of today), and
``_get_aging(date)`` runs the same query for any date (tests at fixed dates,
a reminder or a statement as of a given day), so both share one definition.
"""

from collections import defaultdict

from odoo import api, fields, models, tools
from odoo.tools import SQL

BUCKETS = ("not_due", "1_30", "31_60", "61_90", "over_90")


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
            "amount_residual",
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

    @api.model
    def _aging_query(self, date):
        """The open receivable items of key accounts with their buckets as of
        ``date`` (an SQL expression of type date)."""
        days = SQL("(%s - COALESCE(aml.date_maturity, aml.date))", date)

        def bucket(condition):
            return SQL(
                "CASE WHEN %s THEN aml.amount_residual ELSE 0 END",
                condition,
            )

        return SQL(
            """SELECT aml.id AS id,
                      aml.move_id AS move_id,
                      p.id AS partner_id,
                      p.user_id AS user_id,
                      p.key_account_tier AS key_account_tier,
                      aml.company_id AS company_id,
                      aml.company_currency_id AS currency_id,
                      aml.date AS date,
                      COALESCE(aml.date_maturity, aml.date) AS date_maturity,
                      GREATEST(%(days)s, 0) AS days_overdue,
                      aml.amount_residual AS amount_residual,
                      %(not_due)s AS amount_not_due,
                      %(b1)s AS amount_1_30,
                      %(b31)s AS amount_31_60,
                      %(b61)s AS amount_61_90,
                      %(b90)s AS amount_over_90
                 FROM account_move_line aml
                 JOIN account_account acc ON acc.id = aml.account_id
                 JOIN res_partner line_partner ON line_partner.id = aml.partner_id
                 JOIN res_partner p ON p.id = line_partner.commercial_partner_id
                WHERE acc.account_type = 'asset_receivable'
                  AND aml.parent_state = 'posted'
                  AND NOT aml.reconciled
                  AND p.is_key_account""",
            days=days,
            not_due=bucket(SQL("%s <= 0", days)),
            b1=bucket(SQL("%s BETWEEN 1 AND 30", days)),
            b31=bucket(SQL("%s BETWEEN 31 AND 60", days)),
            b61=bucket(SQL("%s BETWEEN 61 AND 90", days)),
            b90=bucket(SQL("%s > 90", days)),
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
        """Aging as of ``date``, one query: {(partner id, company id):
        {bucket: amount in company currency}}, buckets as in ``BUCKETS``
        plus "total". No access rules: callers read what they may show."""
        self.env["account.move.line"].flush_model()
        self.env["res.partner"].flush_model(
            ["commercial_partner_id", "is_key_account", "user_id", "key_account_tier"]
        )
        conditions = [SQL("TRUE")]
        if partners is not None:
            conditions.append(
                SQL("aging.partner_id IN %s", tuple(partners.ids) or (0,))
            )
        if companies is not None:
            conditions.append(
                SQL("aging.company_id IN %s", tuple(companies.ids) or (0,))
            )
        rows = self.env.execute_query(
            SQL(
                """SELECT aging.partner_id, aging.company_id,
                          SUM(aging.amount_not_due), SUM(aging.amount_1_30),
                          SUM(aging.amount_31_60), SUM(aging.amount_61_90),
                          SUM(aging.amount_over_90), SUM(aging.amount_residual)
                     FROM (%s) aging
                    WHERE %s
                 GROUP BY aging.partner_id, aging.company_id""",
                self._aging_query(SQL("%s::date", fields.Date.to_date(date))),
                SQL(" AND ").join(conditions),
            )
        )
        result = defaultdict(lambda: dict.fromkeys(BUCKETS + ("total",), 0.0))
        for partner_id, company_id, *amounts in rows:
            result[partner_id, company_id] = dict(
                zip(BUCKETS + ("total",), amounts, strict=True)
            )
        return result
