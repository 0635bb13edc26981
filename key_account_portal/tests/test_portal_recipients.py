# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import csv
import io
import threading
import time
from contextlib import closing

import openpyxl
import psycopg2

from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.exceptions import UserError
from odoo.http import Request
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.queue_job.job import Job

from .common import KeyAccountPortalCommon

HEADER = (
    "姓名/Name",
    "手机/Phone",
    "省/Province",
    "市/City",
    "区/District",
    "详细地址/Street",
    "部门/Department",
    "分支机构/Branch",
    "商品编码/Product Reference",
    "数量/Quantity",
)


class PortalRecipientsCommon(KeyAccountPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.draft_a = cls._create_draft(cls.customer_a)
        cls.draft_b = cls._create_portal_order(
            cls.customer_b, [2, 2], start=700, confirm=False
        )
        cls.draft_c = cls._create_draft(cls.customer_c)
        cls.ref = cls.product.default_code

    @classmethod
    def _create_draft(cls, customer):
        return (
            cls.env["sale.order"]
            .with_company(cls.company)
            .create(
                {
                    "partner_id": customer.id,
                    "company_id": cls.company.id,
                    "warehouse_id": cls.warehouse.id,
                }
            )
        )

    def _rows(self, count, start=1, overrides=None):
        rows = []
        for index in range(start, start + count):
            row = [
                f"员工{index:05d}",
                f"139{index:08d}",
                "广东省",
                "深圳市",
                "南山区",
                f"科苑路 {index} 号",
                "人力资源部",
                "深圳分公司",
                self.ref,
                "1",
            ]
            for position, value in (overrides or {}).get(index, {}).items():
                row[position] = value
            rows.append(row)
        return rows

    @staticmethod
    def _csv(rows, encoding="utf-8"):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADER)
        writer.writerows(rows)
        return buffer.getvalue().encode(encoding)

    @staticmethod
    def _xlsx(rows):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(HEADER)
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def _upload(self, order, data, filename="recipients.csv", mode=None, timeout=12):
        payload = {"csrf_token": Request.csrf_token(self)}
        if mode:
            payload["import_mode"] = mode
        return self.url_open(
            f"/my/key-account/orders/{order.id}/recipients/upload",
            data=payload,
            files={"recipients_file": (filename, data)},
            timeout=timeout,
        )

    def _allocations(self, order):
        return self.env["key.account.allocation"].search([("order_id", "=", order.id)])

    def _snapshot(self, order):
        order.invalidate_recordset()
        return (
            sorted(
                (a.recipient_id.id, a.quantity, a.order_line_id.id)
                for a in self._allocations(order)
            ),
            sorted(
                (line.product_id.id, line.product_uom_qty) for line in order.order_line
            ),
        )


@tagged("post_install", "-at_install")
class TestPortalRecipientsUpload(PortalRecipientsCommon):
    def test_upload_page(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self.url_open(
            f"/my/key-account/orders/{self.draft_a.id}/recipients/upload"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_key_account_upload_form", response.text)
        self.assertIn("/my/key-account/recipients/template.xlsx", response.text)
        # No recipients yet: no add/replace choice.
        self.assertNotIn('name="import_mode"', response.text)

    def _assert_upload_ok(self, data, filename, count=3):
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self._upload(self.draft_a, data, filename)
        self.assertEqual(response.status_code, 200)
        self.assertIn("?imported=%s" % count, response.url)
        self.assertIn("o_key_account_import_done", response.text)
        allocations = self._allocations(self.draft_a)
        self.assertEqual(len(allocations), count)
        self.assertEqual(self.draft_a.order_line.product_uom_qty, count)
        self.assertEqual(
            sorted(allocations.recipient_id.mapped("name")),
            [f"员工{index:05d}" for index in range(1, count + 1)],
        )
        return response

    def test_upload_csv_utf8(self):
        self._assert_upload_ok(self._csv(self._rows(3)), "list.csv")

    def test_upload_csv_utf8_bom(self):
        self._assert_upload_ok(self._csv(self._rows(3), "utf-8-sig"), "list.csv")

    def test_upload_csv_gbk(self):
        self._assert_upload_ok(self._csv(self._rows(3), "gbk"), "list.csv")

    def test_upload_xlsx(self):
        self._assert_upload_ok(self._xlsx(self._rows(3)), "list.xlsx")

    def test_upload_errors_every_row_nothing_saved(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        rows = self._rows(
            5,
            overrides={2: {1: "12345"}, 4: {8: "NO-SUCH-REF"}, 5: {9: "-1"}},
        )
        before = self._snapshot(self.draft_a)
        response = self._upload(self.draft_a, self._csv(rows))
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn("o_key_account_import_errors", text)
        # Spreadsheet rows: the header is row 1, data row 2 is row 3.
        self.assertEqual(text.count('o_key_account_import_error"'), 3)
        for row in ("Row 3:", "Row 5:", "Row 6:"):
            self.assertIn(row, text)
        self.assertIn("12345", text)
        self.assertIn("NO-SUCH-REF", text)
        self.assertEqual(self._snapshot(self.draft_a), before)
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "员工00001")]),
            "no recipient created from a refused file",
        )

    def test_upload_missing_column(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        data = "姓名,手机\n张三,13800138000\n".encode()
        response = self._upload(self.draft_a, data)
        self.assertIn("o_key_account_import_errors", response.text)
        self.assertIn("Row 1 (header)", response.text)
        self.assertFalse(self._allocations(self.draft_a))

    def test_second_identical_upload_refused_add_and_replace(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        data = self._csv(self._rows(3))
        self._upload(self.draft_a, data)
        self.assertEqual(len(self._allocations(self.draft_a)), 3)
        # The order has recipients now: the page asks add or replace.
        page = self.url_open(
            f"/my/key-account/orders/{self.draft_a.id}/recipients/upload"
        )
        self.assertIn('name="import_mode"', page.text)
        # The same list without a choice (a second click, or the retry of
        # an upload sent at the same moment): it was imported, says so.
        before = self._snapshot(self.draft_a)
        response = self._upload(self.draft_a, data)
        self.assertIn("o_key_account_import_errors", response.text)
        self.assertIn("has already been imported", response.text)
        # Another list without a choice: refused, nothing changes.
        response = self._upload(self.draft_a, self._csv(self._rows(2, start=10)))
        self.assertIn("already has 3 recipient allocation(s)", response.text)
        # Same list added again: refused.
        response = self._upload(self.draft_a, data, mode="add")
        self.assertIn("has already been imported", response.text)
        self.assertEqual(self._snapshot(self.draft_a), before)
        # Other recipients added.
        response = self._upload(
            self.draft_a, self._csv(self._rows(2, start=10)), mode="add"
        )
        self.assertIn("?imported=2", response.url)
        self.assertEqual(len(self._allocations(self.draft_a)), 5)
        self.assertEqual(self.draft_a.order_line.product_uom_qty, 5)
        # Replace: the file's recipients only.
        response = self._upload(
            self.draft_a, self._csv(self._rows(2, start=20)), mode="replace"
        )
        self.assertIn("?imported=2", response.url)
        allocations = self._allocations(self.draft_a)
        self.assertEqual(
            sorted(allocations.recipient_id.mapped("name")), ["员工00020", "员工00021"]
        )
        self.draft_a.invalidate_recordset()
        self.assertEqual(self.draft_a.order_line.product_uom_qty, 2)

    def test_upload_product_outside_the_contract_refused(self):
        """Finding 6: the file cannot bring a product the contract does not
        allow (the quick-order pad refuses the same code)."""
        self.env["product.product"].create(
            {
                "name": "Retail Only Lamp",
                "default_code": "KA-LAMP",
                "list_price": 99.0,
                "type": "consu",
            }
        )
        self.authenticate("ka_portal_a", "ka_portal_a")
        before = self._snapshot(self.draft_a)
        rows = self._rows(3, overrides={3: {8: "KA-LAMP"}})
        response = self._upload(self.draft_a, self._csv(rows))
        text = response.text
        self.assertIn("o_key_account_import_errors", text)
        self.assertEqual(text.count('o_key_account_import_error"'), 1)
        self.assertIn("Row 4:", text)
        self.assertIn("KA-LAMP", text)
        self.assertIn("is not part of contract", text)
        self.assertEqual(self._snapshot(self.draft_a), before)

    def test_upload_too_big_or_wrong_type(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self._upload(self.draft_a, b"MZ\x00\x00", "virus.exe")
        self.assertIn("is not a file of an accepted type", response.text)
        self.env["ir.config_parameter"].set_param(
            "key_account_portal.upload_max_mb", "0.001"
        )
        response = self._upload(self.draft_a, self._csv(self._rows(100)))
        self.assertIn("is larger than", response.text)
        self.assertFalse(self._allocations(self.draft_a))

    def test_upload_refused_on_submitted_order(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        before = self._snapshot(self.order_a)
        response = self._upload(self.order_a, self._csv(self._rows(2)), mode="add")
        self.assertIn("cannot be changed any more", response.text)
        self.assertNotIn("o_key_account_upload_form", response.text)
        self.assertEqual(self._snapshot(self.order_a), before)

    def test_templates(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self.url_open("/my/key-account/recipients/template.csv")
        self.assertEqual(response.status_code, 200)
        self.assertIn("姓名/Name", response.content.decode("utf-8-sig"))
        response = self.url_open("/my/key-account/recipients/template.xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content[:4], b"PK\x03\x04")
        self.authenticate(None, None)
        response = self.url_open("/my/key-account/recipients/template.csv")
        self.assertNotIn("姓名/Name", response.text)
        self.assertIn("/web/login", response.url)


@tagged("post_install", "-at_install")
class TestPortalRecipientsBackground(PortalRecipientsCommon):
    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].set_param(
            "key_account_portal.recipient_background_rows", "5"
        )

    def _perform(self, record):
        job = Job.load(self.env, record.job_uuid)
        job.set_started()
        job.store()
        self.assertEqual(record._key_account_portal_status()["state"], "running")
        job.perform()
        job.set_done()
        job.store()
        record.invalidate_recordset()

    def _last_import(self, order):
        return self.env["key.account.portal.import"].search(
            [("order_id", "=", order.id)], limit=1
        )

    def test_background_import_ok(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        data = self._csv(self._rows(8))
        response = self._upload(self.draft_a, data)
        record = self._last_import(self.draft_a)
        self.assertTrue(record)
        self.assertEqual(response.url.split("/")[-1], str(record.id))
        self.assertEqual(record.row_count, 8)
        self.assertIn("The list of 8 rows waits to be", response.text)
        # Nothing imported in the request.
        self.assertFalse(self._allocations(self.draft_a))
        job = self.env["queue.job"].search([("uuid", "=", record.job_uuid)])
        self.assertEqual(job.state, "pending")
        self.assertFalse(job.user_id.share, "the job runs as an internal user")
        status = self.url_open(
            f"/my/key-account/orders/{self.draft_a.id}/recipients/import/"
            f"{record.id}?format=json"
        ).json()
        self.assertEqual((status["state"], status["rows"]), ("queued", 8))
        # The same file again while queued: refused.
        response = self._upload(self.draft_a, data)
        self.assertIn("already waiting to be imported", response.text)
        self.assertEqual(
            self.env["key.account.portal.import"].search_count(
                [("order_id", "=", self.draft_a.id)]
            ),
            1,
        )
        self._perform(record)
        self.assertEqual(record.state, "done")
        self.assertEqual(record.imported_count, 8)
        self.assertEqual(len(self._allocations(self.draft_a)), 8)
        status = self.url_open(
            f"/my/key-account/orders/{self.draft_a.id}/recipients/import/"
            f"{record.id}?format=json"
        ).json()
        self.assertEqual((status["state"], status["progress"]), ("done", 100))
        page = self.url_open(
            f"/my/key-account/orders/{self.draft_a.id}/recipients/import/{record.id}"
        )
        self.assertIn("o_key_account_import_done", page.text)
        self.assertIn("8 recipient row(s) imported", page.text)

    def test_background_import_errors(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        rows = self._rows(8, overrides={3: {1: "999"}, 7: {2: "火星"}})
        self._upload(self.draft_a, self._csv(rows))
        record = self._last_import(self.draft_a)
        self._perform(record)
        self.assertEqual(record.state, "failed")
        self.assertEqual([e["row"] for e in record.error_list], [4, 8])
        self.assertFalse(self._allocations(self.draft_a))
        page = self.url_open(
            f"/my/key-account/orders/{self.draft_a.id}/recipients/import/{record.id}"
        )
        self.assertIn("o_key_account_import_errors", page.text)
        self.assertIn("Row 4:", page.text)
        self.assertIn("Row 8:", page.text)
        self.assertIn("火星", page.text)


@tagged("post_install", "-at_install")
class TestPortalRecipientsPick(PortalRecipientsCommon):
    def _pick(self, order, recipients, quantity=2, product=None, **extra):
        return self.url_open(
            f"/my/key-account/orders/{order.id}/recipients/pick",
            data={
                "csrf_token": Request.csrf_token(self),
                "recipient_ids": recipients.ids,
                "product_id": (product or self.product).id,
                "quantity": quantity,
                **extra,
            },
        )

    def test_pick_page_search_and_add(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        url = f"/my/key-account/orders/{self.draft_a.id}/recipients/pick"
        page = self.url_open(url)
        earlier = self.order_a.key_account_allocation_ids.recipient_id
        for recipient in earlier:
            self.assertIn(recipient.name, page.text)
        # B's recipients never listed.
        for recipient in self.order_b.key_account_allocation_ids.recipient_id:
            self.assertNotIn(recipient.name, page.text)
        one = earlier[0]
        page = self.url_open(f"{url}?search={one.phone}")
        self.assertIn(one.name, page.text)
        self.assertNotIn(earlier[1].name, page.text)
        page = self.url_open(f"{url}?search=行政")
        self.assertIn(one.name, page.text)
        response = self._pick(self.draft_a, earlier, quantity=2, department="财务部")
        self.assertIn("added=3", response.url)
        allocations = self._allocations(self.draft_a)
        self.assertEqual(len(allocations), 3)
        self.assertEqual(set(allocations.mapped("quantity")), {2.0})
        self.assertEqual(set(allocations.mapped("department")), {"财务部"})
        self.assertEqual(self.draft_a.order_line.product_uom_qty, 6)
        # Resubmitted: quantities set, not doubled.
        self._pick(self.draft_a, earlier, quantity=2, department="财务部")
        self._pick(self.draft_a, earlier[:1], quantity=5, department="财务部")
        allocations = self._allocations(self.draft_a)
        self.draft_a.invalidate_recordset()
        self.assertEqual(len(allocations), 3)
        self.assertEqual(sorted(allocations.mapped("quantity")), [2.0, 2.0, 5.0])
        self.assertEqual(self.draft_a.order_line.product_uom_qty, 9)

    def test_pick_offers_only_the_contract_products(self):
        """Finding 6: a product of an earlier order that the contract does
        not allow (any more) is neither offered nor taken."""
        lamp = self.env["product.product"].create(
            {
                "name": "Retail Only Lamp",
                "default_code": "KA-LAMP",
                "list_price": 99.0,
                "type": "consu",
            }
        )
        item = self.ka_pricelist.item_ids.create(
            {
                "pricelist_id": self.ka_pricelist.id,
                "applied_on": "0_product_variant",
                "product_id": lamp.id,
                "compute_price": "fixed",
                "fixed_price": 90.0,
            }
        )
        self.env["sale.order.line"].create(
            {"order_id": self.order_a.id, "product_id": lamp.id}
        )
        item.unlink()
        self.authenticate("ka_portal_a", "ka_portal_a")
        url = f"/my/key-account/orders/{self.draft_a.id}/recipients/pick"
        page = self.url_open(url).text
        self.assertIn("KA-ENGINE-GIFT", page)
        self.assertNotIn("KA-LAMP", page)
        earlier = self.order_a.key_account_allocation_ids.recipient_id
        response = self._pick(self.draft_a, earlier, product=lamp)
        self.assertIn("Choose one of the products in the list", response.text)
        self.assertFalse(self._allocations(self.draft_a))
        self.assertFalse(self.draft_a.order_line)
        # the model refuses it too, whoever calls it
        with self.assertRaisesMessage(UserError, "not part of your contract"):
            self.draft_a._key_account_portal_add_recipients(earlier, lamp, 1)

    def test_pick_refuses_other_customer_recipients(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        theirs = self.order_b.key_account_allocation_ids.recipient_id
        response = self._pick(self.draft_a, theirs)
        self.assertIn("Choose recipients from the list", response.text)
        for recipient in theirs:
            self.assertNotIn(recipient.name, response.text)
        self.assertFalse(self._allocations(self.draft_a))

    def test_pick_paged(self):
        self.env["res.partner"]._key_account_get_or_create_recipients(
            self.customer_a,
            [self._recipient_vals(index) for index in range(100, 160)],
        )
        self.authenticate("ka_portal_a", "ka_portal_a")
        page = self.url_open(
            f"/my/key-account/orders/{self.draft_a.id}/recipients/pick"
        )
        self.assertEqual(page.text.count('name="recipient_ids"'), 50)
        page = self.url_open(
            f"/my/key-account/orders/{self.draft_a.id}/recipients/pick/page/2"
        )
        self.assertEqual(page.text.count('name="recipient_ids"'), 13)


@tagged("post_install", "-at_install")
class TestPortalRecipientsAccess(PortalRecipientsCommon):
    """Every route as A against B, as public, as suspended C."""

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].set_param(
            "key_account_portal.recipient_background_rows", "5"
        )
        # A background import of B, waiting.
        self.import_b = self.env["key.account.portal.import"]._key_account_portal_queue(
            self.draft_b,
            self.portal_b,
            "乙方名单.csv",
            self._csv(self._rows(8, start=900)),
            "add",
            8,
        )

    def _b_markers(self):
        return [
            self.draft_b.name,
            self.customer_b.name,
            "乙方名单",
            *self.draft_b.key_account_allocation_ids.recipient_id.mapped("name"),
            *self.order_b.key_account_allocation_ids.recipient_id.mapped("name"),
        ]

    def _state(self):
        self.env.invalidate_all()
        return (
            self._snapshot(self.draft_b),
            self._snapshot(self.draft_c),
            self._snapshot(self.order_b),
            self.env["key.account.portal.import"].search_read([], ["state"]),
            self.env["res.partner"].search_count(
                [("key_account_recipient", "=", True)]
            ),
        )

    def _walk(self, order, import_id, user):
        """Every route against ``order`` and ``import_id``: responses."""
        base = f"/my/key-account/orders/{order.id}/recipients"
        csrf = Request.csrf_token(self) if user else "x"
        data = self._csv(self._rows(8, start=950))
        small = self._csv(self._rows(2, start=970))
        b_recipients = self.order_b.key_account_allocation_ids.recipient_id
        responses = [
            self.url_open(f"{base}/upload"),
            self.url_open(f"{base}/import/{import_id}"),
            self.url_open(f"{base}/import/{import_id}?format=json"),
            self.url_open(f"{base}/pick"),
            self.url_open(f"{base}/pick?search=乙"),
            self.url_open(
                f"{base}/upload",
                data={"csrf_token": csrf, "import_mode": "replace"},
                files={"recipients_file": ("x.csv", small)},
            ),
            self.url_open(
                f"{base}/upload",
                data={"csrf_token": csrf, "import_mode": "add"},
                files={"recipients_file": ("x.csv", data)},
            ),
            self.url_open(
                f"{base}/pick",
                data={
                    "csrf_token": csrf,
                    "recipient_ids": b_recipients.ids,
                    "product_id": self.product.id,
                    "quantity": 3,
                },
            ),
        ]
        return responses

    def _assert_nothing(self, responses):
        for response in responses:
            for marker in self._b_markers():
                self.assertNotIn(marker, response.text, response.url)

    def test_a_against_b(self):
        before = self._state()
        self.authenticate("ka_portal_a", "ka_portal_a")
        responses = self._walk(self.draft_b, self.import_b.id, self.portal_a)
        self._assert_nothing(responses)
        # A's own order with B's import id: nothing either.
        response = self.url_open(
            f"/my/key-account/orders/{self.draft_a.id}/recipients/import/"
            f"{self.import_b.id}?format=json"
        )
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("乙方名单", response.text)
        self.assertEqual(self._state(), before)

    def test_public(self):
        before = self._state()
        self.authenticate(None, None)
        responses = self._walk(self.draft_b, self.import_b.id, None)
        self._assert_nothing(responses)
        self.assertEqual(self._state(), before)

    def test_suspended_c(self):
        import_c = self.env["key.account.portal.import"]._key_account_portal_queue(
            self.draft_c,
            self.portal_c,
            "丙方名单.csv",
            self._csv(self._rows(8, start=990)),
            False,
            8,
        )
        before = self._state()
        self.authenticate("ka_portal_c", "ka_portal_c")
        self._assert_nothing(self._walk(self.draft_b, self.import_b.id, self.portal_c))
        # Its own order: readable, not changeable.
        responses = self._walk(self.draft_c, import_c.id, self.portal_c)
        self._assert_nothing(responses)
        self.assertNotIn("o_key_account_upload_form", responses[0].text)
        self.assertIn("not approved", responses[5].text)
        self.assertEqual(self._state(), before)


@tagged("post_install", "-at_install")
class TestPortalRecipientsQueries(PortalRecipientsCommon):
    """The pages' query counts do not grow with the recipients."""

    def _queries(self, url):
        self.url_open(url)  # warm the caches
        before = self.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.cr.sql_log_count - before

    def _add_recipients(self, count, start):
        recipients = self.env["res.partner"]._key_account_get_or_create_recipients(
            self.customer_a,
            [self._recipient_vals(index) for index in range(start, start + count)],
        )
        self.draft_a.order_line = [
            Command.create({"product_id": self.product.id, "product_uom_qty": count})
        ]
        self.env["key.account.allocation"].create(
            [
                {
                    "order_line_id": self.draft_a.order_line[-1].id,
                    "recipient_id": recipient.id,
                    "quantity": 1,
                    "department": f"部门{recipient.id % 7}",
                }
                for recipient in recipients
            ]
        )

    def test_pages_flat(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        base = f"/my/key-account/orders/{self.draft_a.id}/recipients"
        urls = (f"{base}/upload", f"{base}/pick", f"{base}/pick?search=部门")
        self._add_recipients(10, 100)
        small = [self._queries(url) for url in urls]
        self._add_recipients(300, 200)
        large = [self._queries(url) for url in urls]
        for url, few, many in zip(urls, small, large, strict=True):
            self.assertLessEqual(many, few + 2, f"{url}: {few} vs {many} queries")


@tagged("post_install", "-at_install")
class TestPortalRecipientsConcurrency(PortalRecipientsCommon):
    """Finding 7: two uploads of the same list at the same moment."""

    def test_two_connections_creating_the_same_recipients(self):
        """Two real REPEATABLE READ transactions creating the same recipient
        of a committed customer: the second waits for the first, then fails
        with a serialization error, which Odoo retries (its fresh snapshot
        sees the recipient and the list the first imported), instead of an
        error on the recipients' unique key that Odoo answers with its error
        page."""
        customer_id = self.env.ref("base.public_partner").id
        vals = [
            {
                "name": "并发收件人",
                "phone": "13912345678",
                "country_id": self.env.ref("base.cn").id,
                "state_id": self.env.ref("base.state_cn_SH").id,
                "city": "上海市",
                "street": "世纪大道 1 号",
            }
        ]
        db = sql_db.db_connect(self.cr.dbname)
        result = {}
        try:
            with closing(db.cursor()) as cr1, closing(db.cursor()) as cr2:
                for cr in (cr1, cr2):
                    cr.execute("SET lock_timeout = '10s'")
                cr2.execute("SELECT 1")  # the second transaction's snapshot
                env1 = api.Environment(cr1, SUPERUSER_ID, {})
                env1["res.partner"]._key_account_get_or_create_recipients(
                    env1["res.partner"].browse(customer_id), vals
                )
                env1.flush_all()

                def second():
                    env2 = api.Environment(cr2, SUPERUSER_ID, {})
                    try:
                        env2["res.partner"]._key_account_get_or_create_recipients(
                            env2["res.partner"].browse(customer_id), vals
                        )
                        env2.flush_all()
                        result["second"] = "passed"
                    except psycopg2.errors.SerializationFailure:
                        result["second"] = "serialization failure"
                    except psycopg2.errors.UniqueViolation:
                        result["second"] = "unique violation"

                with mute_logger("odoo.sql_db"):
                    thread = threading.Thread(target=second)
                    thread.start()
                    time.sleep(0.5)
                    self.assertTrue(thread.is_alive(), "the second waits")
                    cr1.commit()
                    thread.join(15)
                cr2.rollback()
        finally:
            # the first transaction committed its recipient: remove it
            with closing(db.cursor()) as cr3:
                cr3.execute(
                    "DELETE FROM res_partner WHERE parent_id = %s "
                    "AND key_account_recipient",
                    (customer_id,),
                )
                cr3.commit()
        self.assertEqual(result, {"second": "serialization failure"})
