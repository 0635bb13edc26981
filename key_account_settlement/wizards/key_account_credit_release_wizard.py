# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class KeyAccountCreditReleaseWizard(models.TransientModel):
    _name = "key.account.credit.release.wizard"
    _description = "Release an Order from the Credit Hold"

    order_id = fields.Many2one(
        comodel_name="sale.order",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    reason = fields.Text(
        required=True,
        help="Why the order may be confirmed over the customer's credit; kept on "
        "the order and in its history.",
    )

    def action_release(self):
        self.ensure_one()
        self.order_id.action_key_account_credit_release(self.reason)
        return {"type": "ir.actions.act_window_close"}
