# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

from odoo.addons.queue_job.tests.common import trap_jobs

from .parcel_common import KeyAccountParcelCommon


def blank_pdf(width):
    writer = PdfFileWriter()
    writer.addBlankPage(width=width, height=400)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pages(attachment):
    return PdfFileReader(io.BytesIO(attachment.raw), strict=False)


@tagged("post_install", "-at_install")
class TestLabelPrint(HttpCase, KeyAccountParcelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # departments given per recipient: 员工001 销售部, 002 and 003 市场部
        cls.order = cls._create_order(
            [1, 1, 1], departments=["销售部", "市场部", "市场部"]
        )
        cls.order.action_confirm()
        cls.pickings = cls.order.picking_ids
        cls.parcels = cls._book(cls.pickings, cls.carrier, prefix="SFL")
        cls.Print = cls.env["key.account.label.print"]
        # wkhtmltopdf fetches the report's assets from the test server
        cls.env["ir.config_parameter"].set_param("report.url", cls.base_url())

    def _names(self, pickings):
        return [p.partner_id.name for p in pickings]

    def test_packing_order(self):
        ordered = self.Print._key_account_sorted(
            self.pickings.sorted("id", reverse=True)
        )
        self.assertEqual(self._names(ordered), ["员工002", "员工003", "员工001"])

    def test_small_selection_prints_directly(self):
        action = self.pickings.action_key_account_print_labels()
        record = self.Print.search([], limit=1)
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(record.state, "done")
        self.assertEqual(record.progress, 3)
        self.assertTrue(record.attachment_id.raw.startswith(b"%PDF"))
        self.assertEqual(pages(record.attachment_id).getNumPages(), 3)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "key_account_order.action_report_key_account_label",
                self.pickings[:1].ids,
            )[0]
            .decode()
        )
        parcel = self.pickings[:1].key_account_parcel_ids
        self.assertIn(parcel.waybill_number, html)
        self.assertIn(f'alt="Barcode {parcel.waybill_number}"', html)
        self.assertIn(self.pickings[0].partner_id.phone, html)
        self.assertIn(self.pickings[0].name, html)
        self.assertIn(self.carrier.name, html)

    def test_slips_in_one_body(self):
        """Several delivery slips render in one wkhtmltopdf call as one HTML
        body (Debian's wkhtmltopdf, without patched Qt, refuses several
        bodies), one slip per page, in the order asked."""
        report = self.env["ir.actions.report"].with_context(
            key_account_one_body=True, force_report_rendering=True
        )
        ordered = self.Print._key_account_sorted(self.pickings)
        html = report._render_qweb_html("stock.action_report_delivery", ordered.ids)[0]
        bodies, res_ids = report._prepare_html(html, report_model="stock.picking")[:2]
        self.assertEqual(len(bodies), 1)
        self.assertEqual(res_ids, [None])
        positions = [bodies[0].find(p.name) for p in ordered]
        self.assertNotIn(-1, positions)
        self.assertEqual(positions, sorted(positions))
        self.assertEqual(bodies[0].count("page-break-before: always"), 2)
        pdf = report._render_qweb_pdf("stock.action_report_delivery", ordered.ids)[0]
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        self.assertGreaterEqual(reader.getNumPages(), 3)

    def test_api_labels_merged_in_order(self):
        # 员工003 (second in packing order) has a courier label of its own
        picking = self.pickings.filtered(lambda p: p.partner_id.name == "员工003")
        picking.key_account_parcel_ids._key_account_attach_labels(
            [base64.b64encode(blank_pdf(200))]
        )
        record = self.Print._key_account_print(self.pickings, "label")
        reader = pages(record.attachment_id)
        self.assertEqual(reader.getNumPages(), 3)
        widths = [round(float(reader.getPage(i).mediaBox.getWidth())) for i in range(3)]
        self.assertEqual(widths[1], 200)
        self.assertNotEqual(widths[0], 200)
        self.assertNotEqual(widths[2], 200)

    def test_stock_user_prints_but_cannot_write_the_print(self):
        user = self.manager  # a stock user
        action = self.pickings.with_user(user).action_key_account_print_labels()
        self.assertEqual(action["type"], "ir.actions.act_url")
        record = self.Print.search([], limit=1)
        self.assertEqual(record.user_id, user)
        self.assertEqual(record.state, "done")
        with self.assertRaises(AccessError):
            record.with_user(user).write({"state": "queued", "attachment_id": False})

    def test_large_selection_runs_as_job(self):
        self.env["ir.config_parameter"].set_param(
            "key_account_order.label_print_sync_limit", "2"
        )
        self.env["ir.config_parameter"].set_param(
            "key_account_order.label_print_chunk_size", "2"
        )
        with trap_jobs() as trap:
            action = self.pickings.action_key_account_print_slips()
            record = self.Print.browse(action["res_id"])
            self.assertEqual(record.state, "queued")
            self.assertFalse(record.attachment_id)
            trap.assert_jobs_count(2, only=record._key_account_render_chunk)
            trap.assert_jobs_count(1, only=record._key_account_merge_job)
            chunks = sorted(
                (
                    job
                    for job in trap.enqueued_jobs
                    if job.method_name == "_key_account_render_chunk"
                ),
                key=lambda job: job.args[0],
            )
            ordered = self.Print._key_account_sorted(self.pickings).ids
            self.assertEqual(
                [job.args[1] for job in chunks], [ordered[:2], ordered[2:]]
            )
            chunks[0].perform()
            self.assertEqual(record.progress, 2, (record.state, record.error))
            self.assertEqual(record.state, "running")
            chunks[1].perform()
            merge = [
                job
                for job in trap.enqueued_jobs
                if job.method_name == "_key_account_merge_job"
            ]
            merge[0].perform()
        self.assertEqual(record.state, "done")
        self.assertEqual(record.progress, 3)
        self.assertGreaterEqual(pages(record.attachment_id).getNumPages(), 3)
        message = record.message_ids.filtered(lambda m: m.attachment_ids)
        self.assertEqual(len(message), 1, record.message_ids.mapped("body"))
        self.assertIn(self.env.user.partner_id, message.partner_ids)
        self.assertEqual(message.attachment_ids, record.attachment_id)
