# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    key_account_allocation_ids = fields.One2many(
        comodel_name="key.account.allocation",
        inverse_name="order_line_id",
        string="Recipient Allocations",
        copy=False,
    )
    key_account_allocated_qty = fields.Float(
        string="Allocated Quantity",
        digits="Product Unit of Measure",
        compute="_compute_key_account_allocated_qty",
    )

    @api.depends("key_account_allocation_ids.quantity")
    def _compute_key_account_allocated_qty(self):
        for line in self:
            line.key_account_allocated_qty = sum(
                line.key_account_allocation_ids.mapped("quantity")
            )
