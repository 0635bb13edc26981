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

    def _key_account_check_contract(self):
        """Refuse orders whose contract does not cover them.

        The order date checked is the confirmation date (today): confirming
        sets ``date_order`` to now.
        """
        for order in self.filtered("key_account_contract_id"):
            contract = order.key_account_contract_id
            order_date = fields.Date.context_today(order)
            if contract.partner_id != order.partner_id.commercial_partner_id:
                raise UserError(
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
                raise UserError(
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
                raise UserError(
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

    def action_confirm(self):
        self._key_account_check_contract_on_confirm()
        return super().action_confirm()

    def _key_account_check_contract_on_confirm(self):
        """This module's own confirmation hook. key_account_order replaces it
        by its confirmation pipeline, which runs ``_key_account_check_contract``
        as one of its steps (so the check runs once)."""
        self._key_account_check_contract()

    def _prepare_invoice(self):
        vals = super()._prepare_invoice()
        if self.key_account_contract_id:
            vals["key_account_contract_id"] = self.key_account_contract_id.id
        return vals
