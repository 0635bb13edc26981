# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from markupsafe import Markup, escape

from odoo import fields, models
from odoo.exceptions import UserError


class KeyAccountFapiaoImport(models.TransientModel):
    """Upload the tax system's list of issued fapiao (and a zip of their
    files), preview every row error, apply all or nothing. The engine is
    ``key.account.fapiao._issue_import_*``."""

    _name = "key.account.fapiao.import"
    _description = "Import Issued Fapiao"

    list_file = fields.Binary(string="List of Issued Fapiao")
    list_filename = fields.Char()
    zip_file = fields.Binary(string="Fapiao Files (zip)")
    zip_filename = fields.Char()
    state = fields.Selection(
        selection=[("upload", "Upload"), ("preview", "Preview"), ("done", "Done")],
        default="upload",
        required=True,
    )
    error_count = fields.Integer(readonly=True)
    change_count = fields.Integer(string="Fapiao to Update", readonly=True)
    unchanged_count = fields.Integer(string="Rows Already Imported", readonly=True)
    preview = fields.Html(readonly=True, sanitize=True)

    def _prepare(self):
        self.ensure_one()
        Fapiao = self.env["key.account.fapiao"]
        Fapiao._check_fapiao_invoicing_user()
        result = {"errors": [], "changes": [], "unchanged": 0, "rows": 0}
        if self.list_file:
            rows = Fapiao._issue_parse_file(
                base64.b64decode(self.list_file), self.list_filename
            )
            result = Fapiao._issue_import_prepare(rows)
        files = {"matched": [], "unmatched": []}
        if self.zip_file:
            numbers = [vals.get("fapiao_number") for __, vals in result["changes"]]
            files = Fapiao._issue_match_files(
                Fapiao._issue_read_zip(base64.b64decode(self.zip_file)),
                numbers=[number for number in numbers if number],
            )
        if not self.list_file and not self.zip_file:
            raise UserError(
                self.env._(
                    "Upload the list of issued fapiao, a zip of their files, or both."
                )
            )
        return result, files

    def _preview_html(self, result, files):
        _ = self.env._
        parts = [
            Markup("<p>%s</p>")
            % _(
                "%(rows)s rows: %(changes)s fapiao to update, %(unchanged)s already "
                "imported, %(errors)s errors; %(files)s files to attach.",
                rows=result["rows"],
                changes=len(result["changes"]),
                unchanged=result["unchanged"],
                errors=len(result["errors"]),
                files=len(files["matched"]),
            )
        ]
        if result["errors"]:
            parts.append(
                Markup("<table class='table table-sm'><tr><th>%s</th><th>%s</th></tr>")
                % (_("Row"), _("Error"))
            )
            for row, error in result["errors"]:
                parts.append(Markup("<tr><td>%s</td><td>%s</td></tr>") % (row, error))
            parts.append(Markup("</table>"))
        if files["unmatched"]:
            parts.append(
                Markup("<p>%s</p>")
                % _(
                    "Files matching no fapiao number (not attached): %(files)s",
                    files=", ".join(files["unmatched"]),
                )
            )
        return Markup("").join(escape(part) for part in parts)

    def action_preview(self):
        self.ensure_one()
        result, files = self._prepare()
        self.write(
            {
                "state": "preview",
                "error_count": len(result["errors"]),
                "change_count": len(result["changes"]),
                "unchanged_count": result["unchanged"],
                "preview": self._preview_html(result, files),
            }
        )
        return self._reopen()

    def action_apply(self):
        self.ensure_one()
        result, files = self._prepare()
        Fapiao = self.env["key.account.fapiao"]
        if result["errors"]:
            raise UserError(Fapiao._issue_errors_text(result["errors"]))
        Fapiao._issue_write(result["changes"])
        if files["matched"]:
            # numbers imported just now are fapiao now
            files = Fapiao._issue_match_files(
                [(name, data) for __, name, data in files["matched"]]
            )
            Fapiao._issue_attach_files(files["matched"])
        self.write(
            {
                "state": "done",
                "change_count": len(result["changes"]),
                "unchanged_count": result["unchanged"],
                "preview": self._preview_html(result, files),
            }
        )
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
