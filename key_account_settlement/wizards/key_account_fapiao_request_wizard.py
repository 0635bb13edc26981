# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.key_account_fapiao_request import FAPIAO_TYPES


class KeyAccountFapiaoRequestWizard(models.TransientModel):
    """Request Fapiao: the invoices selected (or a confirmed statement), the
    fapiao type and a remark; the request model builds the request."""

    _name = "key.account.fapiao.request.wizard"
    _description = "Request Fapiao"

    move_ids = fields.Many2many(
        comodel_name="account.move",
        string="Invoices",
        domain=[("move_type", "in", ("out_invoice", "out_refund"))],
    )
    statement_id = fields.Many2one(comodel_name="key.account.statement")
    partner_id = fields.Many2one(
        comodel_name="res.partner", compute="_compute_partner_id", string="Customer"
    )
    fapiao_type = fields.Selection(
        selection=FAPIAO_TYPES,
        compute="_compute_fapiao_type",
        store=True,
        readonly=False,
        help="From the customer's invoice type; change it for this request only.",
    )
    note = fields.Text(string="Remarks", help="Printed in the remarks of every fapiao.")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        ids = self.env.context.get("active_ids") or []
        if model == "account.move" and "move_ids" in fields_list:
            res["move_ids"] = [fields.Command.set(ids)]
        elif model == "key.account.statement" and ids:
            res["statement_id"] = ids[0]
        return res

    @api.depends("move_ids", "statement_id")
    def _compute_partner_id(self):
        for wizard in self:
            partner = (
                wizard.statement_id.partner_id or wizard.move_ids.commercial_partner_id
            )
            wizard.partner_id = partner[:1] if len(partner) == 1 else False

    @api.depends("move_ids", "statement_id")
    def _compute_fapiao_type(self):
        for wizard in self:
            partner = (
                wizard.statement_id.partner_id or wizard.move_ids.commercial_partner_id
            )
            if len(partner) == 1 and partner.key_account_invoice_type:
                wizard.fapiao_type = partner.key_account_invoice_type

    def action_create(self):
        self.ensure_one()
        Request = self.env["key.account.fapiao.request"]
        if self.statement_id:
            request = Request.create_from_statement(
                self.statement_id, fapiao_type=self.fapiao_type, note=self.note
            )
        elif self.move_ids:
            request = Request._key_account_build(
                self.move_ids, fapiao_type=self.fapiao_type, note=self.note
            )
        else:
            raise UserError(self.env._("Select the posted customer invoices first."))
        return {
            "type": "ir.actions.act_window",
            "res_model": Request._name,
            "res_id": request.id,
            "view_mode": "form",
            "target": "current",
        }
