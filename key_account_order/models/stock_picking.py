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
