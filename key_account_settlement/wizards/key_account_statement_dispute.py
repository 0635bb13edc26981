# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class KeyAccountStatementDispute(models.TransientModel):
    _name = "key.account.statement.dispute"
    _description = "Record a Customer's Dispute of a Statement"

    statement_id = fields.Many2one("key.account.statement", required=True)
    line_ids = fields.Many2many(
        "key.account.statement.line",
        string="Disputed Lines",
        domain="[('statement_id', '=', statement_id)]",
    )
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.statement_id.action_customer_dispute(self.line_ids.ids, self.reason)
        return {"type": "ir.actions.act_window_close"}
