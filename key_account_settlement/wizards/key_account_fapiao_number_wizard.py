# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class KeyAccountFapiaoNumberWizard(models.TransientModel):
    """A manager enters the number of a fapiao issued without the import
    (logged in the request's chatter)."""

    _name = "key.account.fapiao.number.wizard"
    _description = "Enter a Fapiao Number"

    fapiao_id = fields.Many2one(
        "key.account.fapiao", required=True, default=lambda self: self._default_fapiao()
    )
    fapiao_number = fields.Char(required=True)
    fapiao_code = fields.Char()
    issue_date = fields.Date(required=True, default=fields.Date.context_today)

    def _default_fapiao(self):
        context = self.env.context
        if context.get("active_model") == "key.account.fapiao":
            return context.get("active_id")
        return False

    def action_confirm(self):
        self.ensure_one()
        self.fapiao_id._issue_manual_entry(
            self.fapiao_number, self.fapiao_code, self.issue_date
        )
        return {"type": "ir.actions.act_window_close"}
