# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class KeyAccountCarrierAssignWizard(models.TransientModel):
    _name = "key.account.carrier.assign.wizard"
    _description = "Change the Carrier of Deliveries"

    picking_ids = fields.Many2many(
        comodel_name="stock.picking",
        string="Deliveries",
        default=lambda self: self.env.context.get("active_ids"),
    )
    carrier_id = fields.Many2one(comodel_name="delivery.carrier", required=True)

    def action_apply(self):
        self.ensure_one()
        self.picking_ids._key_account_set_carrier(self.carrier_id)
        return {"type": "ir.actions.act_window_close"}
