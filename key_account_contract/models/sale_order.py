# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError


def _payment_method_selection(self):
    return self.env["key.account.contract"]._fields["payment_method"].selection


class SaleOrder(models.Model):
    _inherit = "sale.order"

    key_account_contract_id = fields.Many2one(
        "key.account.contract",
        string="Contract",
        compute="_compute_key_account_contract_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
        tracking=True,
        copy=False,
        domain="[('partner_id', 'parent_of', partner_id), "
        "('company_id', '=', company_id), ('state', '=', 'active')]",
    )
    key_account_payment_method = fields.Selection(
        selection=_payment_method_selection,
        string="Payment Method",
        compute="_compute_key_account_payment_method",
        store=True,
        readonly=False,
        precompute=True,
    )

    @api.depends("partner_id", "company_id")
    def _compute_key_account_contract_id(self):
        """Propose the customer's active contract (one search for all orders)."""
        todo = self.browse()
        for order in self:
            if order.state != "draft":
                continue
            partner = order.partner_id.commercial_partner_id
            contract = order.key_account_contract_id
            if (
                contract
                and contract.partner_id == partner
                and contract.company_id == order.company_id
            ):
                continue
            if partner.is_key_account:
                todo |= order
            else:
                order.key_account_contract_id = False
        if not todo:
            return
        today = fields.Date.context_today(self)
        contracts = self.env["key.account.contract"].search(
            [
                ("partner_id", "in", todo.partner_id.commercial_partner_id.ids),
                ("company_id", "in", todo.company_id.ids),
                ("state", "=", "active"),
                ("date_start", "<=", today),
                ("date_end", ">=", today),
            ]
        )
        by_key = {(c.partner_id, c.company_id): c for c in contracts}
        for order in todo:
            order.key_account_contract_id = by_key.get(
                (order.partner_id.commercial_partner_id, order.company_id), False
            )

    @api.depends("key_account_contract_id")
    def _compute_key_account_payment_method(self):
        for order in self:
            order.key_account_payment_method = (
                order.key_account_contract_id.payment_method
                or order.key_account_payment_method
            )

    @api.depends("key_account_contract_id")
    def _compute_pricelist_id(self):
        res = super()._compute_pricelist_id()
        for order in self:
            if order.state == "draft" and order.key_account_contract_id.pricelist_id:
                order.pricelist_id = order.key_account_contract_id.pricelist_id
        return res

    @api.depends("key_account_contract_id")
    def _compute_payment_term_id(self):
        res = super()._compute_payment_term_id()
        for order in self:
            if order.key_account_contract_id.payment_term_id:
                order.payment_term_id = order.key_account_contract_id.payment_term_id
        return res

    # ------------------------------------------------------------------
    # Confirmation: the one owner of the flow
    # ------------------------------------------------------------------
    def action_confirm(self):
        """Confirm orders: the one override of ``action_confirm`` in the
        key-account addons (the others extend the hooks below, never this
        method).

        1. ``_key_account_confirm_checks()``: the one check hook. It runs the
           named steps of ``_key_account_confirm_steps()`` in their order;
           the first step that refuses raises a UserError.
        2. ``_key_account_confirm_later()``: the orders that are not confirmed
           in this request, and what to show instead (key_account_order
           queues large orders for a background job, which comes back here,
           checks included).
        3. Core's ``action_confirm`` for the others (then ``_action_confirm``:
           procurement, deliveries...).

        ``_key_account_confirm_reasons()`` tells, without raising, why each
        order would be refused now (the review pool and the portal show it).
        """
        self._key_account_confirm_checks()
        later, action = self._key_account_confirm_later()
        if not later:
            return super().action_confirm()
        now = self - later
        if now:
            super(SaleOrder, now).action_confirm()
        return action

    @api.model
    def _key_account_confirm_steps(self):
        """The named steps of the confirmation, in order: a list of
        ``(name, check, reasons)`` where ``check`` is the name of a method
        that raises a UserError for the first refusal, and ``reasons`` the
        name of a method returning ``{order: [reasons]}`` without raising
        (None for a step that only acts while confirming, e.g. a row lock).

        An addon adds its step by calling ``super()`` and inserting its own
        tuple (see ``_key_account_insert_confirm_steps``)."""
        return [
            (
                "contract",
                "_key_account_check_contract",
                "_key_account_contract_reasons",
            ),
        ]

    @api.model
    def _key_account_insert_confirm_steps(self, steps, new_steps, before=None):
        """Insert ``new_steps`` into ``steps`` before the step named
        ``before`` (at the end if there is none). Returns ``steps``."""
        names = [step[0] for step in steps]
        index = names.index(before) if before in names else len(steps)
        steps[index:index] = new_steps
        return steps

    def _key_account_confirm_checks(self):
        """The one check hook of ``action_confirm`` (and of the background
        job): every step of ``_key_account_confirm_steps()`` in order."""
        for _name, check, _reasons in self._key_account_confirm_steps():
            getattr(self, check)()

    def _key_account_confirm_reasons(self, skip=(), by_step=False):
        """Why each order of ``self`` would be refused if it were confirmed
        now, on its own: ``{order: [reasons]}`` (an empty list: it would
        pass). Nothing is locked nor raised. ``skip``: names of steps left
        out (e.g. the review gate, for a reviewer about to approve).
        ``by_step``: ``{order: {step name: [reasons]}}`` instead, for a
        reader that words each step its own way (the portal)."""
        result = {order: {} for order in self}
        for name, _check, reasons in self._key_account_confirm_steps():
            if not reasons or name in skip:
                continue
            for order, texts in getattr(self, reasons)().items():
                if texts:
                    result[order].setdefault(name, []).extend(texts)
        if by_step:
            return result
        return {
            order: [text for texts in steps.values() for text in texts]
            for order, steps in result.items()
        }

    def _key_account_confirm_later(self):
        """Step 2 of ``action_confirm``: ``(orders, action)``, the orders of
        ``self`` confirmed later (not in this request) and the action to
        return for them. Here: none."""
        return self.browse(), None

    # ------------------------------------------------------------------
    # Step "contract"
    # ------------------------------------------------------------------
    def _key_account_check_contract(self):
        """Refuse orders whose contract does not cover them.

        The order date checked is the confirmation date (today): confirming
        sets ``date_order`` to now.
        """
        for reasons in self._key_account_contract_reasons().values():
            raise UserError(reasons[0])

    def _key_account_contract_reasons(self):
        """{order: [reasons]} for the orders whose contract does not cover
        them (see ``_key_account_check_contract``)."""
        result = {}
        for order in self.filtered("key_account_contract_id"):
            contract = order.key_account_contract_id
            order_date = fields.Date.context_today(order)
            reasons = []
            if contract.partner_id != order.partner_id.commercial_partner_id:
                reasons.append(
                    self.env._(
                        "Order %(order)s cannot be confirmed: contract "
                        "%(contract)s belongs to %(owner)s, not to %(customer)s. "
                        "Choose a contract of the customer.",
                        order=order.name,
                        contract=contract.name,
                        owner=contract.partner_id.display_name,
                        customer=order.partner_id.commercial_partner_id.display_name,
                    )
                )
            if contract.company_id != order.company_id:
                reasons.append(
                    self.env._(
                        "Order %(order)s cannot be confirmed: contract "
                        "%(contract)s belongs to company %(company)s.",
                        order=order.name,
                        contract=contract.name,
                        company=contract.company_id.name,
                    )
                )
            if contract.state != "active" or not (
                contract.date_start <= order_date <= contract.date_end
            ):
                reasons.append(
                    self.env._(
                        "Order %(order)s cannot be confirmed: contract "
                        "%(contract)s is not active on %(date)s (state: "
                        "%(state)s, valid %(start)s - %(end)s). Use an active "
                        "contract or remove it from the order.",
                        order=order.name,
                        contract=contract.name,
                        date=order_date,
                        state=dict(
                            contract._fields["state"]._description_selection(self.env)
                        )[contract.state],
                        start=contract.date_start,
                        end=contract.date_end,
                    )
                )
            if reasons:
                result[order] = reasons
        return result

    def _prepare_invoice(self):
        vals = super()._prepare_invoice()
        if self.key_account_contract_id:
            vals["key_account_contract_id"] = self.key_account_contract_id.id
        return vals
