# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

from odoo.addons.key_account_base.tools import changed_fields

_logger = logging.getLogger(__name__)

CONTRACT_SEQUENCE_CODE = "key.account.contract"
# contracts that hold the customer's slot for their period
LIVE_STATES = ("confirmed", "active")
RENEWAL_NOTICE_DAYS = 30
# Fields that are not terms of the contract: outside draft a Key Account User
# still changes them (the chatter's fields are added by _get_free_fields).
FREE_FIELDS = frozenset(("user_id",))
# Fields written only by the contract's own methods (as superuser): the
# status through the action methods, the pricelist by the pricelist sync.
TECHNICAL_FIELDS = ("state", "pricelist_id")


class KeyAccountContract(models.Model):
    _name = "key.account.contract"
    _description = "Key Account Contract"
    _inherit = ("mail.thread", "mail.activity.mixin", "key.account.guard.mixin")
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number",
        required=True,
        readonly=True,
        copy=False,
        default="/",
        index="trigram",
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_key_account', '=', True), ('key_account_state', '=', 'approved'),"
        " ('is_company', '=', True)]",
        help="Approved key account (the commercial entity) the contract is signed "
        "with.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Key Account Manager",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
        help="Responsible of the contract; receives the renewal reminder when the "
        "customer has no salesperson.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        tracking=True,
        default=lambda self: self.env.company.currency_id,
    )
    date_start = fields.Date(
        string="Start Date",
        required=True,
        tracking=True,
        default=fields.Date.context_today,
    )
    date_end = fields.Date(
        string="End Date",
        required=True,
        tracking=True,
        default=lambda self: (
            fields.Date.context_today(self) + relativedelta(years=1, days=-1)
        ),
    )
    date_signed = fields.Date(string="Signing Date", copy=False)
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("confirmed", "To Start"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("terminated", "Terminated"),
            ("cancelled", "Cancelled"),
        ],
        string="Status",
        required=True,
        default="draft",
        copy=False,
        index=True,
        tracking=True,
    )
    cooperation_mode = fields.Selection(
        selection=[
            ("framework", "Framework Agreement"),
            ("one_off", "One-off Purchase"),
            ("consignment", "Consignment"),
            ("other", "Other"),
        ],
        required=True,
        default="framework",
        tracking=True,
    )
    # Prices
    discount = fields.Float(
        string="Global Discount (%)",
        digits="Discount",
        tracking=True,
        help="Discount on the key-account price of every product without a "
        "product or category discount line.",
    )
    discount_line_ids = fields.One2many(
        "key.account.contract.discount",
        "contract_id",
        string="Discount Lines",
        copy=True,
    )
    allow_promotions = fields.Boolean(
        string="Promotions Apply",
        tracking=True,
        help="When set, the contract prices are computed from the company's "
        "promotion pricelist (itself based on the key-account price), so current "
        "promotions also apply to the contract's orders.",
    )
    # Payment and credit
    payment_method = fields.Selection(
        selection=[
            ("bank_transfer", "Bank Transfer"),
            ("acceptance_bill", "Acceptance Bill"),
            ("cash_on_delivery", "Cash on Delivery"),
            ("online", "Online Payment"),
            ("other", "Other"),
        ],
        default="bank_transfer",
        tracking=True,
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Payment Terms",
        check_company=True,
        tracking=True,
        help="Credit period (账期) of the contract's orders and invoices.",
    )
    credit_limit = fields.Monetary(
        tracking=True,
        help="Maximum of ordered and unpaid amount; 0 means no limit.",
    )
    committed_amount = fields.Monetary(
        tracking=True,
        help="Amount the customer commits to order during the contract period.",
    )
    # Rebates (settled by key_account_settlement)
    rebate_period = fields.Selection(
        selection=[
            ("quarterly", "Quarterly"),
            ("half_yearly", "Half-yearly"),
            ("yearly", "Yearly"),
        ],
        default="yearly",
    )
    rebate_mode = fields.Selection(
        selection=[
            ("cumulative", "Cumulative"),
            ("per_period", "Per Period"),
        ],
        default="per_period",
        help="Cumulative: the tier is found from the untaxed amount invoiced "
        "since the start of the calendar year (or of the contract, if later), "
        "less what earlier settlements of the year paid. Per period: from the "
        "untaxed amount invoiced in the period.",
    )
    rebate_tier_ids = fields.One2many(
        "key.account.contract.rebate.tier",
        "contract_id",
        string="Rebate Tiers",
        copy=True,
    )
    invoice_policy = fields.Selection(
        selection=[
            ("delivery", "Per Delivery"),
            ("period", "Consolidated per Period"),
        ],
        string="Invoicing Policy",
        required=True,
        default="delivery",
        tracking=True,
    )
    note = fields.Html(string="Terms and Conditions")
    # Renewal
    previous_contract_id = fields.Many2one(
        "key.account.contract",
        string="Renewed Contract",
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    renewal_ids = fields.One2many(
        "key.account.contract", "previous_contract_id", string="Renewals"
    )
    renewal_count = fields.Integer(compute="_compute_renewal_count")
    renewal_activity_scheduled = fields.Boolean(copy=False)
    # Orders and invoices
    sale_order_ids = fields.One2many(
        "sale.order", "key_account_contract_id", string="Sales Orders"
    )
    sale_order_count = fields.Integer(compute="_compute_sale_order_count")
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    _sql_constraints = (
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "The contract number must be unique per company.",
        ),
        (
            "date_check",
            "CHECK(date_end >= date_start)",
            "The end date of a contract cannot be before its start date.",
        ),
        # The overlap check (_check_overlap) reads the contracts the
        # transaction sees: two transactions confirming contracts of one
        # customer at once would both pass it. The database refuses the
        # second one (same pattern as core's hr_work_entry).
        (
            "live_period_excl",
            """EXCLUDE USING GIST (
                int4range(partner_id, partner_id, '[]') WITH =,
                int4range(company_id, company_id, '[]') WITH =,
                daterange(date_start, date_end, '[]') WITH &&
            ) WHERE (state IN ('confirmed', 'active'))""",
            (
                "A customer has at most one confirmed or active contract per "
                "company over a period: another contract of the customer was "
                "confirmed at the same time. Reload the contracts of the customer "
                "and check their dates."
            ),
        ),
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _count_by_contract(self, model, domain, fname):
        """{contract: number of ``model`` records of ``domain``, grouped by
        their contract field ``fname``} in one query."""
        return dict(self.env[model]._read_group(domain, [fname], ["__count"]))

    def _compute_renewal_count(self):
        counts = self._count_by_contract(
            "key.account.contract",
            [("previous_contract_id", "in", self.ids)],
            "previous_contract_id",
        )
        for contract in self:
            contract.renewal_count = counts.get(contract, 0)

    def _compute_sale_order_count(self):
        counts = self._count_by_contract(
            "sale.order",
            [("key_account_contract_id", "in", self.ids)],
            "key_account_contract_id",
        )
        for contract in self:
            contract.sale_order_count = counts.get(contract, 0)

    def _invoice_domain(self):
        return [
            ("key_account_contract_id", "in", self.ids),
            ("move_type", "in", ("out_invoice", "out_refund")),
        ]

    def _compute_invoice_count(self):
        counts = self._count_by_contract(
            "account.move", self._invoice_domain(), "key_account_contract_id"
        )
        for contract in self:
            contract.invoice_count = counts.get(contract, 0)

    @api.depends("partner_id")
    def _compute_display_name(self):
        for contract in self:
            if contract.partner_id:
                contract.display_name = f"{contract.name} - {contract.partner_id.name}"
            else:
                contract.display_name = contract.name

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("partner_id")
    def _check_partner_id(self):
        for contract in self:
            partner = contract.partner_id
            if (
                partner != partner.commercial_partner_id
                or not partner.is_key_account
                or partner.key_account_state != "approved"
            ):
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: the customer %(partner)s is not an "
                        "approved key account (company). Choose the approved key "
                        "account itself, or have it approved first.",
                        contract=contract.name,
                        partner=partner.display_name,
                    )
                )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            if contract.date_end < contract.date_start:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s ends (%(end)s) before it starts "
                        "(%(start)s): correct the end date.",
                        contract=contract.name,
                        end=contract.date_end,
                        start=contract.date_start,
                    )
                )

    def _get_overlapping_contracts(self, starting=False):
        """Return {contract: other live contract} for the contracts of ``self``
        whose customer already has a confirmed or active contract of the same
        company over overlapping dates (one search for all).

        ``starting``: the contracts of ``self`` are about to become live
        (whatever their status now); they count as live for each other too.
        """
        contracts = (
            self if starting else self.filtered(lambda c: c.state in LIVE_STATES)
        )
        if not contracts:
            return {}
        candidates = self.search(
            [
                ("state", "in", LIVE_STATES),
                ("partner_id", "in", contracts.partner_id.ids),
                ("company_id", "in", contracts.company_id.ids),
                ("date_start", "<=", max(contracts.mapped("date_end"))),
                ("date_end", ">=", min(contracts.mapped("date_start"))),
            ]
        )
        if starting:
            candidates |= contracts
        result = {}
        for contract in contracts:
            for other in candidates:
                if (
                    other != contract
                    and other.partner_id == contract.partner_id
                    and other.company_id == contract.company_id
                    and other.date_start <= contract.date_end
                    and other.date_end >= contract.date_start
                ):
                    result[contract] = other
                    break
        return result

    def _overlap_error(self, contract, other):
        return ValidationError(
            self.env._(
                "Contract %(contract)s overlaps contract %(other)s of %(partner)s "
                "(%(start)s - %(end)s): a customer has at most one active contract "
                "per company at a time. Change the dates, or terminate or cancel "
                "%(other)s first.",
                contract=contract.name,
                other=other.name,
                partner=contract.partner_id.display_name,
                start=other.date_start,
                end=other.date_end,
            )
        )

    @api.constrains("state", "partner_id", "company_id", "date_start", "date_end")
    def _check_overlap(self):
        for contract, other in self._get_overlapping_contracts().items():
            raise self._overlap_error(contract, other)

    # ------------------------------------------------------------------
    # CRUD: the status, the technical links and, outside draft, the terms
    # are guarded here for every client (views are not security).
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = self.env["ir.sequence"].with_company(
                    company
                ).next_by_code(CONTRACT_SEQUENCE_CODE) or self.env._("New")
        if not self.env.su:
            for vals in vals_list:
                wrong = [
                    name
                    for name in TECHNICAL_FIELDS
                    if vals.get(name)
                    and not (name == "state" and vals[name] == "draft")
                ]
                if wrong:
                    # contracts are born in draft; the action methods move them
                    raise AccessError(
                        self.env._(
                            "Contract %(contract)s must be created in draft "
                            "(%(fields)s are set by the contract itself): create it, "
                            "then have a Key Account Manager confirm it.",
                            contract=vals["name"],
                            fields=", ".join(self._field_labels(wrong)),
                        )
                    )
        contracts = super().create(vals_list)
        contracts._sync_pricelist()
        return contracts

    def write(self, vals):
        if not self.env.su:
            self._check_write(vals)
        with self._defer_pricelist_sync():
            res = super().write(vals)
        if {
            "discount",
            "discount_line_ids",
            "allow_promotions",
            "currency_id",
            "company_id",
        } & set(vals):
            self._sync_pricelist()
        return res

    def _field_labels(self, names):
        return [self._fields[name]._description_string(self.env) for name in names]

    @api.model
    def _get_free_fields(self):
        """Fields a Key Account User changes outside draft: what is not a
        term of the contract (its responsible, its chatter)."""
        mail_fields = set(self.env["mail.thread"]._fields) | set(
            self.env["mail.activity.mixin"]._fields
        )
        return FREE_FIELDS | (mail_fields - set(models.MAGIC_COLUMNS) - {"id"})

    def _check_write(self, vals):
        """Refuse what the current (non-superuser) user may not write: the
        status and the pricelist (nobody writes them), and outside draft the
        terms (only a Key Account Manager)."""
        for contract in self:
            technical = changed_fields(contract, vals, TECHNICAL_FIELDS)
            if technical:
                raise AccessError(
                    self.env._(
                        "%(fields)s of contract %(contract)s change only through "
                        "its buttons (Confirm, Activate Now, Terminate, Cancel, "
                        "Reset to Draft), which a Key Account Manager uses.",
                        fields=", ".join(self._field_labels(technical)),
                        contract=contract.name,
                    )
                )
        if self._key_account_is_manager():
            return
        terms = set(vals) - self._get_free_fields()
        for contract in self.filtered(lambda c: c.state != "draft"):
            changed = changed_fields(contract, vals, terms)
            if changed:
                raise contract._terms_error(self._field_labels(changed))

    def _terms_error(self, labels):
        self.ensure_one()
        return AccessError(
            self.env._(
                "Contract %(contract)s is %(state)s: only a Key Account Manager "
                "changes its terms (%(fields)s).",
                contract=self.name,
                state=dict(self._fields["state"]._description_selection(self.env))[
                    self.state
                ],
                fields=", ".join(labels),
            )
        )

    def _check_terms_editable(self, labels):
        """Raise unless the current user may change the terms ``labels`` of
        the contracts of ``self`` (discount lines, rebate tiers)."""
        if self._key_account_is_manager():
            return
        for contract in self.filtered(lambda c: c.state != "draft"):
            raise contract._terms_error(labels)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        for contract in self:
            if contract.state not in ("draft", "cancelled"):
                raise UserError(
                    self.env._(
                        "Contract %(contract)s is %(state)s: only draft or cancelled "
                        "contracts can be deleted. Cancel it first.",
                        contract=contract.name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[contract.state],
                    )
                )

    def unlink(self):
        pricelists = self.pricelist_id
        res = super().unlink()
        pricelists.sudo().unlink()
        return res

    # ------------------------------------------------------------------
    # State machine: the action methods are the only writers of the status
    # ------------------------------------------------------------------
    def _check_manager(self):
        if not self._key_account_is_manager():
            raise AccessError(
                self.env._(
                    "Only Key Account Managers can confirm, activate, terminate, "
                    "cancel or reset contracts (%(contracts)s). Ask a manager to "
                    "do it.",
                    contracts=", ".join(self.mapped("name")),
                )
            )

    def _key_account_state_error(self, action, fname):
        self.ensure_one()
        states = dict(self._fields[fname]._description_selection(self.env))
        return self.env._(
            "%(action)s is not possible for contract %(contract)s in status %(state)s.",
            action=action,
            contract=self.name,
            state=states[self[fname]],
        )

    def _check_customer_approved(self):
        for contract in self:
            partner = contract.partner_id
            if not partner.is_key_account or partner.key_account_state != "approved":
                raise UserError(
                    self.env._(
                        "Contract %(contract)s cannot start: its customer "
                        "%(partner)s is no longer an approved key account.",
                        contract=contract.name,
                        partner=partner.display_name,
                    )
                )

    def _write_live_state(self, vals):
        """Write a live status (confirmed, active) as superuser. Another
        transaction confirming a contract of the same customer at the same
        time is refused by the database (``live_period_excl``): turn that into
        a message naming the contract."""
        for contract, other in self._get_overlapping_contracts(starting=True).items():
            raise self._overlap_error(contract, other)
        try:
            with self.env.cr.savepoint():
                self.sudo().write(vals)
                self.env["key.account.contract"].flush_model()
        except pg_errors.ExclusionViolation:
            raise ValidationError(
                self.env._(
                    "Contract %(contracts)s cannot start: another contract of "
                    "%(partners)s was confirmed at the same time over the same "
                    "period. Reload the customer's contracts and check their dates.",
                    contracts=", ".join(self.mapped("name")),
                    partners=", ".join(self.partner_id.mapped("display_name")),
                )
            ) from None

    def action_confirm(self):
        """Confirm the contracts (manager): those whose start date has come are
        active at once, the others wait for it ("To Start")."""
        self._check_manager()
        self._key_account_check_state(("draft",), self.env._("Confirmation"))
        self._check_customer_approved()
        today = fields.Date.context_today(self)
        started = self.filtered(lambda c: c.date_start <= today)
        if any(c.date_end < today for c in started):
            expired = started.filtered(lambda c: c.date_end < today)[0]
            raise UserError(
                self.env._(
                    "Contract %(contract)s ended on %(end)s: change its dates "
                    "before confirming it.",
                    contract=expired.name,
                    end=expired.date_end,
                )
            )
        self.filtered(lambda c: not c.date_signed).sudo().write({"date_signed": today})
        (self - started)._write_live_state({"state": "confirmed"})
        started._write_live_state({"state": "active"})
        return True

    def action_activate(self):
        """Activate confirmed contracts now (manager)."""
        self._check_manager()
        self._key_account_check_state(("confirmed",), self.env._("Activation"))
        self._check_customer_approved()
        self._write_live_state({"state": "active"})
        return True

    def action_terminate(self):
        self._check_manager()
        self._key_account_check_state(
            ("confirmed", "active"), self.env._("Termination")
        )
        self.sudo().write({"state": "terminated"})
        return True

    def action_cancel(self):
        self._check_manager()
        self._key_account_check_state(
            ("draft", "confirmed"), self.env._("Cancellation")
        )
        self.sudo().write({"state": "cancelled"})
        return True

    def action_draft(self):
        self._check_manager()
        self._key_account_check_state(("cancelled",), self.env._("Reset to draft"))
        self.sudo().write({"state": "draft"})
        return True

    def _prepare_renewal_vals(self):
        self.ensure_one()
        duration = relativedelta(self.date_end, self.date_start)
        date_start = self.date_end + timedelta(days=1)
        return {
            "previous_contract_id": self.id,
            "date_start": date_start,
            "date_end": date_start + duration,
        }

    def action_renew(self):
        """Create the next contract as a draft copy following this one (who
        may create contracts: a manager confirms it)."""
        self.ensure_one()
        self.check_access("write")
        self.browse().check_access("create")
        if self.state not in ("active", "expired", "confirmed"):
            raise UserError(
                self.env._(
                    "Only confirmed, active or expired contracts can be renewed "
                    "(%(contract)s).",
                    contract=self.name,
                )
            )
        renewal = self.copy(self._prepare_renewal_vals())
        self.message_post(
            body=self.env._(
                "Renewed by contract %(renewal)s.", renewal=renewal._get_html_link()
            )
        )
        return renewal._get_records_action(name=self.env._("Renewal"))

    # ------------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------------
    @api.model
    def _cron_update_contract_states(self):
        """Daily: expire ended contracts, activate the confirmed ones whose start
        date has come and remind the managers of renewals (one search per
        transition)."""
        today = fields.Date.context_today(self)
        to_expire = self.search([("state", "=", "active"), ("date_end", "<", today)])
        to_expire.write({"state": "expired"})

        to_activate = self.search(
            [
                ("state", "=", "confirmed"),
                ("date_start", "<=", today),
                ("date_end", ">=", today),
            ]
        )
        # already overlapping contracts stay "To Start": a manager decides
        overlapping = to_activate._get_overlapping_contracts_on_activation()
        for contract in overlapping:
            _logger.info(
                "Contract %s not activated: it overlaps an active contract.",
                contract.name,
            )
        to_activate = to_activate.filtered(lambda c: c not in overlapping)
        to_activate._write_live_state({"state": "active"})

        to_remind = self.search(
            [
                ("state", "=", "active"),
                ("renewal_activity_scheduled", "=", False),
                ("date_end", "<=", today + timedelta(days=RENEWAL_NOTICE_DAYS)),
            ]
        )
        to_remind._schedule_renewal_activities()

    def _get_overlapping_contracts_on_activation(self):
        """Contracts of ``self`` overlapping another active contract."""
        return {
            contract
            for contract, other in self._get_overlapping_contracts().items()
            if other.state == "active"
        }

    def _schedule_renewal_activities(self):
        by_user = defaultdict(lambda: self.browse())
        for contract in self:
            user = contract.partner_id.user_id or contract.user_id or self.env.user
            by_user[user] |= contract
        for user, contracts in by_user.items():
            for date_end, batch in contracts.grouped("date_end").items():
                batch.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=date_end - timedelta(days=RENEWAL_NOTICE_DAYS),
                    summary=self.env._("Renew the contract"),
                    note=self.env._(
                        "The contract ends on %(date)s: prepare its renewal with "
                        "the customer.",
                        date=date_end,
                    ),
                    user_id=user.id,
                )
        self.write({"renewal_activity_scheduled": True})

    @api.model
    def _get_active_contract(self, partner, date=None, company=None):
        """Return the active contract of ``partner`` (its commercial entity)
        covering ``date`` (today by default) in ``company``."""
        if not partner:
            return self.browse()
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        company = company or self.env.company
        return self.search(
            [
                ("partner_id", "=", partner.commercial_partner_id.id),
                ("company_id", "=", company.id),
                ("state", "=", "active"),
                ("date_start", "<=", date),
                ("date_end", ">=", date),
            ],
            limit=1,
        )

    # ------------------------------------------------------------------
    # The products a contract allows
    # ------------------------------------------------------------------
    def _key_account_product_domain(self):
        """Domain of the ``product.product`` the contract allows: a saleable
        product of the contract's company (or shared) that has a key-account
        price (an item of the company's key-account price tier, see
        ``res.company._key_account_get_pricelist``, applies to its variant,
        its template or its category; a global item allows every saleable
        product), or that a product discount line of the contract names.
        Category discount lines lower prices; they add no product. The one
        rule of the portal's catalog and pad, the recipient import, the
        order lines and the confirmation gate. Read as superuser."""
        self.ensure_one()
        tier = self.company_id._key_account_get_pricelist()
        now = fields.Datetime.now()
        Item = self.env["product.pricelist.item"].sudo()
        items = (
            Item.search(
                [
                    ("pricelist_id", "=", tier.id),
                    "|",
                    ("date_start", "=", False),
                    ("date_start", "<=", now),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">=", now),
                ]
            )
            if tier
            else Item
        )
        saleable = [
            ("sale_ok", "=", True),
            ("company_id", "in", [False, self.company_id.id]),
        ]
        if any(item.applied_on == "3_global" for item in items):
            return saleable
        by_kind = items.grouped("applied_on")
        variants = (
            by_kind.get("0_product_variant", Item).product_id
            | self.sudo().discount_line_ids.product_id
        )
        templates = by_kind.get("1_product", Item).product_tmpl_id
        categories = by_kind.get("2_product_category", Item).categ_id
        allowed = []
        if variants:
            allowed.append([("id", "in", variants.ids)])
        if templates:
            allowed.append([("product_tmpl_id", "in", templates.ids)])
        if categories:
            allowed.append([("categ_id", "child_of", categories.ids)])
        if not allowed:
            return expression.FALSE_DOMAIN
        return expression.AND([saleable, expression.OR(allowed)])

    def _key_account_allowed_products(self, products):
        """The products of ``products`` the contract allows (one search)."""
        self.ensure_one()
        if not products:
            return products
        return (
            products.sudo()
            .with_context(active_test=True)
            .search([("id", "in", products.ids)] + self._key_account_product_domain())
            .with_env(products.env)
        )

    # ------------------------------------------------------------------
    # Smart buttons
    # ------------------------------------------------------------------
    def action_view_sale_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("key_account_contract_id", "=", self.id)]
        action["context"] = {
            "default_partner_id": self.partner_id.id,
            "default_key_account_contract_id": self.id,
        }
        return action

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = self._invoice_domain()
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        return action

    def action_view_renewals(self):
        self.ensure_one()
        return self.renewal_ids._get_records_action(name=self.env._("Renewals"))
