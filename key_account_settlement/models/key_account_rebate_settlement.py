# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Rebate settlements (返点): one per contract and rebate period.

The computation (``_run_rebates``) lives in
``key_account_rebate_settlement_run.py``; this file holds the record, its
states and the credit note."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.key_account_base.models.key_account_guard_mixin import NOT_ON_CREATE

APPROVER_GROUPS = (
    "key_account_base.key_account_group_manager",
    "account.group_account_manager",
)
COMPUTER_GROUPS = (
    "key_account_base.key_account_group_manager",
    "account.group_account_invoice",
)
# Written only by the computation and the action methods (as superuser).
PROTECTED_FIELDS = frozenset(
    {
        "name",
        "contract_id",
        "company_id",
        "currency_id",
        "rebate_mode",
        "date_from",
        "date_to",
        "period_key",
        "date_computed",
        "amount_base",
        "amount_tier_base",
        "tier_id",
        "rate",
        "amount_rebate",
        "amount_previous",
        "amount_due",
        "state",
        "credit_move_id",
    }
)


class KeyAccountRebateSettlement(models.Model):
    _name = "key.account.rebate.settlement"
    _description = "Key Account Rebate Settlement"
    _inherit = ("mail.thread", "mail.activity.mixin", "key.account.guard.mixin")
    _order = "date_from desc, contract_id, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    contract_id = fields.Many2one(
        "key.account.contract",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    partner_id = fields.Many2one(
        related="contract_id.partner_id", string="Customer", store=True, index=True
    )
    user_id = fields.Many2one(
        related="contract_id.user_id", string="Key Account Manager"
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    currency_id = fields.Many2one("res.currency", required=True, readonly=True)
    rebate_mode = fields.Selection(
        selection=[
            ("cumulative", "Cumulative"),
            ("per_period", "Per Period"),
        ],
        required=True,
        readonly=True,
        help="The contract's rebate mode when the settlement was computed.",
    )
    date_from = fields.Date(string="Period Start", required=True, readonly=True)
    date_to = fields.Date(string="Period End", required=True, readonly=True)
    period_key = fields.Char(
        string="Period",
        required=True,
        readonly=True,
        help="Calendar period of the settlement (2026-Q3, 2026-H1, 2026), "
        "limited to the contract's validity.",
    )
    date_computed = fields.Datetime(string="Computed On", readonly=True, copy=False)
    amount_base = fields.Monetary(
        string="Invoiced in Period (Untaxed)",
        readonly=True,
        help="Untaxed amount of the contract's posted customer invoices minus "
        "its posted credit notes dated in the period (invoice date), as computed. "
        "Taxes are not included.",
    )
    amount_tier_base = fields.Monetary(
        string="Tier Base (Untaxed)",
        readonly=True,
        help="Untaxed amount the tier is found from, net of credit notes. Per "
        "period: the amount invoiced in the period. Cumulative: the amount "
        "invoiced since the start of the calendar year (or of the contract, when "
        "it started later) up to the end of the period. Stored as computed: a "
        "credit note posted later is booked as an adjustment of a later "
        "settlement.",
    )
    tier_id = fields.Many2one(
        "key.account.contract.rebate.tier",
        string="Tier Reached",
        readonly=True,
        ondelete="set null",
    )
    rate = fields.Float(string="Rebate Rate (%)", digits="Discount", readonly=True)
    amount_rebate = fields.Monetary(
        string="Rebate on Tier Base",
        readonly=True,
        help="Tier base times the rate of the tier reached.",
    )
    amount_previous = fields.Monetary(
        string="Earlier Settlements Deducted",
        readonly=True,
        help="Cumulative mode: rebate due by the earlier settlements of the same "
        "calendar year, deducted from the rebate on the tier base.",
    )
    amount_due = fields.Monetary(
        string="Rebate Due",
        readonly=True,
        help="Rebate on the tier base minus the earlier settlements deducted.",
    )
    adjustment_ids = fields.One2many(
        "key.account.rebate.settlement.adjustment",
        "settlement_id",
        string="Adjustments",
    )
    amount_adjustment = fields.Monetary(
        string="Total Adjustments",
        compute="_compute_amount_credit",
        store=True,
        help="Late changes of earlier settled periods and manual adjustments.",
    )
    amount_credit = fields.Monetary(
        string="Amount to Credit",
        compute="_compute_amount_credit",
        store=True,
        help="Rebate due plus adjustments: the untaxed amount of the credit note. "
        "Negative: the customer owes it back, and approval charges it back by a "
        "customer invoice.",
    )
    state = fields.Selection(
        selection=[
            ("computed", "Computed"),
            ("approved", "Approved"),
            ("credited", "Credited"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        required=True,
        default="computed",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    credit_move_id = fields.Many2one(
        "account.move",
        string="Credit Note",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    note = fields.Text()

    # The database refuses a second live settlement of a contract over any
    # day of a period already settled (same period, or overlapping periods
    # after the contract's rebate period changed), even from two
    # transactions at once. Cancelled settlements do not count.
    _sql_constraints = (
        (
            "contract_period_excl",
            """EXCLUDE USING GIST (
                int4range(contract_id, contract_id, '[]') WITH =,
                daterange(date_from, date_to, '[]') WITH &&
            ) WHERE (state != 'cancelled')""",
            (
                "A contract has at most one rebate settlement per period: cancel "
                "the existing settlement of the period before settling it again."
            ),
        ),
        (
            "date_check",
            "CHECK(date_to >= date_from)",
            "The end of a rebate period cannot be before its start.",
        ),
    )

    @api.depends("amount_due", "adjustment_ids.amount")
    def _compute_amount_credit(self):
        for settlement in self:
            adjustment = sum(settlement.adjustment_ids.mapped("amount"))
            settlement.amount_adjustment = adjustment
            settlement.amount_credit = settlement.currency_id.round(
                settlement.amount_due + adjustment
            )

    @api.depends("contract_id", "period_key")
    def _compute_display_name(self):
        for settlement in self:
            settlement.display_name = (
                f"{settlement.name} ({settlement.period_key})"
                if settlement.period_key
                else settlement.name
            )

    # ------------------------------------------------------------------
    # CRUD: the figures and the status are the server's
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Rebate settlements are created by the rebate computation: use "
                    "Compute Rebates."
                )
            )
        # one sequence look-up per company, then one number per settlement
        sequences = {}
        for vals in vals_list:
            if vals.get("name", "/") != "/":
                continue
            company_id = vals.get("company_id") or self.env.company.id
            if company_id not in sequences:
                sequences[company_id] = self.env["ir.sequence"].search(
                    [
                        ("code", "=", "key.account.rebate.settlement"),
                        ("company_id", "in", [company_id, False]),
                    ],
                    order="company_id",
                    limit=1,
                )
            sequence = sequences[company_id]
            vals["name"] = sequence._next() if sequence else "/"
        return super().create(vals_list)

    @api.model
    def _key_account_guarded_fields(self):
        # The guard mixin's check in create/write (key_account_base).
        return dict.fromkeys(PROTECTED_FIELDS, NOT_ON_CREATE)

    def _key_account_guard_error(self, names):
        return AccessError(
            self.env._(
                "The figures and the status of rebate settlement %(name)s are "
                "written by the rebate computation and its buttons only "
                "(fields: %(fields)s).",
                name=", ".join(self.mapped("name")),
                fields=self._key_account_field_labels(names),
            )
        )

    # ------------------------------------------------------------------
    # Rights and states
    # ------------------------------------------------------------------
    def _has_any_group(self, groups):
        user = self.env.user
        return self.env.su or any(user.has_group(group) for group in groups)

    def _check_approver(self):
        if not self._has_any_group(APPROVER_GROUPS):
            raise AccessError(
                self.env._(
                    "Only Key Account Managers and accounting managers approve or "
                    "cancel rebate settlements (%(names)s).",
                    names=", ".join(self.mapped("name")),
                )
            )

    def _check_computer(self):
        if not self._has_any_group(COMPUTER_GROUPS):
            raise AccessError(
                self.env._(
                    "Only Key Account Managers and accountants compute rebate "
                    "settlements."
                )
            )

    def _key_account_state_error(self, action, fname):
        self.ensure_one()
        states = dict(self._fields[fname]._description_selection(self.env))
        return self.env._(
            "%(action)s is not possible for rebate settlement %(name)s in "
            "status %(state)s.",
            action=action,
            name=self.name,
            state=states[self[fname]],
        )

    def _get_rebate_product(self):
        product = self.env.ref(
            "key_account_settlement.key_account_rebate_settlement_product",
            raise_if_not_found=False,
        )
        if not product:
            raise UserError(
                self.env._(
                    "The Rebate product is missing: update the Key Account "
                    "Settlement module to create it again."
                )
            )
        return product

    def _rebate_tax_shares(self):
        """{settlement: [(taxes, untaxed amount)]}: the amount to credit of
        each settlement split over the tax sets of the invoices it rebates
        (the contract's posted invoices and credit notes dated in its period),
        in proportion to their untaxed amounts. One query for all.

        A period without invoices (or with a net negative amount for every tax
        set) gives one part without taxes."""
        result = {}
        if not self:
            return result
        self.env["account.move"].flush_model()
        self.env["account.move.line"].flush_model(
            ["move_id", "display_type", "balance", "tax_ids"]
        )
        rows = self.env.execute_query(
            SQL(
                """SELECT w.settlement_id, t.tax_ids, SUM(-l.balance)
                     FROM unnest(%s::int[], %s::int[], %s::date[], %s::date[])
                              AS w(settlement_id, contract_id, date_from, date_to)
                     JOIN account_move m
                       ON m.key_account_contract_id = w.contract_id
                      AND m.invoice_date BETWEEN w.date_from AND w.date_to
                     JOIN account_move_line l
                       ON l.move_id = m.id AND l.display_type = 'product'
                     LEFT JOIN LATERAL (
                          SELECT array_agg(r.account_tax_id
                                           ORDER BY r.account_tax_id) AS tax_ids
                            FROM account_move_line_account_tax_rel r
                           WHERE r.account_move_line_id = l.id) t ON TRUE
                    WHERE m.state = 'posted'
                      AND m.move_type IN ('out_invoice', 'out_refund')
                      AND m.key_account_rebate_settlement_id IS NULL
                 GROUP BY w.settlement_id, t.tax_ids""",
                self.ids,
                [s.contract_id.id for s in self],
                [s.date_from for s in self],
                [s.date_to for s in self],
            )
        )
        bases = defaultdict(list)
        for settlement_id, tax_ids, amount in rows:
            if amount and amount > 0:
                bases[settlement_id].append((tuple(tax_ids or ()), amount))
        Tax = self.env["account.tax"]
        for settlement in self:
            currency = settlement.currency_id
            total = abs(settlement.amount_credit)
            groups = sorted(bases.get(settlement.id, []), key=lambda g: -g[1])
            if not groups:
                result[settlement] = [(Tax, total)]
                continue
            weight = sum(amount for _taxes, amount in groups)
            parts = []
            left = total
            for taxes, amount in groups[1:]:
                part = currency.round(total * amount / weight)
                parts.append((Tax.browse(taxes), part))
                left -= part
            parts.insert(0, (Tax.browse(groups[0][0]), currency.round(left)))
            result[settlement] = [
                part for part in parts if not currency.is_zero(part[1])
            ]
        return result

    def _prepare_credit_note_vals(self, product, tax_shares):
        """Values of the rebate credit note of the settlement (a customer
        invoice charging the rebate back when the amount to credit is
        negative): its contract, one line per tax set of the invoices it
        rebates, whose untaxed amounts add up to the amount to credit."""
        self.ensure_one()
        charge_back = self.currency_id.compare_amounts(self.amount_credit, 0) < 0
        label = self.env._(
            "Rebate %(period)s (%(date_from)s - %(date_to)s), "
            "contract %(contract)s: %(rate)s%% of %(base)s untaxed",
            period=self.period_key,
            date_from=self.date_from,
            date_to=self.date_to,
            contract=self.contract_id.name,
            rate=self.rate,
            base=self.amount_tier_base,
        )
        if charge_back:
            label = self.env._(
                "%(label)s, charged back (the rebate credited earlier was too high)",
                label=label,
            )
        lines = []
        for taxes, amount in tax_shares[self]:
            included = taxes.filtered("price_include")
            price = (
                included.compute_all(
                    amount, currency=self.currency_id, handle_price_include=False
                )["total_included"]
                if included
                else amount
            )
            lines.append(
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "name": label,
                        "quantity": 1.0,
                        "price_unit": price,
                        "tax_ids": [fields.Command.set(taxes.ids)],
                    }
                )
            )
        return {
            "move_type": "out_invoice" if charge_back else "out_refund",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "invoice_origin": self.name,
            "ref": self.env._(
                "Rebate %(period)s, contract %(contract)s",
                period=self.period_key,
                contract=self.contract_id.name,
            ),
            "key_account_contract_id": self.contract_id.id,
            "key_account_rebate_settlement_id": self.id,
            "invoice_line_ids": lines,
        }

    def action_approve(self):
        """Approve the settlements: a draft customer credit note of the amount
        to credit is created for finance (nothing to credit: credited at once).
        A negative amount to credit (a late credit note lowered an earlier
        period's rebate more than this period earns) is charged back: a draft
        customer invoice of that amount is created instead."""
        self._check_approver()
        self._key_account_check_state(("computed",), self.env._("Approval"))
        zero = self.filtered(lambda s: s.currency_id.is_zero(s.amount_credit))
        to_credit = self - zero
        product = self._get_rebate_product()
        tax_shares = to_credit._rebate_tax_shares()
        moves = self.env["account.move"]
        for company, settlements in to_credit.grouped("company_id").items():
            moves |= (
                self.env["account.move"]
                .sudo()
                .with_company(company)
                .create(
                    [
                        s._prepare_credit_note_vals(product, tax_shares)
                        for s in settlements
                    ]
                )
            )
        by_settlement = {move.key_account_rebate_settlement_id: move for move in moves}
        for settlement in to_credit:
            settlement.sudo().write(
                {"state": "approved", "credit_move_id": by_settlement[settlement].id}
            )
        zero.sudo().write({"state": "credited"})
        for settlement in self:
            move = settlement.credit_move_id
            if not move:
                body = self.env._("Approved: nothing to credit.")
            elif move.move_type == "out_invoice":
                body = self.env._(
                    "Approved: the amount to credit is negative, the customer owes "
                    "%(amount)s back: charge-back invoice %(move)s to post.",
                    amount=-settlement.amount_credit,
                    move=move.display_name,
                )
            else:
                body = self.env._(
                    "Approved: credit note %(move)s to post.", move=move.display_name
                )
            settlement.message_post(body=body)
        return True

    def action_cancel(self):
        """Cancel computed or approved settlements (the draft credit note is
        cancelled too). Credited settlements stay: correct them through a later
        settlement's adjustment."""
        self._check_approver()
        self._key_account_check_state(
            ("computed", "approved"), self.env._("Cancellation")
        )
        posted = self.credit_move_id.filtered(lambda m: m.state == "posted")
        if posted:
            raise UserError(
                self.env._(
                    "The credit note %(move)s of a rebate settlement is posted: "
                    "reset it to draft first.",
                    move=posted[0].display_name,
                )
            )
        booked = (
            self.env["key.account.rebate.settlement.adjustment"]
            .sudo()
            .search(
                [
                    ("source_settlement_id", "in", self.ids),
                    ("settlement_id", "not in", self.ids),
                    ("settlement_id.state", "!=", "cancelled"),
                ],
                limit=1,
            )
        )
        if booked:
            raise UserError(
                self.env._(
                    "Rebate settlement %(name)s cannot be cancelled: a late change of "
                    "its period is booked on settlement %(other)s. Cancel %(other)s "
                    "first, or keep %(name)s and correct it in the next settlement.",
                    name=booked.source_settlement_id.name,
                    other=booked.settlement_id.name,
                )
            )
        self.credit_move_id.filtered(lambda m: m.state == "draft").sudo().with_context(
            key_account_rebate_cancel=True
        ).button_cancel()
        self.sudo().write({"state": "cancelled"})
        return True

    def action_recompute(self):
        """Recompute computed settlements from today's invoices."""
        self._check_computer()
        self._key_account_check_state(("computed",), self.env._("Recomputation"))
        self.env["key.account.rebate.settlement"]._run_rebates(
            max(self.mapped("date_to")), contracts=self.contract_id
        )
        return True

    def action_view_credit_note(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.credit_move_id.id,
            "view_mode": "form",
        }

    def _check_rebate_move_post(self, moves):
        """Called by ``account.move._post``: a rebate credit note (or
        charge-back invoice) posts only while it is the document of its
        settlement; one cancelled earlier would credit the period twice."""
        stale = moves.sudo().filtered(
            lambda m: (
                m.key_account_rebate_settlement_id.credit_move_id
                not in (m | m.reversed_entry_id)
            )
        )
        if stale:
            raise UserError(
                self.env._(
                    "%(move)s no longer settles rebate settlement %(name)s: it was "
                    "cancelled, and the settlement is issued again by approving it. "
                    "Leave this document cancelled.",
                    move=stale[0].display_name,
                    name=stale[0].key_account_rebate_settlement_id.name,
                )
            )

    def _on_credit_note_posted(self, moves):
        """Called by ``account.move._post``: approved settlements whose credit
        note is posted are credited."""
        settlements = self.sudo().search(
            [("credit_move_id", "in", moves.ids), ("state", "=", "approved")]
        )
        settlements.write({"state": "credited"})
        # a posted reversal takes back what its credit note credited
        reversed_moves = moves.reversed_entry_id.filtered(
            "key_account_rebate_settlement_id"
        )
        if reversed_moves:
            self._on_credit_note_dropped(reversed_moves)

    def _on_credit_note_reset(self, moves):
        """Called when a credit note goes back to draft: credited → approved."""
        settlements = self.sudo().search(
            [("credit_move_id", "in", moves.ids), ("state", "=", "credited")]
        )
        settlements.write({"state": "approved"})

    def _on_credit_note_dropped(self, moves):
        """Called when a credit note (or charge-back invoice) is cancelled,
        reversed or deleted: its settlement is no longer credited. It goes back to
        computed: the next run recomputes it (counting back the late changes
        of its period already booked on later settlements) and a manager
        approves it again. The rebate is shown as owed on the contract
        meanwhile."""
        if self.env.context.get("key_account_rebate_cancel"):
            return
        settlements = self.sudo().search(
            [
                ("credit_move_id", "in", moves.ids),
                ("state", "in", ("approved", "credited")),
            ]
        )
        for settlement in settlements:
            settlement.message_post(
                body=self.env._(
                    "%(move)s was cancelled, reversed or deleted: the settlement is "
                    "computed again, to be approved again (the rebate of "
                    "%(amount)s is owed meanwhile).",
                    move=settlement.credit_move_id.name
                    or settlement.credit_move_id.display_name,
                    amount=settlement.amount_credit,
                )
            )
        settlements.write({"state": "computed", "credit_move_id": False})
