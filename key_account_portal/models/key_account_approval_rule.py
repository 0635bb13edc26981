# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class KeyAccountApprovalRule(models.Model):
    """A step of the customer's approval of its buyers' orders: when the
    conditions set on the rule all hold for an order (an empty rule always
    holds), the order waits for the rule's approvers. The rules of a key
    account that hold make the steps of the approval, in the order of their
    sequence (e.g. the department head, then finance above 100,000)."""

    _name = "key.account.approval.rule"
    _description = "Customer Approval Rule"
    _order = "customer_id, sequence, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(
        string="Step", default=10, help="Rules that hold are approved in this order."
    )
    active = fields.Boolean(default=True)
    customer_id = fields.Many2one(
        comodel_name="res.partner",
        string="Key Account",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_key_account", "=", True), ("is_company", "=", True)],
    )
    currency_id = fields.Many2one(related="customer_id.key_account_currency_id")
    amount_above = fields.Monetary(
        currency_field="currency_id",
        help="The rule holds for orders whose total is above this amount. "
        "Empty: any amount.",
    )
    product_ids = fields.Many2many(
        comodel_name="product.product",
        relation="key_account_approval_rule_product_rel",
        column1="rule_id",
        column2="product_id",
        string="Products",
        help="The rule holds for orders with one of these products. Empty: any.",
    )
    recipients_above = fields.Integer(
        help="The rule holds for orders to more recipients than this. 0: any.",
    )
    over_buyer_limit = fields.Boolean(
        string="Over the Buyer's Limit",
        help="The rule holds for orders above the buyer's per-order limit.",
    )
    over_budget = fields.Boolean(
        string="Beyond the Department's Budget",
        help="The rule holds for orders beyond what is left of the buyer's "
        "department budget.",
    )
    department_ids = fields.Many2many(
        comodel_name="key.account.department",
        relation="key_account_approval_rule_department_rel",
        column1="rule_id",
        column2="department_id",
        string="Departments",
        help="The rule holds for the buyers of these departments. Empty: all.",
    )
    approver_type = fields.Selection(
        selection=[
            ("department_head", "Department Head"),
            ("contacts", "Given Approvers"),
            ("any", "Any Approver"),
        ],
        string="Approved By",
        required=True,
        default="any",
        help="Department Head: the head of the buyer's department. Given "
        "Approvers: one of the contacts below. Any Approver: any contact of "
        "the key account with the approver role.",
    )
    approver_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="key_account_approval_rule_approver_rel",
        column1="rule_id",
        column2="partner_id",
        string="Approvers",
    )

    @api.constrains("approver_type", "approver_ids", "customer_id", "department_ids")
    def _check_approvers(self):
        for rule in self:
            if rule.approver_type == "contacts" and not rule.approver_ids:
                raise ValidationError(
                    self.env._(
                        "Approval rule %(rule)s: choose the approvers, or let "
                        "any approver or the department head approve.",
                        rule=rule.name,
                    )
                )
            strangers = rule.approver_ids.filtered(
                lambda p, rule=rule: p.commercial_partner_id != rule.customer_id
            )
            if strangers:
                raise ValidationError(
                    self.env._(
                        "Approval rule %(rule)s: %(names)s are no contacts of "
                        "%(customer)s. Choose the key account's own approvers.",
                        rule=rule.name,
                        names=", ".join(strangers.mapped("name")),
                        customer=rule.customer_id.name,
                    )
                )
            if rule.department_ids.customer_id - rule.customer_id:
                raise ValidationError(
                    self.env._(
                        "Approval rule %(rule)s: choose departments of %(customer)s.",
                        rule=rule.name,
                        customer=rule.customer_id.name,
                    )
                )

    @api.constrains("amount_above", "recipients_above")
    def _check_thresholds(self):
        for rule in self:
            if rule.amount_above < 0 or rule.recipients_above < 0:
                raise ValidationError(
                    self.env._(
                        "Approval rule %(rule)s: the amount and the number of "
                        "recipients cannot be negative.",
                        rule=rule.name,
                    )
                )

    def _key_account_holds(self, facts):
        """The rule holds for an order described by ``facts`` (see
        ``sale.order._key_account_approval_facts``)."""
        self.ensure_one()
        if self.amount_above and (
            float_compare(
                facts["amount"],
                self.amount_above,
                precision_rounding=self.currency_id.rounding or 0.01,
            )
            <= 0
        ):
            return False
        if self.product_ids and not (set(self.product_ids.ids) & facts["products"]):
            return False
        if self.recipients_above and facts["recipients"] <= self.recipients_above:
            return False
        if self.over_buyer_limit and not facts["over_limit"]:
            return False
        if self.over_budget and not facts["over_budget"]:
            return False
        return not (
            self.department_ids and facts["department"] not in self.department_ids
        )
