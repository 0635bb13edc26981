# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError


class KeyAccountReviewReturnWizard(models.TransientModel):
    _name = "key.account.review.return.wizard"
    _description = "Send a Key Account Order Back to the Customer"

    order_ids = fields.Many2many(
        comodel_name="sale.order",
        string="Orders",
        required=True,
        readonly=True,
    )
    reason = fields.Text(
        required=True,
        help="Tell the customer what to correct before submitting the order again.",
    )

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        context = self.env.context
        if (
            "order_ids" in fields_list
            and not res.get("order_ids")
            and context.get("active_model") == "sale.order"
        ):
            res["order_ids"] = [(6, 0, context.get("active_ids", []))]
        return res

    def action_return(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(
                self.env._(
                    "Give the reason for sending the order back, so the customer "
                    "knows what to correct."
                )
            )
        self.order_ids.action_key_account_review_return(self.reason.strip())
        return {"type": "ir.actions.act_window_close"}
