# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class KeyAccountDeliveryBatch(models.Model):
    _name = "key.account.delivery.batch"
    _description = "Key Account Delivery Batch"
    _order = "order_id, name, id"
    _check_company_auto = True

    order_id = fields.Many2one(
        comodel_name="sale.order",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="order_id.company_id",
        store=True,
        index=True,
        precompute=True,
    )
    grouping = fields.Selection(
        related="order_id.key_account_delivery_grouping",
        string="Grouping",
    )
    name = fields.Char(
        string="Department / Branch",
        required=True,
        help="Department or branch (as written on the allocations) that this "
        "batch delivers to, depending on the order's delivery grouping.",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Delivery Address",
        required=True,
        check_company=True,
        context={"key_account_show_recipients": True},
        help="Where the batch of this department or branch is delivered.",
    )
    note = fields.Char()

    _sql_constraints = (
        (
            "order_name_uniq",
            "unique(order_id, name)",
            "An order has one delivery batch per department or branch.",
        ),
    )
