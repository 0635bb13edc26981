# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

CONTRACT_SEQUENCE_CODE = "key.account.contract"
MANAGER_GROUP = "key_account_base.key_account_group_manager"
# contracts that hold the customer's slot for their period
LIVE_STATES = ("confirmed", "active")
RENEWAL_NOTICE_DAYS = 30
# credit_available of contracts without credit limit
CREDIT_UNLIMITED = 1e12


class KeyAccountContract(models.Model):
    _name = "key.account.contract"
    _description = "Key Account Contract"
    _inherit = ("mail.thread", "mail.activity.mixin")
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
    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Contract Pricelist",
        readonly=True,
        copy=False,
        check_company=True,
        help="Pricelist derived from the key-account price and the contract "
        "discounts; kept in sync with the discount lines.",
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
        help="Cumulative: the tier is found from the amount invoiced since the "
        "contract start. Per period: from the amount invoiced in the period.",
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
    # Execution (live, aggregated in SQL)
    amount_ordered = fields.Monetary(
        compute="_compute_execution", help="Untaxed amount of confirmed orders."
    )
    amount_delivered = fields.Monetary(
        compute="_compute_execution",
        help="Untaxed value of the delivered quantities of confirmed orders.",
    )
    amount_invoiced = fields.Monetary(
        compute="_compute_execution",
        help="Untaxed amount of posted customer invoices minus credit notes.",
    )
    amount_paid = fields.Monetary(
        compute="_compute_execution",
        help="Paid part (tax included) of posted customer invoices minus credit notes.",
    )
    amount_remaining = fields.Monetary(
        compute="_compute_execution",
        help="Committed amount not ordered yet.",
    )
    credit_unlimited = fields.Boolean(compute="_compute_execution")
    credit_available = fields.Monetary(
        compute="_compute_execution",
        help="Credit limit minus the ordered and unpaid amount (tax included: "
        "total of confirmed orders minus payments). Contracts without credit "
        "limit have unlimited credit.",
    )

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

    def _get_execution_amounts(self):
        """Return {contract id: {measure: amount}} for the contracts of ``self``,
        in each contract's currency.

        Three queries for all the contracts (orders, order lines, invoices).
        Orders and invoices are
        summed in their own currency; amounts in another currency than the
        contract's are converted at today's rate.
        """
        result = defaultdict(lambda: defaultdict(float))
        ids = tuple(self._origin.ids)
        if not ids:
            return result
        self.env["sale.order"].flush_model(
            [
                "key_account_contract_id",
                "state",
                "currency_id",
                "amount_untaxed",
                "amount_total",
            ]
        )
        self.env["sale.order.line"].flush_model(
            ["order_id", "qty_delivered", "price_reduce_taxexcl"]
        )
        self.env["account.move"].flush_model(
            [
                "key_account_contract_id",
                "state",
                "move_type",
                "currency_id",
                "amount_untaxed",
                "amount_total",
                "amount_residual",
            ]
        )
        # Customer invoices count positive, credit notes negative.
        sign = SQL("CASE WHEN move_type = 'out_refund' THEN -1 ELSE 1 END")
        # (measures, query): each query returns contract, currency, then one
        # sum per measure; one query per table.
        queries = [
            (
                ("ordered", "ordered_total"),
                SQL(
                    """SELECT key_account_contract_id, currency_id,
                              SUM(amount_untaxed), SUM(amount_total)
                         FROM sale_order
                        WHERE key_account_contract_id IN %s AND state = 'sale'
                     GROUP BY key_account_contract_id, currency_id""",
                    ids,
                ),
            ),
            (
                ("delivered",),
                SQL(
                    """SELECT so.key_account_contract_id, so.currency_id,
                              SUM(sol.qty_delivered * sol.price_reduce_taxexcl)
                         FROM sale_order_line sol
                         JOIN sale_order so ON so.id = sol.order_id
                        WHERE so.key_account_contract_id IN %s
                          AND so.state = 'sale'
                     GROUP BY so.key_account_contract_id, so.currency_id""",
                    ids,
                ),
            ),
            (
                ("invoiced", "paid"),
                SQL(
                    """SELECT key_account_contract_id, currency_id,
                              SUM(%s * amount_untaxed),
                              SUM(%s * (amount_total - amount_residual))
                         FROM account_move
                        WHERE key_account_contract_id IN %s AND state = 'posted'
                          AND move_type IN ('out_invoice', 'out_refund')
                     GROUP BY key_account_contract_id, currency_id""",
                    sign,
                    sign,
                    ids,
                ),
            ),
        ]
        contracts = self._origin.browse(ids)
        contracts.fetch(["currency_id", "company_id"])
        today = fields.Date.context_today(self)
        for measures, query in queries:
            for contract_id, currency_id, *amounts in self.env.execute_query(query):
                contract = contracts.browse(contract_id)
                currency = self.env["res.currency"].browse(currency_id)
                for measure, amount in zip(measures, amounts, strict=True):
                    amount = amount or 0.0
                    if currency != contract.currency_id:
                        amount = currency._convert(
                            amount,
                            contract.currency_id,
                            contract.company_id,
                            today,
                            round=False,
                        )
                    result[contract_id][measure] += amount
        return result

    @api.depends("committed_amount", "credit_limit")
    def _compute_execution(self):
        amounts = self._get_execution_amounts()
        for contract in self:
            values = amounts[contract._origin.id]
            ordered = values["ordered"]
            paid = values["paid"]
            contract.amount_ordered = ordered
            contract.amount_delivered = values["delivered"]
            contract.amount_invoiced = values["invoiced"]
            contract.amount_paid = paid
            contract.amount_remaining = contract.committed_amount - ordered
            contract.credit_unlimited = not contract.credit_limit
            contract.credit_available = (
                CREDIT_UNLIMITED
                if contract.credit_unlimited
                else contract.credit_limit - (values["ordered_total"] - paid)
            )

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

    def _get_overlapping_contracts(self):
        """Return {contract: other live contract} for the contracts of ``self``
        whose customer already has a confirmed or active contract of the same
        company over overlapping dates (one search for all)."""
        contracts = self.filtered(lambda c: c.state in LIVE_STATES)
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
    # CRUD
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
        if not self.env.su and any(
            vals.get("state", "draft") not in ("draft", "cancelled")
            for vals in vals_list
        ):
            # contracts are born in draft; only a manager creates them live
            self._check_manager()
        contracts = super().create(vals_list)
        contracts._sync_pricelist()
        return contracts

    def write(self, vals):
        if "state" in vals and not self.env.su:
            # state changes go through the action methods (rights checked there)
            self._check_state_write(vals["state"])
        res = super(
            KeyAccountContract, self.with_context(key_account_skip_pricelist_sync=True)
        ).write(vals)
        if {
            "discount",
            "discount_line_ids",
            "allow_promotions",
            "currency_id",
            "company_id",
        } & set(vals):
            self._sync_pricelist()
        return res

    def _check_state_write(self, state):
        if state in ("confirmed", "active", "terminated", "cancelled") and any(
            c.state != state for c in self
        ):
            self._check_manager()

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
    # Pricelist
    # ------------------------------------------------------------------
    def _get_base_pricelists(self):
        """Return {contract: pricelist its prices are based on}.

        The key-account pricelist of the contract's company (else the shared
        one); for contracts where promotions apply, the
        company's promotion pricelist (``key_account_is_promotion``, itself based
        on the key-account pricelist) when there is one.
        """
        promotions = self.env["product.pricelist"]
        if any(self.mapped("allow_promotions")):
            promotions = (
                self.env["product.pricelist"]
                .sudo()
                .search(
                    [
                        ("key_account_is_promotion", "=", True),
                        ("company_id", "in", [*self.company_id.ids, False]),
                    ],
                    order="company_id, sequence, id",
                )
            )
        result = {}
        for contract in self:
            base = contract.company_id._key_account_get_pricelist()
            if contract.allow_promotions:
                # a company's own promotion pricelist wins over a shared one
                base = (
                    promotions.filtered(
                        lambda p, c=contract: p.company_id == c.company_id
                    )
                    or promotions.filtered(lambda p: not p.company_id)
                )[:1] or base
            result[contract] = base
        return result

    def _prepare_pricelist_item_vals(self, base_pricelist):
        self.ensure_one()
        common = {
            "pricelist_id": self.pricelist_id.id,
            "compute_price": "formula",
            "base": "pricelist" if base_pricelist else "list_price",
            "base_pricelist_id": base_pricelist.id,
        }
        vals_list = [dict(common, applied_on="3_global", price_discount=self.discount)]
        for line in self.discount_line_ids:
            if line.product_id:
                vals = {
                    "applied_on": "0_product_variant",
                    "product_id": line.product_id.id,
                }
            else:
                vals = {
                    "applied_on": "2_product_category",
                    "categ_id": line.categ_id.id,
                }
            vals_list.append(dict(common, price_discount=line.discount, **vals))
        return vals_list

    def _prepare_pricelist_vals(self):
        self.ensure_one()
        return {
            "name": self.env._("Contract %(contract)s", contract=self.name),
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "key_account_contract_id": self.id,
        }

    def _sync_pricelist(self):
        """Create the contract pricelists that are missing and rewrite their items
        from the contract discounts (one unlink and one create of items)."""
        if self.env.context.get("key_account_skip_pricelist_sync"):
            return
        contracts = self.sudo()
        Pricelist = self.env["product.pricelist"].sudo()
        missing = contracts.filtered(lambda c: not c.pricelist_id)
        if missing:
            pricelists = Pricelist.create(
                [contract._prepare_pricelist_vals() for contract in missing]
            )
            for contract, pricelist in zip(missing, pricelists, strict=True):
                contract.with_context(
                    key_account_skip_pricelist_sync=True
                ).pricelist_id = pricelist
        for contract in contracts - missing:
            if (
                contract.pricelist_id.currency_id != contract.currency_id
                or contract.pricelist_id.company_id != contract.company_id
            ):
                contract.pricelist_id.write(
                    {
                        "currency_id": contract.currency_id.id,
                        "company_id": contract.company_id.id,
                    }
                )
        contracts.pricelist_id.item_ids.unlink()
        bases = contracts._get_base_pricelists()
        item_vals = []
        for contract in contracts:
            item_vals += contract._prepare_pricelist_item_vals(bases[contract])
        self.env["product.pricelist.item"].sudo().create(item_vals)

    # ------------------------------------------------------------------
    # State machine
    # ------------------------------------------------------------------
    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only Key Account Managers can confirm, activate, terminate or "
                    "cancel contracts (%(contracts)s). Ask a manager to do it.",
                    contracts=", ".join(self.mapped("name")),
                )
            )

    def _check_state(self, allowed, action):
        wrong = self.filtered(lambda c: c.state not in allowed)
        if wrong:
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(action)s is not possible for contract %(contract)s in status "
                    "%(state)s.",
                    action=action,
                    contract=wrong[0].name,
                    state=states[wrong[0].state],
                )
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

    def action_confirm(self):
        """Confirm the contracts (manager): those whose start date has come are
        active at once, the others wait for it ("To Start")."""
        self._check_manager()
        self._check_state(("draft",), self.env._("Confirmation"))
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
        contracts = self.sudo()
        vals = {"date_signed": today}
        (contracts - started).filtered(lambda c: not c.date_signed).write(
            dict(vals, state="confirmed")
        )
        (contracts - started).filtered("date_signed").write({"state": "confirmed"})
        contracts.browse(started.ids).write({"state": "active"})
        contracts.filtered(lambda c: not c.date_signed).write(vals)
        return True

    def action_activate(self):
        """Activate confirmed contracts now (manager)."""
        self._check_manager()
        self._check_state(("confirmed",), self.env._("Activation"))
        self._check_customer_approved()
        self.sudo().write({"state": "active"})
        return True

    def action_terminate(self):
        self._check_manager()
        self._check_state(("confirmed", "active"), self.env._("Termination"))
        self.sudo().write({"state": "terminated"})
        return True

    def action_cancel(self):
        self._check_manager()
        self._check_state(("draft", "confirmed"), self.env._("Cancellation"))
        self.sudo().write({"state": "cancelled"})
        return True

    def action_draft(self):
        self._check_state(("cancelled",), self.env._("Reset to draft"))
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
        """Create the next contract as a draft copy following this one."""
        self.ensure_one()
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
        to_activate.write({"state": "active"})

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
