# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    key_account_delivery_date_from = fields.Date(
        related="sale_id.key_account_delivery_date_from"
    )
    key_account_delivery_date_to = fields.Date(
        related="sale_id.key_account_delivery_date_to"
    )
    key_account_packaging = fields.Selection(related="sale_id.key_account_packaging")
    key_account_packaging_note = fields.Char(
        related="sale_id.key_account_packaging_note"
    )
    key_account_logistics_note = fields.Text(
        related="sale_id.key_account_logistics_note"
    )
    key_account_recipient = fields.Boolean(
        related="partner_id.key_account_recipient", string="Recipient Delivery"
    )

    def _create_backorder(self, backorder_moves=None):
        # The recipient's delivery link follows to the backorder.
        backorders = super()._create_backorder(backorder_moves=backorder_moves)
        allocations = backorders.move_ids.key_account_allocation_id
        if allocations:
            allocations._key_account_update_pickings()
        return backorders
