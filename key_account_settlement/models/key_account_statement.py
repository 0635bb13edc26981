# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import logging

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, format_date, formatLang

from odoo.addons.key_account_base.models.key_account_guard_mixin import NOT_ON_CREATE

STATEMENT_SEQUENCE_CODE = "key.account.statement"
FINANCE_GROUPS = (
    "account.group_account_invoice",
    "key_account_base.key_account_group_manager",
)
# Fields a person may write directly (besides the chatter's): everything else
# (status, period, amounts, lines) is written by the statement's own methods.
FREE_FIELDS = {"note"}
INVOICE_TYPES = ("out_invoice", "out_receipt")
CREDIT_NOTE_TYPES = ("out_refund",)
# The figures of a statement that the ledger decides: a statement whose
# figures differ from the ledger's is out of date (the opening balance is
# compared with its prior-period line added, see _statement_ledger_values).
LEDGER_FIGURES = (
    "invoice_amount",
    "credit_note_amount",
    "payment_amount",
    "closing_balance",
)

_logger = logging.getLogger(__name__)


class KeyAccountStatement(models.Model):
    _name = "key.account.statement"
    _description = "Key Account Statement"
    _inherit = ("mail.thread", "mail.activity.mixin", "key.account.guard.mixin")
    _order = "date_to desc, partner_id, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
        domain="[('is_key_account', '=', True)]",
        help="The key account (commercial entity) the statement is addressed to.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(
        related="company_id.currency_id", string="Currency", readonly=True
    )
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True)
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("sent", "Sent"),
            ("confirmed", "Confirmed"),
            ("disputed", "Disputed"),
        ],
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    opening_balance = fields.Monetary(
        readonly=True,
        help="The closing balance of the previous statement when the customer "
        "confirmed it, else the balance of the customer's posted receivable "
        "journal items dated before the period.",
    )
    prior_period_amount = fields.Monetary(
        string="Late Postings in Confirmed Periods",
        readonly=True,
        help="Postings dated before the period and booked after the customer "
        "confirmed the previous statement: the opening balance plus this "
        "amount is the ledger's balance before the period.",
    )
    invoice_amount = fields.Monetary(
        string="Invoices", readonly=True, help="Customer invoices posted in the period."
    )
    credit_note_amount = fields.Monetary(
        string="Credit Notes",
        readonly=True,
        help="Customer credit notes posted in the period.",
    )
    payment_amount = fields.Monetary(
        string="Payments",
        readonly=True,
        help="Payments and other receivable entries of the period (net credit).",
    )
    closing_balance = fields.Monetary(
        readonly=True,
        help="Opening balance + invoices - credit notes - payments: the balance "
        "of the customer's receivable journal items at the end of the period.",
    )
    overdue_amount = fields.Monetary(
        string="Overdue",
        readonly=True,
        help="What remained unpaid at the end of the period on items due before "
        "that date.",
    )
    line_ids = fields.One2many(
        "key.account.statement.line", "statement_id", string="Lines", readonly=True
    )
    line_count = fields.Integer(compute="_compute_line_count")
    finance_contact_id = fields.Many2one(
        "res.partner",
        compute="_compute_finance_contact_id",
        help="Who receives the statement: the customer's invoice address "
        "(its finance contact), else the customer itself.",
    )
    sent_date = fields.Datetime(readonly=True, copy=False)
    answer_date = fields.Datetime(
        string="Answered On",
        readonly=True,
        copy=False,
        help="When the customer confirmed or disputed the statement.",
    )
    dispute_reason = fields.Text(readonly=True, copy=False, tracking=True)
    note = fields.Text(help="Internal note.")
    # Computed when read (one ledger query per company and period for all
    # the statements read, whatever their number): a posting dated in the
    # period or before it, booked or cancelled after the statement was
    # issued, shows at the next read, without any hook on journal entries.
    ledger_balance = fields.Monetary(
        string="Ledger Closing Balance",
        compute="_compute_ledger_state",
        help="The customer's receivable balance in the ledger today at the end "
        "of the period (a confirmed statement is frozen: its own figure).",
    )
    ledger_difference = fields.Monetary(
        string="Out of Date By",
        compute="_compute_ledger_state",
        help="Ledger closing balance minus the statement's closing balance.",
    )
    is_out_of_date = fields.Boolean(
        string="Out of Date",
        compute="_compute_ledger_state",
        search="_search_is_out_of_date",
        help="The ledger no longer agrees with this statement (not confirmed "
        "yet): postings dated in its period or before it were booked or "
        "cancelled after it was issued. It cannot be confirmed as it is: "
        "re-issue (or correct) it.",
    )

    _sql_constraints = (
        (
            "partner_period_uniq",
            "unique(partner_id, company_id, date_from, date_to)",
            "A customer has one statement per company and period.",
        ),
        (
            "period_check",
            "CHECK(date_from <= date_to)",
            "A statement period starts before it ends.",
        ),
    )

    @api.depends("line_ids")
    def _compute_line_count(self):
        for statement in self:
            statement.line_count = len(statement.line_ids)

    def _compute_ledger_state(self):
        for statement in self:
            statement.ledger_balance = statement.closing_balance
            statement.ledger_difference = 0.0
            statement.is_out_of_date = False
        pending = self.filtered(
            lambda s: isinstance(s.id, int) and s.state != "confirmed"
        )
        for (company, date_from, date_to), statements in pending.grouped(
            lambda s: (s.company_id, s.date_from, s.date_to)
        ).items():
            values = self.sudo()._statement_ledger_values(
                company, statements.partner_id, date_from, date_to
            )
            currency = company.currency_id
            for statement in statements:
                vals = values[statement.partner_id.id]
                opening = statement.opening_balance + statement.prior_period_amount
                statement.ledger_balance = vals["closing_balance"]
                statement.ledger_difference = currency.round(
                    vals["closing_balance"] - statement.closing_balance
                )
                statement.is_out_of_date = not currency.is_zero(
                    vals["opening_balance"] + vals["prior_period_amount"] - opening
                ) or any(
                    not currency.is_zero(vals[name] - statement[name])
                    for name in LEDGER_FIGURES
                )

    def _search_is_out_of_date(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._(
                    "Statements are searched as out of date or not (yes or no), "
                    "not with %(operator)s %(value)s.",
                    operator=operator,
                    value=value,
                )
            )
        # only statements not confirmed yet can be out of date: the recent
        # periods, computed together (see _compute_ledger_state)
        stale = self.search([("state", "!=", "confirmed")]).filtered("is_out_of_date")
        return [("id", "in" if (operator == "=") == value else "not in", stale.ids)]

    @api.depends("partner_id.child_ids.type", "partner_id.child_ids.email")
    def _compute_finance_contact_id(self):
        for statement in self:
            partner = statement.partner_id
            contacts = partner.child_ids.filtered(
                lambda c: c.type == "invoice" and c.email
            )
            statement.finance_contact_id = contacts[:1] or partner

    # ------------------------------------------------------------------
    # Authority: the status, the period and the figures are written by the
    # methods below only (any client, RPC included, goes through write():
    # the guard mixin's check, key_account_base).
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Statements are generated from the ledger: use Generate "
                    "Statements (customer %(partner)s).",
                    partner=self.env["res.partner"]
                    .browse(vals_list[0].get("partner_id"))
                    .display_name
                    if vals_list
                    else "",
                )
            )
        return super().create(vals_list)

    @api.model
    def _key_account_guarded_fields(self):
        """Every field but the free ones and the chatter's."""
        free = (
            FREE_FIELDS
            | set(self.env["mail.thread"]._fields)
            | set(self.env["mail.activity.mixin"]._fields)
        )
        return dict.fromkeys(
            (name for name in self._fields if name not in free), NOT_ON_CREATE
        )

    def _key_account_guard_error(self, names):
        return AccessError(
            self.env._(
                "%(fields)s of statement %(statement)s change only through "
                "its buttons (Send, Customer Confirmed, Customer Disputed, "
                "Correct).",
                fields=self._key_account_field_labels(names),
                statement=", ".join(self.mapped("name")),
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        for statement in self.filtered(lambda s: s.state != "draft"):
            raise UserError(
                self.env._(
                    "Statement %(statement)s is %(state)s: the customer has seen "
                    "it, so it stays. Correct it instead.",
                    statement=statement.name,
                    state=statement._state_label(),
                )
            )

    def _state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    @api.model
    def _is_finance_user(self):
        return self.env.su or any(self.env.user.has_group(g) for g in FINANCE_GROUPS)

    @api.model
    def _check_finance_user(self, what):
        if not self._is_finance_user():
            raise AccessError(
                self.env._(
                    "%(action)s of statements is for accountants (Billing) and Key "
                    "Account Managers: ask one of them.",
                    action=what,
                )
            )

    def _key_account_state_error(self, action, fname):
        self.ensure_one()
        return self.env._(
            "%(action)s is not possible for statement %(statement)s in "
            "status %(state)s.",
            action=action,
            statement=self.name,
            state=dict(self._fields[fname]._description_selection(self.env))[
                self[fname]
            ],
        )

    # ------------------------------------------------------------------
    # Computation from posted journal items (all customers at once)
    # ------------------------------------------------------------------
    @api.model
    def _default_period(self, today=None):
        """The last complete month before ``today``."""
        today = today or fields.Date.context_today(self)
        date_to = today.replace(day=1) - relativedelta(days=1)
        return date_to.replace(day=1), date_to

    @api.model
    def _receivable_items_sql(self, company, partners, date_to, date_from=None):
        """SELECT of the posted receivable journal items of ``partners``
        (commercial entities, their contacts' items included) dated up to
        ``date_to`` (and from ``date_from`` when given): the items of
        ``key.account.customer.balance``, with their entries' type, number
        and reference."""
        items = self.env["key.account.customer.balance"]._items_sql(
            date_to, partners, company, date_from=date_from, residual=False
        )
        return SQL(
            """
            SELECT items.partner_id, items.id, items.move_id, items.date,
                   items.date_maturity, items.debit, items.credit,
                   items.balance, move.move_type, move.name AS move_name,
                   COALESCE(NULLIF(move.ref, ''), items.name) AS ref
              FROM (%s) items
              JOIN account_move move ON move.id = items.move_id
            """,
            items,
        )

    @api.model
    def _compute_statement_values(self, company, partners, date_from, date_to):
        """Return {partner_id: values} of the figures of the statements of
        ``partners`` for the period, in one query whatever the number of
        customers and journal items.

        The closing balance and the overdue amount are what the customer
        owes on ``date_to`` (``key.account.customer.balance``: the ledger
        balance of its receivable items in company currency, and what was
        unpaid and due before that day, counting the reconciliations dated
        up to it); the period's items give invoices, credit notes and
        payments, and the opening balance is the closing balance less them.
        The lines are inserted by ``_insert_lines``.
        """
        if not partners:
            return {}
        items = self._receivable_items_sql(company, partners, date_to, date_from)
        figures = self.env["key.account.customer.balance"]._balances_sql(
            date_to, partners, company, ledger=True
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH items AS (%(items)s), figures AS (%(figures)s)
                SELECT p.id,
                       COALESCE(MAX(figures.balance), 0)
                           - COALESCE(SUM(items.balance), 0),
                       COALESCE(SUM(items.balance)
                           FILTER (WHERE items.move_type IN %(invoice_types)s), 0),
                       COALESCE(-SUM(items.balance)
                           FILTER (WHERE items.move_type IN %(refund_types)s), 0),
                       COALESCE(-SUM(items.balance)
                           FILTER (WHERE items.move_type NOT IN %(other_types)s), 0),
                       COALESCE(MAX(figures.balance), 0),
                       COALESCE(MAX(figures.overdue), 0),
                       COUNT(items.id)
                  FROM unnest(%(partner_ids)s::int[]) p(id)
             LEFT JOIN figures ON figures.partner_id = p.id
             LEFT JOIN items ON items.partner_id = p.id
              GROUP BY p.id
                """,
                items=items,
                figures=figures,
                partner_ids=partners.ids,
                invoice_types=INVOICE_TYPES,
                refund_types=CREDIT_NOTE_TYPES,
                other_types=INVOICE_TYPES + CREDIT_NOTE_TYPES,
            )
        )
        totals = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        result = {}
        for partner in partners:
            opening, invoiced, refunded, paid, closing, overdue, items = totals.get(
                partner.id, (0.0,) * 6 + (0,)
            )
            result[partner.id] = {
                "opening_balance": opening,
                "invoice_amount": invoiced,
                "credit_note_amount": refunded,
                "payment_amount": paid,
                "closing_balance": closing,
                "overdue_amount": overdue,
                # journal items in the period (the lines)
                "has_activity": bool(items),
            }
        return result

    @api.model
    def _statement_ledger_values(self, company, partners, date_from, date_to):
        """The figures of the statements of ``partners`` for the period
        (``_compute_statement_values``), with the opening balance as the
        customer saw it: when the customer's previous statement (the latest
        ending before ``date_from``) is confirmed, the opening balance is its
        closing balance, frozen, and ``prior_period_amount`` is what the
        ledger changed before the period since (late postings in confirmed
        periods), so that opening balance + prior-period amount = the ledger's
        opening balance and the statement reconciles to the ledger. One query
        for the previous statements of all the customers."""
        values = self._compute_statement_values(company, partners, date_from, date_to)
        # a customer without journal items: zero figures
        empty = dict.fromkeys(("opening_balance", "overdue_amount"), 0.0)
        for partner in partners:
            values.setdefault(
                partner.id,
                dict(empty, has_activity=False, **dict.fromkeys(LEDGER_FIGURES, 0.0)),
            )
        if not values:
            return values
        self.env["key.account.statement"].flush_model(
            ["partner_id", "company_id", "date_to", "state", "closing_balance"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (partner_id) partner_id, state, closing_balance
                  FROM key_account_statement
                 WHERE company_id = %(company)s
                   AND partner_id IN %(partners)s
                   AND date_to < %(date_from)s
                 ORDER BY partner_id, date_to DESC, id DESC
                """,
                company=company.id,
                partners=tuple(values),
                date_from=date_from,
            )
        )
        confirmed = {
            partner_id: closing or 0.0
            for partner_id, state, closing in self.env.cr.fetchall()
            if state == "confirmed"
        }
        for partner_id, vals in values.items():
            vals["prior_period_amount"] = 0.0
            if partner_id in confirmed:
                seen = confirmed[partner_id]
                vals["prior_period_amount"] = company.currency_id.round(
                    vals["opening_balance"] - seen
                )
                vals["opening_balance"] = seen
        return values

    def _insert_lines(self, prior_period=True):
        """Insert the lines of the statements of ``self`` (without lines):
        first the prior-period line of a statement with late postings in
        confirmed periods, then one line per posted receivable journal item
        of the customer in the period, with the running balance from the
        opening balance: one query for the prior-period lines, one per company
        and period for the others, whatever the number of statements and
        journal items. ``prior_period=False``: no statement of ``self`` has a
        prior-period amount (the caller knows)."""
        self.env.flush_all()
        if prior_period:
            self._insert_prior_period_lines()
        for (company, date_from, date_to), statements in self.grouped(
            lambda s: (s.company_id, s.date_from, s.date_to)
        ).items():
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO key_account_statement_line (
                        statement_id, company_id, sequence, move_line_id,
                        move_id, date, date_maturity, ref, line_type, debit,
                        credit, balance, disputed, create_uid, create_date,
                        write_uid, write_date
                    )
                    WITH items AS (%(items)s)
                    SELECT st.id, st.company_id, ROW_NUMBER() OVER w,
                           items.id, items.move_id, items.date,
                           items.date_maturity, items.ref,
                           CASE WHEN items.move_type IN %(invoice_types)s
                                    THEN 'invoice'
                                WHEN items.move_type IN %(refund_types)s
                                    THEN 'credit_note'
                                ELSE 'payment' END,
                           items.debit, items.credit,
                           COALESCE(st.opening_balance, 0)
                               + COALESCE(st.prior_period_amount, 0)
                               + SUM(items.balance) OVER w,
                           FALSE, %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
                           NOW() AT TIME ZONE 'UTC'
                      FROM items
                      JOIN key_account_statement st
                        ON st.partner_id = items.partner_id
                       AND st.id IN %(ids)s
                    WINDOW w AS (
                        PARTITION BY st.id
                        ORDER BY items.date, items.move_name, items.id
                        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
                    )
                    """,
                    items=self._receivable_items_sql(
                        company, statements.partner_id, date_to, date_from
                    ),
                    invoice_types=INVOICE_TYPES,
                    refund_types=CREDIT_NOTE_TYPES,
                    uid=self.env.uid,
                    ids=tuple(statements.ids),
                )
            )
        self.invalidate_recordset(["line_ids", "line_count"])

    def _insert_prior_period_lines(self):
        """Insert the prior-period line (late postings in confirmed periods)
        of the statements of ``self`` that have one, first of their lines,
        in one query."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO key_account_statement_line (
                    statement_id, company_id, sequence, date, line_type, debit,
                    credit, balance, disputed, create_uid, create_date,
                    write_uid, write_date
                )
                SELECT st.id, st.company_id, 0, st.date_from, 'prior_period',
                       GREATEST(st.prior_period_amount, 0),
                       GREATEST(-st.prior_period_amount, 0),
                       COALESCE(st.opening_balance, 0) + st.prior_period_amount,
                       FALSE, %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
                       NOW() AT TIME ZONE 'UTC'
                  FROM key_account_statement st
                 WHERE st.id IN %(ids)s
                   AND COALESCE(st.prior_period_amount, 0) != 0
                """,
                uid=self.env.uid,
                ids=tuple(self.ids),
            )
        )

    @api.model
    def _key_accounts_of(self, company):
        """The approved key accounts (commercial entities) of ``company``,
        those shared between companies (no company) included."""
        partners = (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("is_key_account", "=", True),
                    ("key_account_state", "=", "approved"),
                    ("company_id", "in", [company.id, False]),
                ]
            )
        )
        return partners.filtered(lambda p: p.commercial_partner_id == p)

    @api.model
    def _generate(self, company, date_from, date_to, partners=None):
        """The statements ``_generate_run`` generates (the customers it
        skips are logged)."""
        return self._generate_run(company, date_from, date_to, partners=partners)[
            "statements"
        ]

    @api.model
    def _check_generation(self, company, date_from, date_to):
        """What refuses a whole run: rights, company, period."""
        self._check_finance_user(self.env._("Generation"))
        if not self.env.su and company not in self.env.companies:
            raise AccessError(
                self.env._(
                    "You cannot generate statements of %(company)s: select that "
                    "company first.",
                    company=company.display_name,
                )
            )
        if date_from > date_to:
            raise UserError(
                self.env._(
                    "The period of the statements starts on %(date_from)s, after "
                    "its end %(date_to)s: swap the dates.",
                    date_from=format_date(self.env, date_from),
                    date_to=format_date(self.env, date_to),
                )
            )

    @api.model
    def _generation_skips(self, company, date_from, date_to, partners):
        """Return ({partner: reason} of the ``partners`` whose statement of
        the period cannot be generated, the draft statements of the period
        to replace), with one search whatever the number of customers."""
        skipped = {}
        for partner in partners:
            if not partner.is_key_account:
                skipped[partner] = self.env._(
                    "not a key account: statements are for key accounts."
                )
            elif partner.company_id and partner.company_id != company:
                skipped[partner] = self.env._(
                    "a key account of %(other)s, not of %(company)s: generate "
                    "its statements in %(other)s.",
                    other=partner.company_id.display_name,
                    company=company.display_name,
                )
        candidates = partners.filtered(lambda p: p not in skipped)
        existing = self.sudo().search(
            [
                ("partner_id", "in", candidates.ids),
                ("company_id", "=", company.id),
                ("date_from", "<=", date_to),
                ("date_to", ">=", date_from),
            ]
        )
        same = existing.filtered(
            lambda s: (s.date_from, s.date_to) == (date_from, date_to)
        )
        for statement in existing - same:
            skipped[statement.partner_id] = self.env._(
                "statement %(statement)s (%(date_from)s - %(date_to)s, "
                "%(state)s) overlaps this period: a day is on one statement "
                "only. Generate that statement's period again, or delete it "
                "while it is a draft.",
                statement=statement.name,
                date_from=format_date(self.env, statement.date_from),
                date_to=format_date(self.env, statement.date_to),
                state=statement._state_label(),
            )
        for statement in same.filtered(lambda s: s.state != "draft"):
            skipped.setdefault(
                statement.partner_id,
                self.env._(
                    "statement %(statement)s of this period is %(state)s: it "
                    "stays as the customer saw it. Correct it if disputed, "
                    "re-issue it if out of date.",
                    statement=statement.name,
                    state=statement._state_label(),
                ),
            )
        replace = same.filtered(
            lambda s: s.state == "draft" and s.partner_id not in skipped
        )
        return skipped, replace

    @api.model
    def _generate_run(self, company, date_from, date_to, partners=None):
        """Generate the statements of the period for ``partners`` (default:
        every approved key account of ``company``, shared customers included,
        skipping customers without balance nor activity) in a number of
        queries that does not depend on the number of customers or journal
        items.

        A run never stops for one customer: a customer whose statement
        cannot be generated (not a key account of the company, a statement
        of the period already sent, confirmed or disputed, a statement
        overlapping the period) is skipped with its reason, logged, and the
        others are generated. A draft statement of the same customer and
        period is replaced.

        Return {"statements": the new statements, "skipped": [(partner,
        reason)] by customer name}.
        """
        self._check_generation(company, date_from, date_to)
        named = partners is not None
        statements = self.sudo().with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, mail_notrack=True
        )
        partners = (
            partners.sudo().commercial_partner_id
            if named
            else self._key_accounts_of(company)
        )
        skipped, replace = self._generation_skips(company, date_from, date_to, partners)
        skipped = sorted(skipped.items(), key=lambda item: item[0].display_name)
        for partner, reason in skipped:
            _logger.info(
                "Statement of %s for %s - %s in %s not generated: %s",
                partner.display_name,
                date_from,
                date_to,
                company.display_name,
                reason,
            )
        partners -= self.env["res.partner"].concat(*(p for p, _r in skipped))
        values = self._statement_ledger_values(company, partners, date_from, date_to)
        if not named:
            values = {
                partner_id: vals
                for partner_id, vals in values.items()
                if vals["has_activity"]
                or vals["opening_balance"]
                or vals["prior_period_amount"]
            }
        replace.unlink()
        result = {"statements": self.browse(), "skipped": skipped}
        if not values:
            return result
        names = self._next_names(company, len(values))
        columns = (
            "opening_balance",
            "prior_period_amount",
            "invoice_amount",
            "credit_note_amount",
            "payment_amount",
            "closing_balance",
            "overdue_amount",
        )
        # one INSERT for all the statements (the ORM inserts by 100 rows):
        # the statements are new, draft, and written by this method only
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO key_account_statement (
                    name, partner_id, company_id, date_from, date_to, state,
                    %(columns)s, create_uid, create_date, write_uid, write_date
                )
                SELECT v.name, v.partner_id, %(company)s, %(date_from)s,
                       %(date_to)s, 'draft', %(values)s, %(uid)s,
                       NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM unnest(%(names)s::varchar[], %(partner_ids)s::int[],
                              %(amounts)s)
                    AS v(name, partner_id, %(columns)s)
                RETURNING id
                """,
                columns=SQL(", ").join(SQL.identifier(c) for c in columns),
                values=SQL(", ").join(SQL("v.%s", SQL.identifier(c)) for c in columns),
                company=company.id,
                date_from=date_from,
                date_to=date_to,
                uid=self.env.uid,
                names=names,
                partner_ids=list(values),
                amounts=SQL(", ").join(
                    SQL("%s::numeric[]", [vals[c] for vals in values.values()])
                    for c in columns
                ),
            )
        )
        new = statements.browse(row[0] for row in self.env.cr.fetchall())
        new._insert_lines(
            prior_period=any(vals["prior_period_amount"] for vals in values.values())
        )
        result["statements"] = self.browse(new.ids)
        return result

    @api.model
    def _skipped_summary(self, skipped):
        """One line per skipped customer: '<customer>: <reason>'."""
        return "\n".join(
            self.env._(
                "%(partner)s: %(reason)s",
                partner=partner.display_name,
                reason=reason,
            )
            for partner, reason in skipped
        )

    @api.model
    def _next_names(self, company, count):
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [
                    ("code", "=", STATEMENT_SEQUENCE_CODE),
                    ("company_id", "in", [company.id, False]),
                ],
                order="company_id",
                limit=1,
            )
        )
        if not sequence:
            return ["/"] * count
        return sequence._key_account_next_batch(count)

    @api.model
    def _cron_generate_month_end(self):
        """Scheduled action: last month's statements of every key account,
        one run per company; a company whose run fails is logged and rolled
        back, and the run goes on with the next company."""
        date_from, date_to = self._default_period()
        for company in self.env["res.company"].sudo().search([]):
            try:
                with self.env.cr.savepoint():
                    result = self.sudo()._generate_run(company, date_from, date_to)
            except Exception:
                self.env.invalidate_all()
                _logger.exception(
                    "Month-end statements of %s for %s - %s failed and were "
                    "rolled back; the other companies go on.",
                    company.display_name,
                    date_from,
                    date_to,
                )
                continue
            _logger.info(
                "Month-end statements of %s for %s - %s: %s generated.",
                company.display_name,
                date_from,
                date_to,
                len(result["statements"]),
            )
            if result["skipped"]:
                _logger.warning(
                    "Month-end statements of %s for %s - %s not generated for "
                    "%s customers:\n%s",
                    company.display_name,
                    date_from,
                    date_to,
                    len(result["skipped"]),
                    self._skipped_summary(result["skipped"]),
                )

    # ------------------------------------------------------------------
    # Transitions (the portal calls action_customer_confirm/dispute)
    # ------------------------------------------------------------------
    def _log(self, body):
        for statement in self:
            statement.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _out_of_date(self):
        """The statements of ``self`` that no longer match the ledger, read
        from the ledger now."""
        self.invalidate_recordset(
            ["ledger_balance", "ledger_difference", "is_out_of_date"]
        )
        return self.filtered("is_out_of_date")

    def _recompute_from_ledger(self):
        """Recompute the figures and lines of ``self`` from the ledger in
        place (same number, same history), back to draft; return
        {statement: its closing balance before}."""
        previous = {}
        for (company, date_from, date_to), statements in self.grouped(
            lambda s: (s.company_id, s.date_from, s.date_to)
        ).items():
            values = self._statement_ledger_values(
                company, statements.partner_id, date_from, date_to
            )
            statements.sudo().line_ids.unlink()
            for statement in statements:
                vals = {
                    name: value
                    for name, value in values[statement.partner_id.id].items()
                    if name in self._fields
                }
                previous[statement] = statement.closing_balance
                statement.sudo().write(dict(vals, state="draft"))
            statements.sudo()._insert_lines()
        return previous

    def _format_amount(self, amount):
        self.ensure_one()
        return formatLang(self.env, amount, currency_obj=self.currency_id)

    def action_correct(self):
        """Recompute a draft or disputed statement from the ledger in place
        (same number, same history); a disputed one returns to draft, ready
        to be sent again."""
        self._check_finance_user(self.env._("Correction"))
        self._key_account_check_state(("draft", "disputed"), self.env._("Correction"))
        for statement, old in self._recompute_from_ledger().items():
            statement._log(
                Markup("<p>%s</p>")
                % self.env._(
                    "Recomputed from the ledger: closing balance %(old)s → %(new)s.",
                    old=statement._format_amount(old),
                    new=statement._format_amount(statement.closing_balance),
                )
            )
        return True

    def action_reissue(self):
        """Re-issue sent statements that no longer match the ledger: recompute
        them from the ledger in place (same number, same history), back to
        draft, to be sent again."""
        self._check_finance_user(self.env._("Re-issue"))
        self._key_account_check_state(("sent",), self.env._("Re-issue"))
        current = self - self._out_of_date()
        if current:
            raise UserError(
                self.env._(
                    "Statement %(statement)s matches the ledger: there is nothing "
                    "to re-issue, the customer can confirm it as it is.",
                    statement=current[0].name,
                )
            )
        for statement, old in self._recompute_from_ledger().items():
            statement._log(
                Markup("<p>%s</p>")
                % self.env._(
                    "Re-issued from the ledger (postings booked after it was "
                    "sent): closing balance %(old)s → %(new)s. Send it again.",
                    old=statement._format_amount(old),
                    new=statement._format_amount(statement.closing_balance),
                )
            )
        return True

    def action_send(self):
        """Email the statement (PDF attached) to the customer's finance
        contact with the statement template, then mark it sent."""
        return self._send(email=True)

    def _send(self, email=True):
        """Mark draft statements sent, after emailing them with the statement
        template when ``email`` (else the sending is only logged: statements
        handed over another way, demo data). Private: clients send through
        ``action_send``, which always emails."""
        self._check_finance_user(self.env._("Sending"))
        self._key_account_check_state(("draft",), self.env._("Sending"))
        stale = self._out_of_date()
        if stale:
            raise UserError(
                self.env._(
                    "Statement %(statement)s no longer matches the ledger "
                    "(closing balance %(stated)s, ledger %(ledger)s): Correct "
                    "it before sending it.",
                    statement=stale[0].name,
                    stated=stale[0]._format_amount(stale[0].closing_balance),
                    ledger=stale[0]._format_amount(stale[0].ledger_balance),
                )
            )
        if email:
            template = self.env.ref(
                "key_account_settlement.key_account_statement_mail_template"
            )
            for statement in self:
                statement.message_post_with_source(
                    template,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
        else:
            self._log(Markup("<p>%s</p>") % self.env._("Marked as sent without email."))
        self.sudo().write(
            {"state": "sent", "sent_date": fields.Datetime.now(), "answer_date": False}
        )
        return True

    def action_customer_confirm(self):
        """The customer agrees with the statement (back office recording the
        customer's answer, or the portal); refused while the statement no
        longer matches the ledger."""
        self._check_answer(self.env._("Confirmation"))
        stale = self._out_of_date()
        if stale:
            raise UserError(
                self.env._(
                    "Statement %(statement)s no longer matches the ledger: "
                    "postings dated in its period or before it were booked "
                    "after it was sent (closing balance %(stated)s, ledger now "
                    "%(ledger)s). It cannot be confirmed as it is: it is to be "
                    "re-issued (Re-issue) and sent again.",
                    statement=stale[0].name,
                    stated=stale[0]._format_amount(stale[0].closing_balance),
                    ledger=stale[0]._format_amount(stale[0].ledger_balance),
                )
            )
        self.sudo().write({"state": "confirmed", "answer_date": fields.Datetime.now()})
        self._log(
            Markup("<p>%s</p>") % self.env._("The customer confirmed the statement.")
        )
        return True

    def action_customer_dispute(self, line_ids, reason):
        """The customer disputes ``line_ids`` (ids, records, or the ids as
        text a form posts, of the statement's lines; none for a dispute of the
        whole statement) for ``reason``."""
        self.ensure_one()
        self._check_answer(self.env._("Dispute"))
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "Reason: say why statement %(statement)s is disputed (which "
                    "amounts are wrong, what was expected).",
                    statement=self.name,
                )
            )
        lines = self._dispute_lines(line_ids)
        self.sudo().line_ids.write({"disputed": False})
        lines.sudo().write({"disputed": True})
        self.sudo().write(
            {
                "state": "disputed",
                "dispute_reason": reason,
                "answer_date": fields.Datetime.now(),
            }
        )
        items = Markup("").join(
            Markup("<li>%s</li>") % line.sudo()._dispute_label() for line in lines
        )
        self._log(
            Markup("<p>%s</p><p>%s</p>%s")
            % (
                self.env._("The customer disputed the statement."),
                reason,
                Markup("<ul>%s</ul>") % items if items else "",
            )
        )
        return True

    def _dispute_lines(self, line_ids):
        """The lines of this statement named by ``line_ids``; refused when
        one is not a line of it."""
        self.ensure_one()
        try:
            ids = [int(i) for i in (getattr(line_ids, "ids", line_ids) or [])]
        except (TypeError, ValueError):
            raise UserError(
                self.env._(
                    "The selected lines are not lines of statement %(statement)s: "
                    "reload the statement and select its lines again.",
                    statement=self.name,
                )
            ) from None
        lines = self.env["key.account.statement.line"].browse(ids)
        foreign = lines - self.sudo().line_ids
        if foreign:
            raise UserError(
                self.env._(
                    "Lines %(lines)s are not lines of statement %(statement)s: "
                    "reload the statement and select its lines again.",
                    lines=", ".join(str(i) for i in foreign.ids),
                    statement=self.name,
                )
            )
        return lines

    def _check_answer(self, action):
        """Only a sent statement gets an answer; the customer's answer is
        recorded by finance, or by the portal after its own access check."""
        self._check_finance_user(action)
        self.check_access("write")
        self._key_account_check_state(("sent",), action)

    def action_print(self):
        return self.env.ref(
            "key_account_settlement.key_account_statement_report_action"
        ).report_action(self)

    def action_open_dispute_wizard(self):
        self.ensure_one()
        self._key_account_check_state(("sent",), self.env._("Dispute"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer Dispute"),
            "res_model": "key.account.statement.dispute",
            "view_mode": "form",
            "target": "new",
            "context": {"default_statement_id": self.id},
        }
