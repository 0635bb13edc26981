# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""One PDF of delivery slips or address labels for a selection of thousands
of deliveries, in the order the warehouse packs (branch, department,
recipient name).

A selection up to ``key_account_order.label_print_sync_limit`` deliveries
(default 200) is rendered in the request; a larger one by a queue_job job
that renders chunks of that size, records its progress (in a cursor of its
own, so that the user sees it while the job runs), attaches the merged PDF
to the print and notifies the user who asked. Labels an API carrier returned
(``key.account.parcel.label_attachment_id``) are used as they are, merged in
the same order; the other deliveries get the plain address label.
"""

import base64
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.pdf import merge_pdf

_logger = logging.getLogger(__name__)

DEFAULT_SYNC_LIMIT = 200
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

    @api.model
    def _key_account_sync_limit(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("key_account_order.label_print_sync_limit", DEFAULT_SYNC_LIMIT)
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
            record.with_context(
                key_account_progress_in_transaction=True
            )._key_account_render()
        else:
            record.with_delay(
                description=record.name, channel="root.key_account_print"
            )._key_account_render_job()
        return record

    def _key_account_render_job(self):
        """Job: render and attach; a failure is recorded on the print."""
        self.ensure_one()
        if self.state == "done":
            return True
        try:
            with self.env.cr.savepoint():
                self._key_account_render()
        except Exception as error:
            _logger.exception("print %s failed", self.id)
            self.write({"state": "failed", "error": str(error)[:2000]})
            self.message_post(
                body=self.env._(
                    "%(name)s could not be rendered: %(error)s",
                    name=self.name,
                    error=str(error)[:500],
                ),
                partner_ids=self.user_id.partner_id.ids,
            )
        return True

    def _key_account_progress(self, done):
        """Progress seen while the job runs: written in a cursor of its own."""
        if self.env.context.get("key_account_progress_in_transaction"):
            self.progress = done
            return
        with self.env.registry.cursor() as cr:
            cr.execute(
                "UPDATE key_account_label_print SET progress = %s, state = 'running'"
                " WHERE id = %s",
                [done, self.id],
            )

    def _key_account_render(self):
        """Render the deliveries in packing order, by chunks, merge, attach."""
        self.ensure_one()
        pickings = self._key_account_sorted(self.picking_ids)
        chunk = max(self._key_account_sync_limit(), 1)
        documents = []
        done = 0
        for run_pickings, labels in self._key_account_runs(pickings):
            if labels:
                documents.extend(labels)
                done += len(run_pickings)
                continue
            for start in range(0, len(run_pickings), chunk):
                part = run_pickings[start : start + chunk]
                documents.append(self._key_account_render_pdf(part))
                done += len(part)
                self._key_account_progress(done)
        data = merge_pdf(documents) if len(documents) > 1 else documents[0]
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{self.name}.pdf",
                "res_model": self._name,
                "res_id": self.id,
                "type": "binary",
                "datas": base64.b64encode(data),
                "mimetype": "application/pdf",
            }
        )
        self.write(
            {
                "state": "done",
                "progress": len(pickings),
                "attachment_id": attachment.id,
                "error": False,
            }
        )
        self.message_post(
            body=self.env._("%(name)s is ready.", name=self.name),
            attachment_ids=attachment.ids,
            partner_ids=self.user_id.partner_id.ids,
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
        # keep the packing order: render the ids as given
        pdf, _type = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORTS[self.kind], pickings.ids)
        )
        return pdf

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
