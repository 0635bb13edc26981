# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
# Amount sign of each kind of ledger entry on the reserved and spent figures.
RESERVED_SIGN = {"reserve": 1, "release": -1}
SPENT_SIGN = {"spend": 1, "return": -1}


class KeyAccountBudget(models.Model):
    """The budget of a customer's department for a period: a ledger
    (``key.account.budget.entry``), not a number. Reserved: orders
    submitted and awaiting a decision; spent: confirmed orders net of
    cancellations and returns; left: what remains of the amount."""

    _name = "key.account.budget"
    _description = "Department Budget"
    _order = "customer_id, department_id, date_from desc, id"
    _rec_names_search = ("department_id", "customer_id")

    department_id = fields.Many2one(
        comodel_name="key.account.department",
        required=True,
        index=True,
        ondelete="restrict",
    )
    customer_id = fields.Many2one(
        related="department_id.customer_id",
        store=True,
        index=True,
        string="Key Account",
    )
    period_type = fields.Selection(
        selection=[("month", "Month"), ("quarter", "Quarter"), ("year", "Year")],
        string="Period",
        required=True,
        default="month",
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(
        string="To",
        compute="_compute_date_to",
        store=True,
        readonly=True,
    )
    amount = fields.Monetary(currency_field="currency_id", required=True)
    currency_id = fields.Many2one(
        comodel_name="res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    reserved = fields.Monetary(compute="_compute_figures", currency_field="currency_id")
    spent = fields.Monetary(compute="_compute_figures", currency_field="currency_id")
    left = fields.Monetary(compute="_compute_figures", currency_field="currency_id")
    entry_ids = fields.One2many(
        comodel_name="key.account.budget.entry",
        inverse_name="budget_id",
        string="Ledger",
        readonly=True,
    )
    active = fields.Boolean(default=True)

    @api.depends("department_id", "period_type", "date_from")
    def _compute_display_name(self):
        periods = dict(self._fields["period_type"]._description_selection(self.env))
        for budget in self:
            period = periods.get(budget.period_type, "")
            budget.display_name = (
                f"{budget.department_id.name or ''} {period} {budget.date_from or ''}"
            ).strip()

    @api.depends("period_type", "date_from")
    def _compute_date_to(self):
        for budget in self:
            budget.date_to = budget.date_from and (
                budget.date_from
                + relativedelta(months=PERIOD_MONTHS[budget.period_type], days=-1)
            )

    @api.depends("amount", "entry_ids")
    def _compute_figures(self):
        figures = self._key_account_figures()
        for budget in self:
            reserved, spent = figures.get(budget.id, (0.0, 0.0))
            budget.reserved = reserved
            budget.spent = spent
            budget.left = budget.amount - reserved - spent

    def _key_account_figures(self):
        """{budget id: (reserved, spent)} in one SQL aggregation."""
        ids = [budget_id for budget_id in self.ids if isinstance(budget_id, int)]
        if not ids:
            return {}
        self.env["key.account.budget.entry"].flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT budget_id,
                          SUM(CASE kind WHEN 'reserve' THEN amount
                                        WHEN 'release' THEN -amount ELSE 0 END),
                          SUM(CASE kind WHEN 'spend' THEN amount
                                        WHEN 'return' THEN -amount ELSE 0 END)
                     FROM key_account_budget_entry
                    WHERE budget_id IN %s
                 GROUP BY budget_id""",
                tuple(ids),
            )
        )
        return {
            row[0]: (row[1] or 0.0, row[2] or 0.0) for row in self.env.cr.fetchall()
        }

    @api.constrains("amount")
    def _check_amount(self):
        for budget in self:
            if budget.amount < 0:
                raise ValidationError(
                    self.env._(
                        "Budget %(budget)s: the amount cannot be negative.",
                        budget=budget.display_name,
                    )
                )

    @api.constrains("department_id", "period_type", "date_from", "active")
    def _check_overlap(self):
        budgets = self.filtered("active")
        if not budgets:
            return
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT b.id, o.id FROM key_account_budget b
                     JOIN key_account_budget o
                       ON o.department_id = b.department_id
                      AND o.period_type = b.period_type
                      AND o.id != b.id AND o.active
                      AND o.date_from <= b.date_to AND o.date_to >= b.date_from
                    WHERE b.id IN %s LIMIT 1""",
                tuple(budgets.ids),
            )
        )
        row = self.env.cr.fetchone()
        if row:
            budget, other = self.browse(row)
            raise ValidationError(
                self.env._(
                    "Budget %(budget)s overlaps %(other)s of the same department "
                    "and period type: change its start date or archive the other.",
                    budget=budget.display_name,
                    other=other.display_name,
                )
            )

    # ------------------------------------------------------------------
    # The ledger's own paths
    # ------------------------------------------------------------------
    @api.model
    def _key_account_budgets_for(self, departments, day):
        """The active budgets of ``departments`` whose period holds ``day``
        (one per period type at most)."""
        if not departments:
            return self.browse()
        return (
            self.sudo()
            .with_context(active_test=True)
            .search(
                [
                    ("department_id", "in", departments.ids),
                    ("date_from", "<=", day),
                    ("date_to", ">=", day),
                ]
            )
        )

    def _key_account_lock(self):
        """Lock the rows of these budgets until the end of the transaction.
        The row is updated, so that a concurrent REPEATABLE READ transaction
        reserving on it waits, then fails with a serialization error (Odoo
        retries the request, whose new snapshot sees the first reservation)
        instead of going on blind to it."""
        if not self.ids:
            return
        self.env.cr.execute(
            SQL(
                """UPDATE key_account_budget SET write_date = write_date
                    WHERE id IN (SELECT id FROM key_account_budget WHERE id IN %s
                                 ORDER BY id FOR NO KEY UPDATE)""",
                tuple(self.ids),
            )
        )

    # ------------------------------------------------------------------
    # Set by the customer's administrator in the portal
    # ------------------------------------------------------------------
    @api.model
    def _key_account_portal_set_budget(self, partner, values):
        """Create or change (``values["budget_id"]``) a budget of the key
        account of ``partner``, who must be its administrator. ``values``:
        texts of the portal form (department_id, period_type, date_from,
        amount). Everything is checked before anything is written."""
        self.env["res.partner"]._key_account_check_portal_role("admin", write=True)
        if partner != self.env.user.partner_id or "admin" not in (
            partner._key_account_portal_roles()
        ):
            raise AccessError(
                self.env._(
                    "Only your company's portal administrator sets the "
                    "department budgets."
                )
            )
        customer = partner.commercial_partner_id
        Budget = self.sudo()
        errors = []
        budget = Budget.browse()
        if values.get("budget_id"):
            budget = Budget.browse(int(values["budget_id"])).exists()
            if not budget or budget.customer_id != customer:
                raise AccessError(
                    self.env._("This budget is not one of your company's.")
                )
        department = budget.department_id
        if not budget:
            try:
                department = (
                    self.env["key.account.department"]
                    .sudo()
                    .browse(int(values.get("department_id") or 0))
                    .exists()
                )
            except ValueError:
                department = self.env["key.account.department"]
            if not department or department.customer_id != customer:
                errors.append(self.env._("Department: choose one of your departments."))
        period_type = values.get("period_type") or budget.period_type
        if period_type not in PERIOD_MONTHS:
            errors.append(self.env._("Period: choose month, quarter or year."))
        date_from = budget.date_from
        if values.get("date_from"):
            try:
                date_from = fields.Date.to_date(values["date_from"])
            except ValueError:
                date_from = None
        if not date_from:
            errors.append(
                self.env._("From: write the first day of the period, e.g. 2026-06-01.")
            )
        try:
            amount = float((values.get("amount") or "").replace(",", ""))
        except ValueError:
            amount = -1
        if amount < 0:
            errors.append(self.env._("Amount: write a positive number such as 50000."))
        if errors:
            raise UserError("\n".join(errors))
        vals = {"period_type": period_type, "date_from": date_from, "amount": amount}
        if budget:
            budget.write(vals)
        else:
            budget = Budget.create(dict(vals, department_id=department.id))
        return budget

    @api.model
    def _key_account_portal_domain(self, partner):
        """The budgets ``partner`` reads in the portal: all of its key
        account's for an administrator or finance, its department's for a
        buyer, none otherwise."""
        roles = partner._key_account_portal_roles()
        customer = partner.commercial_partner_id
        if roles & {"admin", "finance"}:
            return [("customer_id", "=", customer.id)]
        department = partner.sudo().key_account_department_id
        if "buyer" in roles and department:
            return [
                ("customer_id", "=", customer.id),
                ("department_id", "=", department.id),
            ]
        return [("id", "=", False)]

    @api.model
    def _key_account_portal_budgets(self, partner, offset=0, limit=20):
        """``(total, budgets)`` for the portal's budget page, the figures of
        the page computed in one aggregation."""
        Budget = self.sudo()
        domain = self._key_account_portal_domain(partner)
        total = Budget.search_count(domain)
        budgets = Budget.search(domain, offset=offset, limit=limit)
        budgets.fetch(["department_id", "period_type", "date_from", "date_to"])
        budgets.department_id.fetch(["name"])
        # reserved, spent and left are computed for the whole page at its
        # first read (one aggregation): never assigned here, which would
        # write the budgets
        return total, budgets
