# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A 10,000-recipient list uploaded through the portal route, in the request
and in the background. Not part of the standard run (minutes of CPU): run it
with ``--test-tags key_account_portal_scale``."""

import logging
import time

from odoo.tests import tagged

from odoo.addons.queue_job.job import Job

from .test_portal_recipients import PortalRecipientsCommon

_logger = logging.getLogger(__name__)

ROWS = 10000
# Odoo's default limit_time_cpu is 60 s and limit_time_real 120 s: a request
# must stay well under them.
REQUEST_BUDGET = 30.0


@tagged("post_install", "-at_install", "-standard", "key_account_portal_scale")
class TestPortalRecipientsScale(PortalRecipientsCommon):
    def _timed_upload(self, data):
        start = time.perf_counter()
        response = self._upload(self.draft_a, data, "big.csv", timeout=300)
        return response, time.perf_counter() - start

    def test_upload_10000_in_request(self):
        """Threshold above the list: the whole import in one request."""
        self.env["ir.config_parameter"].set_param(
            "key_account_portal.recipient_background_rows", str(ROWS * 2)
        )
        data = self._csv(self._rows(ROWS))
        self.authenticate("ka_portal_a", "ka_portal_a")
        response, elapsed = self._timed_upload(data)
        self.assertIn(f"?imported={ROWS}", response.url)
        self.assertEqual(len(self._allocations(self.draft_a)), ROWS)
        _logger.info(
            "10,000 rows imported in the request: %.1f s wall time (upload, "
            "import, redirect and page)",
            elapsed,
        )
        print(f"KA-SCALE sync upload of {ROWS} rows: {elapsed:.1f} s")

    def test_upload_10000_in_background(self):
        """Default threshold: the request stores the file and queues a job."""
        data = self._csv(self._rows(ROWS))
        self.authenticate("ka_portal_a", "ka_portal_a")
        response, elapsed = self._timed_upload(data)
        self.assertLess(elapsed, REQUEST_BUDGET)
        record = self.env["key.account.portal.import"].search(
            [("order_id", "=", self.draft_a.id)]
        )
        self.assertEqual(record.row_count, ROWS)
        self.assertIn(f"/recipients/import/{record.id}", response.url)
        start = time.perf_counter()
        cpu = time.process_time()
        job = Job.load(self.env, record.job_uuid)
        job.perform()
        job_wall = time.perf_counter() - start
        job_cpu = time.process_time() - cpu
        record.invalidate_recordset()
        self.assertEqual((record.state, record.imported_count), ("done", ROWS))
        self.assertEqual(len(self._allocations(self.draft_a)), ROWS)
        start = time.perf_counter()
        page = self.url_open(
            f"/my/key-account/orders/{self.draft_a.id}/recipients/import/{record.id}"
        )
        page_wall = time.perf_counter() - start
        self.assertIn("o_key_account_import_done", page.text)
        self.assertLess(page_wall, REQUEST_BUDGET)
        print(
            f"KA-SCALE background upload of {ROWS} rows: request {elapsed:.1f} s, "
            f"job {job_wall:.1f} s wall / {job_cpu:.1f} s CPU, "
            f"progress page after {page_wall:.2f} s"
        )
