# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class KeyAccountRejectWizard(models.TransientModel):
    _name = "key.account.reject.wizard"
    _description = "Reject Key Account"

    partner_ids = fields.Many2many(
        comodel_name="res.partner",
        string="Key Accounts",
        required=True,
        readonly=True,
    )
    reason = fields.Text(
        required=True,
        help="Tell the key-account user what to correct before resubmitting.",
    )

    def action_reject(self):
        self.ensure_one()
        self.partner_ids._key_account_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
