# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class KeyAccountFapiaoRedWizard(models.TransientModel):
    """A red fapiao request for a credit note: which issued fapiao it
    reverses and, for a 专票, the red-letter confirmation number."""

    _name = "key.account.fapiao.red.wizard"
    _description = "Red Fapiao Request"

    move_id = fields.Many2one("account.move", string="Credit Note", required=True)
    origin_candidate_ids = fields.Many2many(
        "key.account.fapiao", compute="_compute_origin_candidate_ids"
    )
    origin_fapiao_id = fields.Many2one(
        "key.account.fapiao",
        string="Reversed Fapiao",
        required=True,
        domain="[('id', 'in', origin_candidate_ids)]",
    )
    fapiao_type = fields.Selection(related="origin_fapiao_id.fapiao_type")
    red_confirmation_number = fields.Char(
        string="Red-Letter Confirmation Number",
        help="红字确认单编号 of the tax system, required for a red 专票.",
    )

    @api.depends("move_id")
    def _compute_origin_candidate_ids(self):
        for wizard in self:
            wizard.origin_candidate_ids = (
                wizard.move_id._key_account_red_fapiao_origins()
            )

    @api.onchange("move_id")
    def _onchange_move_id(self):
        if len(self.origin_candidate_ids) == 1:
            self.origin_fapiao_id = self.origin_candidate_ids

    def action_confirm(self):
        self.ensure_one()
        request = self.move_id._key_account_red_fapiao_request(
            origin_fapiao=self.origin_fapiao_id,
            confirmation_number=self.red_confirmation_number,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": request._name,
            "res_id": request.id,
            "view_mode": "form",
        }
