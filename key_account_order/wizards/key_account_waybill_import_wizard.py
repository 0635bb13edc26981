# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from odoo import Command, fields, models

from ..models.key_account_parcel_waybill import ERROR_STATUSES

LINE_STATUSES = [
    ("matched", "Matched"),
    ("already", "Already Booked"),
    ("empty", "Empty Row"),
    ("unknown_reference", "Unknown Reference"),
    ("duplicate_in_file", "Duplicate Number in the File"),
    ("number_used", "Number Used by Another Delivery"),
    ("other_number", "Delivery Has Another Number"),
    ("cancelled", "Cancelled Delivery"),
    ("other_company", "Another Company's Delivery"),
    ("no_number", "No Waybill Number"),
    ("ambiguous", "Several Deliveries Match"),
]


class KeyAccountWaybillImportWizard(models.TransientModel):
    _name = "key.account.waybill.import.wizard"
    _description = "Waybill Number Import"

    file = fields.Binary(required=True, attachment=False)
    filename = fields.Char()
    carrier_id = fields.Many2one(
        comodel_name="delivery.carrier",
        help="The courier of the file (its column map is tried first; the "
        "parcels get this carrier). Empty: each delivery's carrier.",
    )
    state = fields.Selection(
        selection=[("upload", "Upload"), ("preview", "Preview")], default="upload"
    )
    line_ids = fields.One2many(
        comodel_name="key.account.waybill.import.line",
        inverse_name="wizard_id",
        string="Rows",
    )
    matched_count = fields.Integer(readonly=True)
    already_count = fields.Integer(readonly=True)
    error_count = fields.Integer(readonly=True)

    def _run(self, apply):
        return self.env["key.account.parcel.waybill"]._key_account_import(
            base64.b64decode(self.file),
            self.filename,
            carrier=self.carrier_id or None,
            apply=apply,
        )

    def action_preview(self):
        self.ensure_one()
        summary = self._run(apply=False)
        self.write(
            {
                "state": "preview",
                "matched_count": summary["counts"]["matched"],
                "already_count": summary["counts"]["already"],
                "error_count": len(summary["errors"]),
                # Every row but the plainly matched ones (thousands of them).
                "line_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "row": result["row"],
                            "status": result["status"],
                            "reference": result["reference"],
                            "waybill_number": result["waybill_number"],
                            "picking_id": result["picking"] and result["picking"].id,
                            "message": result["message"],
                            "is_error": result["status"] in ERROR_STATUSES,
                        }
                    )
                    for result in summary["results"]
                    if result["status"] != "matched" or len(summary["results"]) <= 200
                ],
            }
        )
        return self._reopen()

    def action_apply(self):
        self.ensure_one()
        summary = self._run(apply=True)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s waybill numbers imported.", count=summary["applied"]
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }


class KeyAccountWaybillImportLine(models.TransientModel):
    _name = "key.account.waybill.import.line"
    _description = "Waybill Import Row"
    _order = "is_error desc, row"

    wizard_id = fields.Many2one(
        comodel_name="key.account.waybill.import.wizard", ondelete="cascade"
    )
    row = fields.Integer()
    status = fields.Selection(selection=LINE_STATUSES)
    is_error = fields.Boolean()
    reference = fields.Char(string="Our Reference")
    waybill_number = fields.Char()
    picking_id = fields.Many2one(comodel_name="stock.picking", string="Delivery")
    message = fields.Char()
