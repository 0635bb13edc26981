# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A recipient list uploaded from the portal and imported off the request
path (OCA queue_job), for lists too long to import while the customer waits.

The file is kept as an attachment of the record; the job runs the back
office's import engine (``key.account.recipient.import.action_import``) as
an internal user (the order's salesperson when internal and active, else
OdooBot), after the portal controller has checked the customer's right to
change the order. The record holds the outcome the portal page shows: the
number of rows imported, or every row error with its row number.
"""

import base64
import hashlib
import logging

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

# Lists of more rows than this are imported in the background, unless the
# system parameter key_account_portal.recipient_background_rows says otherwise.
DEFAULT_BACKGROUND_ROWS = 2000
# queue.job states in which the job may still run.
JOB_WAITING_STATES = ("wait_dependencies", "pending", "enqueued")


class KeyAccountPortalImport(models.Model):
    _name = "key.account.portal.import"
    _description = "Recipient List Uploaded from the Portal"
    _order = "id desc"
    _check_company_auto = True

    order_id = fields.Many2one(
        comodel_name="sale.order",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, readonly=True
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Uploaded By",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    attachment_id = fields.Many2one(
        comodel_name="ir.attachment", string="File", readonly=True
    )
    filename = fields.Char(string="File Name", readonly=True)
    file_checksum = fields.Char(
        readonly=True,
        index=True,
        help="SHA-256 of the uploaded file: the same file is not queued twice.",
    )
    import_mode = fields.Selection(
        selection=[
            ("add", "Add to the current recipients"),
            ("replace", "Replace the current recipients"),
        ],
        string="Current Recipients",
        readonly=True,
    )
    state = fields.Selection(
        selection=[
            ("queued", "Waiting"),
            ("running", "Importing"),
            ("done", "Imported"),
            ("failed", "Not Imported"),
        ],
        default="queued",
        required=True,
        readonly=True,
        index=True,
    )
    row_count = fields.Integer(
        string="Rows in File",
        readonly=True,
        help="Recipient rows of the file (without the header).",
    )
    imported_count = fields.Integer(string="Rows Imported", readonly=True)
    error_list = fields.Json(
        string="Errors",
        readonly=True,
        help="Every error of a failed import: its row number and message.",
    )
    job_uuid = fields.Char(string="Job UUID", readonly=True, copy=False)
    date_started = fields.Datetime(readonly=True)
    date_done = fields.Datetime(readonly=True)

    # ------------------------------------------------------------------
    # Progress
    # ------------------------------------------------------------------
    def _key_account_portal_job(self):
        """The queue.job of the import (sudo), or an empty recordset."""
        self.ensure_one()
        if not self.job_uuid:
            return self.env["queue.job"].sudo()
        return self.env["queue.job"].sudo().search([("uuid", "=", self.job_uuid)])

    def _key_account_portal_status(self):
        """What the portal shows of the import: a dict with ``state``
        (queued, running, done, failed), ``progress`` (percent), ``rows``,
        ``imported`` and ``errors`` (``[{"row", "message"}]``)."""
        self.ensure_one()
        state = self.state
        errors = self.error_list or []
        if state in ("queued", "running"):
            # The job's own state is committed by the job runner before and
            # after it runs: no write of this record from another transaction.
            job = self._key_account_portal_job()
            if job.state == "started":
                state = "running"
            elif job.state == "failed" or (self.job_uuid and not job):
                state = "failed"
                errors = [
                    {
                        "row": False,
                        "message": self.env._(
                            "The import stopped on an unexpected error: upload "
                            "the file again, or send it to your account manager."
                        ),
                    }
                ]
        progress = {"queued": 5, "running": 50, "done": 100, "failed": 100}[state]
        return {
            "id": self.id,
            "state": state,
            "progress": progress,
            "rows": self.row_count,
            "imported": self.imported_count,
            "errors": errors,
            "filename": self.filename,
        }

    # ------------------------------------------------------------------
    # Queueing
    # ------------------------------------------------------------------
    @api.model
    def _key_account_portal_background_rows(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("key_account_portal.recipient_background_rows")
        )
        try:
            return int(value) if value else DEFAULT_BACKGROUND_ROWS
        except ValueError:
            return DEFAULT_BACKGROUND_ROWS

    @api.model
    def _key_account_portal_executor(self, order):
        """The internal user the import job of ``order`` runs as."""
        user = order.user_id
        if user and user.active and not user.share:
            return user
        return self.env["res.users"].browse(SUPERUSER_ID)

    @api.model
    def _key_account_portal_queue(self, order, requester, filename, data, mode, rows):
        """Store the upload ``data`` for ``order`` (already checked by the
        portal controller) and queue its import. A file already waiting for
        the same order is refused."""
        order._key_account_portal_check_editable()
        checksum = hashlib.sha256(data).hexdigest()
        waiting = self.sudo().search(
            [
                ("order_id", "=", order.id),
                ("file_checksum", "=", checksum),
                ("state", "in", ("queued", "running")),
            ]
        )
        waiting = waiting.filtered(
            lambda imp: (
                imp._key_account_portal_status()["state"] in ("queued", "running")
            )
        )
        if waiting:
            raise UserError(
                self.env._(
                    "%(file)s is already waiting to be imported into %(order)s: "
                    "follow its progress instead of uploading it again.",
                    file=filename,
                    order=order.name,
                )
            )
        record = self.sudo().create(
            {
                "order_id": order.id,
                "user_id": requester.id,
                "filename": filename,
                "file_checksum": checksum,
                "import_mode": mode or False,
                "row_count": rows,
            }
        )
        record.attachment_id = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": filename,
                    "raw": data,
                    "res_model": self._name,
                    "res_id": record.id,
                }
            )
        )
        executor = self._key_account_portal_executor(order)
        job = (
            record.with_user(executor)
            .with_company(order.company_id)
            .with_delay(
                description=self.env._(
                    "Import recipients of %(order)s from %(file)s",
                    order=order.name,
                    file=filename,
                ),
            )
            ._key_account_portal_import_job()
        )
        uuid = getattr(job, "uuid", False)
        if uuid:
            record.sudo().job_uuid = uuid
        return record

    # ------------------------------------------------------------------
    # The job
    # ------------------------------------------------------------------
    def _key_account_portal_import_job(self):
        """Job: import the stored list through the back office's engine.
        Any error leaves the order unchanged and is stored for the portal."""
        self.ensure_one()
        record = self.sudo()
        if record.state not in ("queued", "running"):
            return self.env._("Nothing to do: the import has already run.")
        record.write({"state": "running", "date_started": fields.Datetime.now()})
        order = record.order_id
        _logger.info(
            "Importing %s rows of recipients into %s for %s, as %s",
            record.row_count,
            order.name,
            record.user_id.login,
            self.env.user.login,
        )
        if not order._key_account_portal_is_editable():
            result = {
                "rows": 0,
                "errors": [
                    {
                        "row": False,
                        "message": self.env._(
                            "The recipients of %(order)s can no longer be "
                            "changed: it was submitted or confirmed while the "
                            "file waited.",
                            order=order.name,
                        ),
                    }
                ],
            }
        else:
            # The engine runs as superuser: the controller checked the
            # customer's right to change this order before queueing.
            wizard = (
                self.env["key.account.recipient.import"]
                .sudo()
                .with_company(order.company_id)
                .create(
                    {
                        "order_id": order.id,
                        "file": base64.b64encode(record.attachment_id.raw),
                        "filename": record.filename,
                        "import_mode": record.import_mode or False,
                    }
                )
            )
            result = wizard._key_account_portal_import()
        failed = bool(result["errors"])
        record.write(
            {
                "state": "failed" if failed else "done",
                "imported_count": result["rows"],
                "error_list": result["errors"] or False,
                "date_done": fields.Datetime.now(),
            }
        )
        if failed:
            return self.env._(
                "Nothing imported: %(count)s error(s).", count=len(result["errors"])
            )
        return self.env._("%(count)s row(s) imported.", count=result["rows"])
