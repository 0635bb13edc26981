# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    key_account_member_pricelist_id = fields.Many2one(
        related="company_id.key_account_member_pricelist_id", readonly=False
    )
    key_account_pricelist_id = fields.Many2one(
        related="company_id.key_account_pricelist_id", readonly=False
    )
