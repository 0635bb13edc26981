# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    key_account_fapiao_amount_limit = fields.Monetary(
        related="company_id.key_account_fapiao_amount_limit",
        currency_field="currency_id",
        readonly=False,
    )
    key_account_fapiao_line_limit = fields.Integer(
        related="company_id.key_account_fapiao_line_limit", readonly=False
    )
    key_account_fapiao_split_tax_rate = fields.Boolean(
        related="company_id.key_account_fapiao_split_tax_rate", readonly=False
    )
    key_account_fapiao_format = fields.Selection(
        related="company_id.key_account_fapiao_format", readonly=False
    )
