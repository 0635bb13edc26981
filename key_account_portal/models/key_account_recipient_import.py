# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import UserError

# Context key of the collector the portal passes to the import engine: the
# row errors are gathered one by one (row number and message) instead of
# being read back from the engine's single joined message.
ERRORS_KEY = "key_account_portal_import_result"


class KeyAccountRecipientImport(models.TransientModel):
    """The back office's recipient import, run for the portal: the same
    parsing, checks and writes (``action_import``), with every error handed
    back as a structured list."""

    _inherit = "key.account.recipient.import"

    def _error_message(self, row, code, params):
        message = super()._error_message(row, code, params)
        result = self.env.context.get(ERRORS_KEY)
        if result is not None:
            result["errors"].append({"row": row, "message": message})
        return message

    def _import_rows(self, rows):
        result = self.env.context.get(ERRORS_KEY)
        if result is not None:
            result["rows"] = len(rows)
        return super()._import_rows(rows)

    def _key_account_portal_count_rows(self):
        """Number of recipient rows of the file (the non-blank rows after the
        header), read as the engine reads it; 0 when it cannot be read (the
        import itself then says why)."""
        self.ensure_one()
        try:
            rows = self._read_rows()
        except UserError:
            return 0
        return sum(1 for _number, cells in rows[1:] if any(cells))

    def _key_account_portal_import(self):
        """Run the engine's ``action_import`` in a savepoint.

        Returns ``{"rows": imported rows, "errors": [{"row": n, "message":
        text}]}``: on any error nothing is written and ``errors`` lists every
        row error with its row number, or the one error of the file (header,
        size, add or replace, same list twice) with ``row`` False.
        """
        self.ensure_one()
        result = {"rows": 0, "errors": []}
        wizard = self.with_context(**{ERRORS_KEY: result})
        try:
            with self.env.cr.savepoint():
                wizard.action_import()
        except UserError as error:
            result["rows"] = 0
            if not result["errors"]:
                result["errors"] = [{"row": False, "message": error.args[0]}]
        return result
