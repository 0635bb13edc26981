# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

PACKAGING = [
    ("standard", "Standard"),
    ("gift_wrap", "Gift Wrapping"),
    ("custom", "Custom"),
]


class SaleOrder(models.Model):
    _inherit = "sale.order"

    key_account_allocation_ids = fields.One2many(
        comodel_name="key.account.allocation",
        inverse_name="order_id",
        string="Recipient Allocations",
        copy=False,
    )
    key_account_recipient_count = fields.Integer(
        string="Recipients",
        compute="_compute_key_account_recipient_count",
    )
    key_account_delivery_grouping = fields.Selection(
        selection=[
            ("recipient", "Per Recipient"),
            ("department", "Per Department"),
            ("branch", "Per Branch"),
        ],
        string="Delivery Grouping",
        default="recipient",
        required=True,
        help="How allocated lines are shipped: one delivery per recipient, or one "
        "batch per department or per branch to the address given in the batches.",
    )
    key_account_batch_ids = fields.One2many(
        comodel_name="key.account.delivery.batch",
        inverse_name="order_id",
        string="Delivery Batches",
        copy=True,
    )
    key_account_delivery_date_from = fields.Date(
        string="Delivery From",
        help="Start of the delivery window requested by the customer.",
    )
    key_account_delivery_date_to = fields.Date(
        string="Delivery To",
        help="End of the delivery window requested by the customer.",
    )
    key_account_packaging = fields.Selection(
        selection=PACKAGING,
        string="Packaging",
        default="standard",
    )
    key_account_packaging_note = fields.Char(
        string="Packaging Details",
        help="Packaging requirements, e.g. greeting card text or custom box.",
    )
    key_account_logistics_note = fields.Text(
        string="Logistics Notes",
        help="Instructions for the carrier: contact before delivery, gate, "
        "working hours...",
    )
    key_account_review_state = fields.Selection(
        selection=[
            ("none", "Not Required"),
            ("pending", "Pending Review"),
            ("approved", "Approved"),
            ("returned", "Sent Back"),
        ],
        string="Review Status",
        default="none",
        required=True,
        copy=False,
        index=True,
        tracking=True,
    )
    key_account_review_note = fields.Text(
        string="Review Note",
        copy=False,
        help="Reason given when the order was sent back to the customer.",
    )

    @api.depends("key_account_allocation_ids.recipient_id")
    def _compute_key_account_recipient_count(self):
        counts = {}
        if self.ids:
            counts = dict(
                self.env["key.account.allocation"]._read_group(
                    [("order_id", "in", self.ids)],
                    groupby=["order_id"],
                    aggregates=["recipient_id:count_distinct"],
                )
            )
        for order in self:
            order.key_account_recipient_count = counts.get(order, 0)

    def action_confirm(self):
        self.order_line._key_account_check_allocated_qty()
        return super().action_confirm()

    def action_key_account_view_allocations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_order.key_account_allocation_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        return action
