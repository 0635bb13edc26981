# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from odoo import fields, models
from odoo.exceptions import UserError


class KeyAccountTrackingImportWizard(models.TransientModel):
    _name = "key.account.tracking.import.wizard"
    _description = "Tracking Status Import"

    carrier_id = fields.Many2one(comodel_name="delivery.carrier", required=True)
    file = fields.Binary(required=True, attachment=False)
    filename = fields.Char()
    state = fields.Selection(
        selection=[("upload", "Upload"), ("preview", "Preview"), ("done", "Done")],
        default="upload",
    )
    row_count = fields.Integer(readonly=True)
    error_text = fields.Text(string="Errors", readonly=True)
    result_text = fields.Text(string="Result", readonly=True)

    def _run(self, apply):
        return self.env["key.account.parcel"]._key_account_import_status_file(
            self.carrier_id, base64.b64decode(self.file), self.filename, apply=apply
        )

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_preview(self):
        self.ensure_one()
        summary = self._run(apply=False)
        self.write(
            {
                "state": "preview",
                "row_count": summary["rows"],
                "error_text": "\n".join(
                    self.env._("Row %(row)s: %(error)s", row=row, error=error)
                    for row, error in summary["errors"]
                )
                or False,
            }
        )
        return self._reopen()

    def action_apply(self):
        self.ensure_one()
        summary = self._run(apply=True)
        if summary["errors"]:
            raise UserError(
                self.env._(
                    "Nothing was recorded: correct these rows and import the file "
                    "again.\n%(errors)s",
                    errors="\n".join(
                        self.env._("Row %(row)s: %(error)s", row=row, error=error)
                        for row, error in summary["errors"]
                    ),
                )
            )
        result = summary["result"]
        self.write(
            {
                "state": "done",
                "result_text": self.env._(
                    "%(accepted)s events recorded, %(duplicates)s already known.",
                    accepted=result["accepted"],
                    duplicates=result["duplicates"],
                ),
            }
        )
        return self._reopen()
