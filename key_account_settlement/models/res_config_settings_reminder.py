# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    key_account_reminder_interval = fields.Integer(
        related="company_id.key_account_reminder_interval",
        readonly=False,
    )
