# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Customer balance: what a customer owes, at a date, in one place.

Every figure of what a customer owes is computed here, in SQL, for a set of
customers (commercial entities, their contacts' items included) and
companies, as of a date:

* the **ledger balance**: the balance of the customer's posted journal items
  on receivable accounts dated up to the date (what the statement closes on);
* the **open amount**: what remained unreconciled of those items on that
  date (the residual of each item, with the reconciliations dated after the
  date undone: ``account.partial.reconcile.max_date``, as Odoo's aged
  receivable does). It equals the ledger balance unless an item was
  reconciled with another customer's;
* the **overdue amount**: the open amount of the items owed (positive open
  amount) and due (``date_maturity``, else the item's date) before the date,
  or before the date minus a grace period; the **oldest due date** of an
  item still owed;
* the **aging buckets** of the open amount: not due, 1-30, 31-60, 61-90 and
  over 90 days past due;
* **confirmed orders not invoiced yet** (tax included, per order currency):
  what the customer will owe for what it has ordered;
* the **exposure** (open amount + orders not invoiced) and, for a contract,
  the **credit available** against its credit limit, in the contract's
  currency.

Ledger amounts are in each company's currency (the journal items' balance
and residual): an invoice in another currency counts at its own rate, as in
the ledger; orders and a contract in another currency are converted at the
date's rate.

The contract's credit available, the credit hold, statements, the aging
report and the overdue reminders (and the portal, through the contract) read
these figures: they agree by construction. The queries do not depend on the
number of customers (one query for the ledger figures, one for the orders).
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL, create_index

from odoo.addons.key_account_contract.models.key_account_contract_execution import (
    CREDIT_UNLIMITED,
)

# aging buckets: (name, lowest and highest days past due, None = unbounded)
BUCKETS = (
    ("not_due", None, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("over_90", 91, None),
)
BUCKET_NAMES = tuple(name for name, _low, _high in BUCKETS)


class KeyAccountCustomerBalance(models.AbstractModel):
    _name = "key.account.customer.balance"
    _description = "Customer Balance (what a customer owes)"

    def init(self):
        # The figures at a date undo the reconciliations dated after it: an
        # index finds them without reading every reconciliation.
        create_index(
            self.env.cr,
            "key_account_partial_reconcile_max_date_index",
            "account_partial_reconcile",
            ["max_date"],
        )

    # ------------------------------------------------------------------
    # SQL building blocks (read by the statement and the aging report)
    # ------------------------------------------------------------------
    @api.model
    def _date_sql(self, date):
        """``date`` (a date, a string or an SQL expression) as SQL."""
        if isinstance(date, SQL):
            return date
        return SQL("%s::date", fields.Date.to_date(date))

    @api.model
    def _later_reconciliations_sql(self, date):
        """Per journal item, the amount its reconciliations dated after
        ``date`` took off its residual (positive for the debit side): adding
        it back gives the residual as of ``date``."""
        return SQL(
            """SELECT later.line_id, SUM(later.amount) AS amount
                 FROM (SELECT apr.debit_move_id AS line_id, apr.amount
                         FROM account_partial_reconcile apr
                        WHERE apr.max_date > %(date)s
                       UNION ALL
                       SELECT apr.credit_move_id, -apr.amount
                         FROM account_partial_reconcile apr
                        WHERE apr.max_date > %(date)s) later
             GROUP BY later.line_id""",
            date=date,
        )

    @api.model
    def _items_sql(
        self,
        date,
        partners=None,
        companies=None,
        date_from=None,
        open_only=False,
        residual=True,
    ):
        """SELECT of the posted journal items on receivable accounts of
        ``partners`` (commercial entities, their contacts' items included;
        None: every customer) in ``companies`` (None: all) dated up to
        ``date`` (and from ``date_from``), one row per item:

        id, move_id, partner_id (the commercial entity), company_id,
        currency_id (the company's), date, date_maturity, due_date
        (maturity, else date), name, debit, credit, balance and, with
        ``residual``, residual (the open amount as of ``date``) and
        days_due (days past due on ``date``, negative when not due).

        ``open_only``: only the items open on ``date`` (an index on the
        unreconciled items serves them: no scan of the paid ones)."""
        date = self._date_sql(date)
        conditions = [
            SQL("aml.parent_state = 'posted'"),
            SQL("aml.date <= %s", date),
        ]
        if partners is not None:
            conditions.append(
                SQL(
                    "rp.commercial_partner_id IN %s",
                    tuple(partners.commercial_partner_id.ids) or (0,),
                )
            )
        if companies is not None:
            conditions.append(SQL("aml.company_id IN %s", tuple(companies.ids) or (0,)))
        if date_from:
            conditions.append(SQL("aml.date >= %s", self._date_sql(date_from)))
        columns = SQL(
            """aml.id, aml.move_id, rp.commercial_partner_id AS partner_id,
               aml.company_id, aml.company_currency_id AS currency_id, aml.date,
               aml.date_maturity,
               COALESCE(aml.date_maturity, aml.date) AS due_date, aml.name,
               aml.debit, aml.credit, aml.balance"""
        )
        join = SQL()
        if residual:
            columns = SQL(
                """%s, aml.amount_residual + COALESCE(later.amount, 0) AS residual,
                   %s - COALESCE(aml.date_maturity, aml.date) AS days_due""",
                columns,
                date,
            )
            join = SQL(
                "LEFT JOIN (%s) later ON later.line_id = aml.id",
                self._later_reconciliations_sql(date),
            )

        def select(*extra):
            return SQL(
                """SELECT %(columns)s
                     FROM account_move_line aml
                     JOIN account_account acc
                       ON acc.id = aml.account_id
                      AND acc.account_type = 'asset_receivable'
                     JOIN res_partner rp ON rp.id = aml.partner_id
                     %(join)s
                    WHERE %(where)s""",
                columns=columns,
                join=join,
                where=SQL(" AND ").join(conditions + list(extra)),
            )

        if not open_only:
            return select()
        assert residual, "open items are the items with a residual"
        # Open on the date: unreconciled today (Odoo's partial index on
        # unreconciled items, same predicate), or reconciled after the date.
        return SQL(
            "SELECT * FROM (%s UNION ALL %s) items WHERE items.residual <> 0",
            select(SQL("aml.reconciled IS NOT TRUE")),
            select(SQL("aml.reconciled"), SQL("later.line_id IS NOT NULL")),
        )

    @api.model
    def _bucket_sql(self, amount, days):
        """{bucket name: SQL of ``amount`` when ``days`` past due fall in
        the bucket, else 0}."""
        result = {}
        for name, low, high in BUCKETS:
            if low is None:
                condition = SQL("%s <= %s", days, high)
            elif high is None:
                condition = SQL("%s >= %s", days, low)
            else:
                condition = SQL("%s BETWEEN %s AND %s", days, low, high)
            result[name] = SQL("CASE WHEN %s THEN %s ELSE 0 END", condition, amount)
        return result

    @api.model
    def _balances_sql(
        self, date, partners=None, companies=None, grace_days=0, ledger=False
    ):
        """SELECT of the figures per customer and company as of ``date``:
        partner_id, company_id, currency_id, balance (the ledger balance;
        NULL without ``ledger``: then only the open items are read),
        open_amount, overdue (due more than ``grace_days`` before the date),
        oldest_due, one column per aging bucket and open_count."""
        date = self._date_sql(date)
        items = self._items_sql(date, partners, companies, open_only=not ledger)
        buckets = self._bucket_sql(SQL("items.residual"), SQL("items.days_due"))
        return SQL(
            """SELECT items.partner_id, items.company_id, items.currency_id,
                      %(balance)s AS balance,
                      COALESCE(SUM(items.residual), 0) AS open_amount,
                      COALESCE(SUM(items.residual) FILTER (
                          WHERE items.residual > 0
                            AND items.days_due > %(grace)s), 0) AS overdue,
                      MIN(items.due_date) FILTER (
                          WHERE items.residual > 0) AS oldest_due,
                      %(buckets)s,
                      COUNT(*) FILTER (WHERE items.residual <> 0) AS open_count
                 FROM (%(items)s) items
             GROUP BY items.partner_id, items.company_id, items.currency_id""",
            balance=SQL("SUM(items.balance)") if ledger else SQL("NULL::numeric"),
            grace=int(grace_days or 0),
            buckets=SQL(", ").join(
                SQL("COALESCE(SUM(%s), 0) AS %s", expression, SQL.identifier(name))
                for name, expression in buckets.items()
            ),
            items=items,
        )

    @api.model
    def _uninvoiced_sql(self, partners, companies=None, exclude_orders=None):
        """SELECT of the confirmed orders' amount not invoiced (posted) yet,
        tax included, per customer, company and order currency: each line's
        total in the proportion of its untaxed amount not invoiced."""
        conditions = [
            SQL("so.state = 'sale'"),
            SQL(
                "p.commercial_partner_id IN %s",
                tuple(partners.commercial_partner_id.ids) or (0,),
            ),
        ]
        if companies is not None:
            conditions.append(SQL("so.company_id IN %s", tuple(companies.ids) or (0,)))
        excluded = tuple(exclude_orders._origin.ids) if exclude_orders else ()
        if excluded:
            conditions.append(SQL("so.id NOT IN %s", excluded))
        return SQL(
            """SELECT p.commercial_partner_id, so.company_id, so.currency_id,
                      SUM(CASE WHEN sol.price_subtotal = 0 THEN 0
                               ELSE sol.price_total
                                    * GREATEST(sol.price_subtotal
                                               - sol.untaxed_amount_invoiced, 0)
                                    / sol.price_subtotal END)
                 FROM sale_order_line sol
                 JOIN sale_order so ON so.id = sol.order_id
                 JOIN res_partner p ON p.id = so.partner_id
                WHERE %s
             GROUP BY p.commercial_partner_id, so.company_id, so.currency_id""",
            SQL(" AND ").join(conditions),
        )

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    @api.model
    def _flush_ledger(self):
        self.env["account.move.line"].flush_model(
            [
                "move_id",
                "partner_id",
                "company_id",
                "company_currency_id",
                "account_id",
                "parent_state",
                "date",
                "date_maturity",
                "name",
                "debit",
                "credit",
                "balance",
                "amount_residual",
                "reconciled",
            ]
        )
        self.env["account.partial.reconcile"].flush_model(
            ["debit_move_id", "credit_move_id", "amount", "max_date"]
        )
        self.env["account.account"].flush_model(["account_type"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])

    @api.model
    def _empty_figures(self):
        return dict(
            {
                "currency_id": False,
                "balance": 0.0,
                "open": 0.0,
                "overdue": 0.0,
                "oldest_due": False,
                "open_count": 0,
                "uninvoiced": defaultdict(float),
                "exposure": 0.0,
            },
            **dict.fromkeys(BUCKET_NAMES, 0.0),
        )

    @api.model
    def _get_balances(
        self,
        partners,
        companies=None,
        date=None,
        grace_days=0,
        ledger=False,
        orders=True,
        exclude_orders=None,
    ):
        """What the customers of ``partners`` (their commercial entities)
        owe in ``companies`` (None: every company) as of ``date`` (today by
        default): {(commercial partner id, company id): figures}, a
        defaultdict (a customer without items has zero figures):

        * currency_id: the company currency (the ledger figures' currency);
        * balance: the ledger balance (with ``ledger``; else 0, and only the
          open items are read);
        * open: the open amount; open_count: the number of open items;
        * overdue: the open amount owed and due more than ``grace_days``
          before the date; oldest_due: the oldest due date of an item owed;
        * not_due, 1_30, 31_60, 61_90, over_90: the open amount by age;
        * uninvoiced: {currency id: confirmed orders not invoiced, tax
          included} (with ``orders``; the orders of ``exclude_orders`` do
          not count);
        * exposure: open + uninvoiced, in company currency at the date's
          rate.

        Two queries (one without ``orders``) whatever the number of
        customers. No access rules: callers read what they may show."""
        result = defaultdict(self._empty_figures)
        partners = partners.commercial_partner_id
        if not partners:
            return result
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        self._flush_ledger()
        rows = self.env.execute_query(
            self._balances_sql(date, partners, companies, grace_days, ledger=ledger)
        )
        for row in rows:
            partner_id, company_id, currency_id, balance, open_amount = row[:5]
            overdue, oldest_due, *buckets, open_count = row[5:]
            figures = result[partner_id, company_id]
            figures.update(
                currency_id=currency_id,
                balance=balance or 0.0,
                open=open_amount,
                overdue=overdue,
                oldest_due=oldest_due or False,
                open_count=open_count,
                **dict(zip(BUCKET_NAMES, buckets, strict=True)),
            )
        if orders:
            self.env["sale.order"].flush_model(
                ["partner_id", "company_id", "state", "currency_id"]
            )
            self.env["sale.order.line"].flush_model(
                ["order_id", "price_total", "price_subtotal", "untaxed_amount_invoiced"]
            )
            rows = self.env.execute_query(
                self._uninvoiced_sql(partners, companies, exclude_orders)
            )
            for partner_id, company_id, currency_id, amount in rows:
                result[partner_id, company_id]["uninvoiced"][currency_id] += (
                    amount or 0.0
                )
        Company = self.env["res.company"]
        Currency = self.env["res.currency"]
        for (_partner_id, company_id), figures in result.items():
            company = Company.browse(company_id)
            figures["currency_id"] = figures["currency_id"] or company.currency_id.id
            figures["exposure"] = figures["open"] + sum(
                Currency.browse(currency_id)._convert(
                    amount, company.currency_id, company, date, round=False
                )
                for currency_id, amount in figures["uninvoiced"].items()
            )
        return result

    @api.model
    def _get_open_items(self, partners, companies=None, date=None, overdue_only=False):
        """The open items of ``partners`` in ``companies`` as of ``date``
        (today by default), oldest due first: a list of dicts (id, move_id,
        partner_id, company_id, due_date, residual, days_due); with
        ``overdue_only``, only the items owed and past due (the items the
        overdue amount sums). One query."""
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        self._flush_ledger()
        condition = (
            SQL("items.residual > 0 AND items.days_due > 0")
            if overdue_only
            else SQL("TRUE")
        )
        return self.env.execute_query_dict(
            SQL(
                """SELECT items.id, items.move_id, items.partner_id,
                          items.company_id, items.due_date, items.residual,
                          items.days_due
                     FROM (%s) items
                    WHERE %s
                 ORDER BY items.due_date, items.move_id, items.id""",
                self._items_sql(date, partners, companies, open_only=True),
                condition,
            )
        )

    @api.model
    def _get_contract_credit(self, contracts, date=None, exclude_orders=None):
        """The credit position of each contract of ``contracts``: what its
        customer owes in the contract's company, all its open receivables
        and confirmed orders not invoiced counted (whatever their contract),
        against the contract's credit limit. {contract id: {
        "receivable": open amount, "uninvoiced": orders not invoiced,
        "exposure": their sum, "credit_available": credit limit - exposure
        (CREDIT_UNLIMITED without limit), all in the contract's currency;
        "overdue", "oldest_due": as in ``_get_balances`` (company
        currency)}}. The orders of ``exclude_orders`` do not count (the
        orders being confirmed). Two queries for all the contracts."""
        contracts = contracts._origin
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        contracts.fetch(["partner_id", "company_id", "currency_id", "credit_limit"])
        balances = self._get_balances(
            contracts.partner_id,
            contracts.company_id,
            date,
            exclude_orders=exclude_orders,
        )
        Currency = self.env["res.currency"]
        result = {}
        for contract in contracts:
            company = contract.company_id
            currency = contract.currency_id or company.currency_id
            figures = balances[contract.partner_id.commercial_partner_id.id, company.id]

            def convert(amount, from_currency, currency=currency, company=company):
                return from_currency._convert(
                    amount, currency, company, date, round=False
                )

            receivable = convert(figures["open"], company.currency_id)
            uninvoiced = sum(
                convert(amount, Currency.browse(currency_id))
                for currency_id, amount in figures["uninvoiced"].items()
            )
            exposure = receivable + uninvoiced
            result[contract.id] = {
                "currency_id": currency.id,
                "receivable": receivable,
                "uninvoiced": uninvoiced,
                "exposure": exposure,
                "credit_available": (
                    contract.credit_limit - exposure
                    if contract.credit_limit
                    else CREDIT_UNLIMITED
                ),
                "overdue": figures["overdue"],
                "oldest_due": figures["oldest_due"],
            }
        return result
