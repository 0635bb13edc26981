# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from odoo import fields, models


class KeyAccountBookingExportWizard(models.TransientModel):
    _name = "key.account.booking.export.wizard"
    _description = "Courier Booking Export"

    picking_ids = fields.Many2many(
        comodel_name="stock.picking",
        string="Deliveries",
        default=lambda self: self.env.context.get("active_ids"),
    )
    file_format = fields.Selection(
        selection=[("xlsx", "Excel (XLSX)"), ("csv", "CSV")],
        default="xlsx",
        required=True,
    )
    encoding = fields.Selection(
        selection=[("gbk", "GBK (Chinese Windows)"), ("utf-8", "UTF-8")],
        default="gbk",
        required=True,
        help="GBK: what couriers' sites expect; characters GBK cannot write are "
        "replaced by ? and listed.",
    )
    rebook = fields.Boolean(
        string="Re-book",
        help="Export deliveries that already have a waybill number again.",
    )
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)
    report = fields.Text(readonly=True)

    def action_export(self):
        self.ensure_one()
        result = self.env["key.account.parcel.waybill"]._key_account_export(
            self.picking_ids,
            file_format=self.file_format,
            encoding=self.encoding,
            rebook=self.rebook,
        )
        self.write(
            {
                "file": base64.b64encode(result["data"]),
                "filename": result["filename"],
                "report": "\n".join(
                    [
                        self.env._(
                            "%(count)s deliveries exported.",
                            count=len(result["exported"]),
                        )
                    ]
                    + result["skipped"]
                    + result["warnings"]
                ),
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
