# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class StockMove(models.Model):
    _inherit = "stock.move"

    key_account_allocation_id = fields.Many2one(
        comodel_name="key.account.allocation",
        string="Recipient Allocation",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )
