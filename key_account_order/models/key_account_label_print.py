# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""One PDF of delivery slips or address labels for a selection of thousands
of deliveries, in the order the warehouse packs (branch, department,
recipient name).

A selection up to ``key_account_order.label_print_sync_limit`` deliveries
(default 200) is rendered in the request; a larger one by queue_job jobs: one
job per chunk of ``key_account_order.label_print_chunk_size`` deliveries
(default 100; each job is a request of the job runner, so each stays well
inside Odoo's time limits), which stores its part and counts its deliveries
in the print's progress when it commits, then one job that merges the parts
in order, attaches the PDF to the print and notifies the user who asked.
wkhtmltopdf built without patched Qt (Debian's package) cannot render several
documents in one call: a chunk then goes to it as one HTML body, one delivery a
page (``ir.actions.report._prepare_html`` with ``key_account_one_body``), and
only if that fails one delivery per call. Labels an
API carrier returned (``key.account.parcel.label_attachment_id``) are used as
they are, merged in the same order; the other deliveries get the plain
address label.
"""

import base64
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf

from odoo.addons.queue_job.delay import group

_logger = logging.getLogger(__name__)

DEFAULT_SYNC_LIMIT = 200
DEFAULT_CHUNK_SIZE = 100
REPORTS = {
    "slip": "stock.action_report_delivery",
    "label": "key_account_order.action_report_key_account_label",
}


class KeyAccountLabelPrint(models.Model):
    _name = "key.account.label.print"
    _description = "Delivery Slip and Label Print"
    _inherit = "mail.thread"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True)
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Requested By",
        readonly=True,
        default=lambda self: self.env.user,
    )
    kind = fields.Selection(
        selection=[("slip", "Delivery Slips"), ("label", "Address Labels")],
        required=True,
        readonly=True,
    )
    picking_ids = fields.Many2many(
        comodel_name="stock.picking", string="Deliveries", readonly=True
    )
    picking_count = fields.Integer(string="Deliveries Count", readonly=True)
    state = fields.Selection(
        selection=[
            ("queued", "Queued"),
            ("running", "Rendering"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="queued",
        required=True,
        readonly=True,
        tracking=True,
    )
    progress = fields.Integer(
        string="Rendered Deliveries", readonly=True, help="Deliveries rendered so far."
    )
    attachment_id = fields.Many2one(
        comodel_name="ir.attachment", string="PDF", readonly=True
    )
    error = fields.Text(readonly=True)
    part_ids = fields.One2many(
        comodel_name="key.account.label.print.part", inverse_name="print_id"
    )

    @api.model
    def _key_account_sync_limit(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("key_account_order.label_print_sync_limit", DEFAULT_SYNC_LIMIT)
        )

    @api.model
    def _key_account_chunk_size(self):
        return max(
            int(
                self.env["ir.config_parameter"]
                .sudo()
                .get_param(
                    "key_account_order.label_print_chunk_size", DEFAULT_CHUNK_SIZE
                )
            ),
            1,
        )

    @api.model
    def _key_account_sorted(self, pickings):
        """``pickings`` in packing order: branch, department, recipient name
        of their allocations (one search), then reference."""
        allocations = self.env["key.account.allocation"].search_fetch(
            [("picking_id", "in", pickings.ids)],
            ["picking_id", "branch", "department", "recipient_id"],
        )
        keys = {}
        for allocation in allocations:
            keys.setdefault(
                allocation.picking_id.id,
                (
                    allocation.branch or "",
                    allocation.department or "",
                    allocation.recipient_id.name or "",
                ),
            )
        return pickings.sorted(
            lambda p: (*keys.get(p.id, ("", "", p.partner_id.name or "")), p.name)
        )

    @api.model
    def _key_account_print(self, pickings, kind):
        """Print ``pickings``: a record with the PDF attached (small
        selections) or queued for the background job (large ones)."""
        if not pickings:
            raise UserError(self.env._("Select the deliveries to print."))
        pickings.check_access("read")
        if len(pickings.company_id) > 1:
            raise UserError(
                self.env._("Print the deliveries of one company at a time.")
            )
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        record = self.create(
            {
                "name": self.env._(
                    "%(kind)s: %(count)s deliveries",
                    kind=kinds[kind],
                    count=len(pickings),
                ),
                "kind": kind,
                "company_id": pickings.company_id.id,
                "picking_ids": [fields.Command.set(pickings.ids)],
                "picking_count": len(pickings),
            }
        )
        if len(pickings) <= self._key_account_sync_limit():
            record._key_account_render()
        else:
            record._key_account_enqueue()
        return record

    def _key_account_enqueue(self):
        """One job per chunk of the packing order, then the merge job."""
        self.ensure_one()
        ordered = self._key_account_sorted(self.picking_ids).ids
        size = self._key_account_chunk_size()
        chunks = [
            self.delayable(
                description=f"{self.name} ({start + 1}-{start + len(ids)})",
                channel="root.key_account_print",
            )._key_account_render_chunk(start // size, ids)
            for start in range(0, len(ordered), size)
            for ids in [ordered[start : start + size]]
        ]
        group(*chunks).on_done(
            self.delayable(
                description=self.name, channel="root.key_account_print"
            )._key_account_merge_job()
        ).delay()

    def _key_account_render_chunk(self, index, picking_ids):
        """Job: render one chunk (``picking_ids`` in packing order) and keep
        it as a part of the print; a failure marks the print failed."""
        self.ensure_one()
        if self.state in ("done", "failed"):
            return True
        pickings = self.env["stock.picking"].browse(picking_ids).exists()
        try:
            with self.env.cr.savepoint():
                data = self._key_account_render_documents(pickings)
                self.env["key.account.label.print.part"].sudo().create(
                    {
                        "print_id": self.id,
                        "sequence": index,
                        "data": base64.b64encode(data),
                    }
                )
        except Exception as error:
            _logger.exception("print %s: chunk %s failed", self.id, index)
            self._key_account_fail(error)
            return True
        # counted when this job commits: the user sees the progress grow
        self.flush_recordset()
        self.env.cr.execute(
            "UPDATE key_account_label_print SET progress = COALESCE(progress, 0) + %s, "
            "state = 'running' WHERE id = %s",
            [len(picking_ids), self.id],
        )
        self.invalidate_recordset(["progress", "state"], flush=False)
        return True

    def _key_account_merge_job(self):
        """Job: merge the parts in order, attach, notify."""
        self.ensure_one()
        parts = self.sudo().part_ids.sorted("sequence")
        if self.state in ("done", "failed"):
            parts.unlink()
            return True
        documents = [base64.b64decode(part.data) for part in parts]
        parts.unlink()
        self._key_account_attach(
            merge_pdf(documents) if len(documents) > 1 else documents[0]
        )
        return True

    def _key_account_fail(self, error):
        record = self.sudo()  # state and error: written by the engine only
        record.write({"state": "failed", "error": str(error)[:2000]})
        record.message_post(
            body=record.env._(
                "%(name)s could not be rendered: %(error)s",
                name=record.name,
                error=str(error)[:500],
            ),
            partner_ids=record.user_id.partner_id.ids,
        )

    def _key_account_render(self):
        """Render the deliveries in packing order in the request (small
        selections), merge, attach."""
        self.ensure_one()
        pickings = self._key_account_sorted(self.picking_ids)
        return self._key_account_attach(self._key_account_render_documents(pickings))

    def _key_account_render_documents(self, pickings):
        """One PDF of ``pickings`` in the given order: courier labels as they
        are, the others rendered by the report."""
        documents = []
        for run_pickings, labels in self._key_account_runs(pickings):
            documents.extend(labels or [self._key_account_render_pdf(run_pickings)])
        return merge_pdf(documents) if len(documents) > 1 else documents[0]

    def _key_account_attach(self, data):
        record = self.sudo()  # state and PDF: written by the engine only
        attachment = record.env["ir.attachment"].create(
            {
                "name": f"{record.name}.pdf",
                "res_model": record._name,
                "res_id": record.id,
                "type": "binary",
                "datas": base64.b64encode(data),
                "mimetype": "application/pdf",
            }
        )
        record.write(
            {
                "state": "done",
                "progress": record.picking_count,
                "attachment_id": attachment.id,
                "error": False,
            }
        )
        record.message_post(
            body=record.env._("%(name)s is ready.", name=record.name),
            attachment_ids=attachment.ids,
            partner_ids=record.user_id.partner_id.ids,
        )
        return attachment

    def _key_account_runs(self, pickings):
        """Consecutive runs of ``pickings``: those whose parcels all carry an
        API label (their label PDFs), and those rendered by the report."""
        runs = []
        for picking in pickings:
            parcels = picking.key_account_parcel_ids.filtered(
                lambda p: p.tracking_state != "cancelled"
            )
            labels = (
                [p.label_attachment_id.raw for p in parcels]
                if self.kind == "label"
                and parcels
                and all(parcels.label_attachment_id)
                and len(parcels.label_attachment_id) == len(parcels)
                else []
            )
            if runs and bool(runs[-1][1]) == bool(labels):
                runs[-1][0].append(picking.id)
                runs[-1][1].extend(labels)
            else:
                runs.append(([picking.id], labels))
        return [(pickings.browse(ids), labels) for ids, labels in runs]

    def _key_account_render_pdf(self, pickings):
        """The report of ``pickings`` in the order given; one call per
        delivery where wkhtmltopdf cannot render several documents."""
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        if len(pickings) == 1:
            return report._render_qweb_pdf(REPORTS[self.kind], pickings.ids)[0]
        try:
            return report._render_qweb_pdf(REPORTS[self.kind], pickings.ids)[0]
        except Exception as error:  # noqa: BLE001 - retried in one body
            _logger.info(
                "rendering %s deliveries in one call failed (%s): in one body",
                len(pickings),
                error,
            )
        try:
            return report.with_context(key_account_one_body=True)._render_qweb_pdf(
                REPORTS[self.kind], pickings.ids
            )[0]
        except Exception as error:  # noqa: BLE001 - retried one by one
            _logger.warning(
                "rendering %s deliveries in one body failed (%s): one by one",
                len(pickings),
                error,
            )
        return merge_pdf(
            [
                report._render_qweb_pdf(REPORTS[self.kind], picking.ids)[0]
                for picking in pickings
            ]
        )

    def action_download(self):
        self.ensure_one()
        if not self.attachment_id:
            raise UserError(
                self.env._(
                    "%(name)s is not rendered yet (%(done)s of %(count)s).",
                    name=self.name,
                    done=self.progress,
                    count=self.picking_count,
                )
            )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def action_key_account_print_slips(self):
        return self._key_account_print_action("slip")

    def action_key_account_print_labels(self):
        return self._key_account_print_action("label")

    def _key_account_print_action(self, kind):
        record = self.env["key.account.label.print"]._key_account_print(self, kind)
        if record.state == "done":
            return record.action_download()
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
            "target": "current",
        }


class KeyAccountLabelPrintPart(models.Model):
    """A rendered chunk of a large print until the merge job joins them
    (kept in the database: nothing to clean in the filestore)."""

    _name = "key.account.label.print.part"
    _description = "Rendered Part of a Print"
    _order = "print_id, sequence"

    print_id = fields.Many2one(
        comodel_name="key.account.label.print",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(required=True)
    data = fields.Binary(attachment=False, required=True)
