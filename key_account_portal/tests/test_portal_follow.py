# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io

from openpyxl import load_workbook
from PIL import Image

from odoo.http import Request
from odoo.tests import tagged

from .common import KeyAccountPortalCommon


def _png_bytes():
    output = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(output, format="PNG")
    return output.getvalue()


class KeyAccountFollowCommon(KeyAccountPortalCommon):
    """Order A: its first two recipients delivered, the third not; order B:
    every recipient delivered; order C (of the suspended account, confirmed
    and delivered before its suspension)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.allocations_a = cls.order_a.key_account_allocation_ids.sorted("id")
        cls.allocations_b = cls.order_b.key_account_allocation_ids.sorted("id")
        cls._ka_deliver(cls.allocations_a[:2].picking_id)
        cls._ka_deliver(cls.allocations_b.picking_id)
        cls.customer_c.with_user(cls.ka_manager).action_key_account_reinstate()
        cls.order_c = cls._create_portal_order(cls.customer_c, [1, 1], start=800)
        cls.allocations_c = cls.order_c.key_account_allocation_ids.sorted("id")
        cls._ka_deliver(cls.allocations_c.picking_id)
        cls.customer_c.with_user(cls.ka_manager).action_key_account_suspend()
        cls.b_markers = [
            cls.order_b.name,
            "乙方银行",
            *cls.allocations_b.recipient_id.mapped("name"),
        ]

    @classmethod
    def _ka_deliver(cls, pickings):
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings.with_context(skip_backorder=True, skip_sms=True).button_validate()
        assert set(pickings.mapped("state")) == {"done"}

    def _order_url(self, order, suffix=""):
        return f"/my/key-account/orders/{order.id}{suffix}"

    def _post(self, url, data=None, files=None):
        data = dict(data or {}, csrf_token=Request.csrf_token(self))
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def _snapshot(self):
        """What a refused request must leave untouched."""
        self.env.invalidate_all()
        allocations = self.env["key.account.allocation"].search([], order="id")
        return (
            allocations.read(
                ["acceptance_state", "discrepancy_type", "discrepancy_note"]
            ),
            self.env["mail.message"].search_count([("model", "=", "sale.order")]),
            self.env["ir.attachment"].search_count([("res_model", "=", "sale.order")]),
        )

    def assertNoBData(self, response):
        for marker in self.b_markers:
            self.assertNotIn(marker, response.text)

    def assertRedirectsHome(self, response):
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(
            response.headers["Location"].endswith("/my"),
            response.headers["Location"],
        )


@tagged("post_install", "-at_install")
class TestPortalFollowPages(KeyAccountFollowCommon):
    def test_orders_list(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self.url_open("/my/key-account/orders")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order_a.name, response.text)
        self.assertIn("o_key_account_portal", response.text)
        self.assertNoBData(response)
        # Filters and sorting.
        response = self.url_open(
            "/my/key-account/orders?filterby=review_pending&sortby=amount"
        )
        self.assertNotIn(self.order_a.name, response.text)
        response = self.url_open("/my/key-account/orders?filterby=confirmed")
        self.assertIn(self.order_a.name, response.text)
        # Unknown values fall back to the defaults.
        response = self.url_open("/my/key-account/orders?filterby=x&sortby=y")
        self.assertIn(self.order_a.name, response.text)

    def test_orders_list_paged(self):
        for _index in range(3):
            self._create_portal_order(self.customer_a, [1], confirm=False)
        from ..controllers.follow import KeyAccountPortalFollow

        self.patch(KeyAccountPortalFollow, "_items_per_page", 2)
        self.authenticate("ka_portal_a", "ka_portal_a")
        first = self.url_open("/my/key-account/orders")
        second = self.url_open("/my/key-account/orders/page/2")
        self.assertIn("/my/key-account/orders/page/2", first.text)
        names = self.env["sale.order"].search(
            [("partner_id", "=", self.customer_a.id)], order="date_order desc, id desc"
        )
        self.assertIn(names[0].name, first.text)
        self.assertNotIn(names[0].name, second.text)
        self.assertIn(names[2].name, second.text)

    def test_orders_list_public_and_suspended(self):
        response = self.url_open("/my/key-account/orders")
        self.assertIn("/web/login", response.url)
        self.assertNotIn(self.order_a.name, response.text)
        self.authenticate("ka_portal_c", "ka_portal_c")
        response = self.url_open("/my/key-account/orders")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order_c.name, response.text)
        self.assertNotIn(self.order_a.name, response.text)
        self.assertNoBData(response)

    def test_order_page(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self.url_open(self._order_url(self.order_a))
        self.assertEqual(response.status_code, 200)
        text = response.text
        for recipient in self.allocations_a.recipient_id:
            self.assertIn(recipient.name, text)
        self.assertIn(self.allocations_a[0].picking_id.name, text)
        self.assertIn('id="ka_accept_all"', text)
        self.assertIn("ka_review_state", text)
        self.assertIn("ka_acceptance_progress", text)
        self.assertIn("上海市 上海市 浦东新区 世纪大道 1 号", text)
        self.assertNotIn("ka_order_draft_panel", text)
        self.assertNoBData(response)

    def test_carrier_tracking_reference(self):
        """The carrier's reference is shown when a delivery module provides
        one (stock_delivery's carrier_tracking_ref; a field of core stands in
        for it when stock_delivery is not installed)."""
        self.authenticate("ka_portal_a", "ka_portal_a")
        text = self.url_open(self._order_url(self.order_a)).text
        has_field = "carrier_tracking_ref" in self.env["stock.picking"]._fields
        self.assertEqual("Tracking Reference" in text, has_field)
        self.patch(
            type(self.env["key.account.allocation"]),
            "_key_account_portal_tracking_field",
            lambda self: "origin",
        )
        self.allocations_a[0].picking_id.origin = "SF1234567890"
        text = self.url_open(self._order_url(self.order_a)).text
        self.assertIn("Tracking Reference", text)
        self.assertIn("SF1234567890", text)
        report = self.url_open(self._order_url(self.order_a, "/report.xlsx"))
        rows = list(
            load_workbook(io.BytesIO(report.content), read_only=True).active.iter_rows(
                values_only=True
            )
        )
        self.assertIn("Tracking Reference", rows[0])
        self.assertIn("SF1234567890", [value for row in rows for value in row])

    def test_order_page_of_another_company(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        self.order_a._portal_ensure_token()
        self.order_b._portal_ensure_token()
        for suffix in ("", "/recipients", "/report.xlsx", "/recipients/page/2"):
            # B's own valid token included: the key-account pages show
            # recipients' personal data to the company's contacts only.
            for token in (
                None,
                self.order_a.access_token,
                self.order_b.access_token,
                "forged-token",
            ):
                url = self._order_url(self.order_b, suffix)
                if token:
                    url += f"?access_token={token}"
                response = self.url_open(url, allow_redirects=False)
                self.assertRedirectsHome(response)
                self.assertNoBData(response)
        response = self.url_open(self._order_url(self.order_b))
        self.assertNoBData(response)
        # An order id that does not exist.
        response = self.url_open("/my/key-account/orders/999999", allow_redirects=False)
        self.assertRedirectsHome(response)

    def test_order_page_public(self):
        response = self.url_open(self._order_url(self.order_b), allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
        response = self.url_open(self._order_url(self.order_b, "/report.xlsx"))
        self.assertNoBData(response)
        self.assertNotIn("spreadsheetml", response.headers.get("Content-Type", ""))

    def test_order_page_suspended_account_reads(self):
        self.authenticate("ka_portal_c", "ka_portal_c")
        response = self.url_open(self._order_url(self.order_c))
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.allocations_c[0].recipient_id.name, response.text)
        # It reads, it does not accept.
        self.assertNotIn('id="ka_accept_all"', response.text)
        response = self.url_open(self._order_url(self.order_b), allow_redirects=False)
        self.assertRedirectsHome(response)

    def test_draft_order_shows_the_draft_panel(self):
        draft = self._create_portal_order(self.customer_a, [1, 2], confirm=False)
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self.url_open(self._order_url(draft))
        self.assertIn("ka_order_draft_panel", response.text)
        self.assertNotIn('id="ka_accept_all"', response.text)
        response = self.url_open(self._order_url(draft, "/recipients"))
        self.assertNotIn("ka_order_draft_panel", response.text)


@tagged("post_install", "-at_install")
class TestPortalFollowRecipients(KeyAccountFollowCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.big_order = cls._create_portal_order(
            cls.customer_a, [1] * 120, start=100, confirm=False
        )
        cls.big_allocations = cls.big_order.key_account_allocation_ids.sorted("id")
        cls.big_allocations[7].sudo().department = "财务部"

    def test_paging(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        names = self.big_allocations.recipient_id.mapped("name")
        first = self.url_open(self._order_url(self.big_order, "/recipients")).text
        self.assertEqual(first.count("o_ka_recipient_row"), 50)
        self.assertIn(names[0], first)
        self.assertNotIn(names[50], first)
        self.assertIn(self._order_url(self.big_order, "/recipients/page/3"), first)
        third = self.url_open(self._order_url(self.big_order, "/recipients/page/3"))
        self.assertEqual(third.text.count("o_ka_recipient_row"), 20)
        self.assertIn(names[119], third.text)
        # The order page pages its recipients too.
        second = self.url_open(self._order_url(self.big_order, "/page/2")).text
        self.assertIn(names[50], second)
        self.assertNotIn(names[0], second)

    def test_search(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        target = self.big_allocations[42].recipient_id
        url = self._order_url(self.big_order, "/recipients")
        by_name = self.url_open(f"{url}?search={target.name}").text
        self.assertEqual(by_name.count("o_ka_recipient_row"), 1)
        self.assertIn(target.name, by_name)
        by_phone = self.url_open(f"{url}?search={target.phone}").text
        self.assertEqual(by_phone.count("o_ka_recipient_row"), 1)
        by_department = self.url_open(f"{url}?search=财务部").text
        self.assertEqual(by_department.count("o_ka_recipient_row"), 1)
        self.assertIn(self.big_allocations[7].recipient_id.name, by_department)
        nothing = self.url_open(f"{url}?search=不存在的人").text
        self.assertEqual(nothing.count("o_ka_recipient_row"), 0)
        # Search stays inside the order: B's recipients are never found.
        name_b = self.allocations_b[0].recipient_id.name
        response = self.url_open(f"{url}?search={name_b}")
        self.assertEqual(response.text.count("o_ka_recipient_row"), 0)
        self.assertNotIn(self.allocations_b[0].recipient_id.phone, response.text)

    def test_filters(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        url = self._order_url(self.order_a, "/recipients")
        to_accept = self.url_open(f"{url}?filterby=to_accept").text
        self.assertEqual(to_accept.count("o_ka_recipient_row"), 2)
        undelivered = self.url_open(f"{url}?filterby=undelivered").text
        self.assertEqual(undelivered.count("o_ka_recipient_row"), 1)
        self.assertIn(self.allocations_a[2].recipient_id.name, undelivered)


@tagged("post_install", "-at_install")
class TestPortalFollowAcceptance(KeyAccountFollowCommon):
    def test_accept_all_delivered(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self._post(self._order_url(self.order_a, "/accept"))
        self.assertEqual(response.status_code, 303)
        self.assertIn("accepted=2", response.headers["Location"])
        self.assertEqual(
            self.allocations_a.mapped("acceptance_state"),
            ["accepted", "accepted", "pending"],
        )
        self.assertIn("accepted", self.order_a.message_ids[0].body)
        page = self.url_open(response.headers["Location"])
        self.assertIn("alert-success", page.text)
        # Nothing left: the engine's rule is told.
        response = self._post(self._order_url(self.order_a, "/accept"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("waits for acceptance", response.text)

    def test_accept_selected(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self._post(
            self._order_url(self.order_a, "/accept"),
            {"allocation_ids": [self.allocations_a[1].id]},
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(
            self.allocations_a.mapped("acceptance_state"),
            ["pending", "accepted", "pending"],
        )

    def test_accept_undelivered_refused(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        before = self._snapshot()
        response = self._post(
            self._order_url(self.order_a, "/accept"),
            {"allocation_ids": [self.allocations_a[0].id, self.allocations_a[2].id]},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Only delivered goods can be accepted", response.text)
        self.assertIn(self.allocations_a[2].recipient_id.name, response.text)
        self.assertEqual(self._snapshot(), before)

    def test_allocations_of_another_order_refused(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        before = self._snapshot()
        for ids in (
            [self.allocations_b[0].id],
            [self.allocations_a[0].id, self.allocations_b[0].id],
            ["abc"],
        ):
            response = self._post(
                self._order_url(self.order_a, "/accept"), {"allocation_ids": ids}
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("alert-danger", response.text)
            self.assertNoBData(response)
            response = self._post(
                self._order_url(self.order_a, "/discrepancy"),
                {"allocation_ids": ids, "discrepancy_type": "damage", "note": "x"},
            )
            self.assertIn("alert-danger", response.text)
            self.assertNoBData(response)
        self.assertEqual(self._snapshot(), before)

    def test_posts_on_another_company_order(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        self.order_b._portal_ensure_token()
        before = self._snapshot()
        for suffix, data in (
            ("/accept", {}),
            ("/accept", {"allocation_ids": self.allocations_b[0].id}),
            (
                "/discrepancy",
                {
                    "allocation_ids": self.allocations_b[0].id,
                    "discrepancy_type": "damage",
                    "note": "坏了",
                },
            ),
        ):
            for token in ("", f"?access_token={self.order_b.access_token}"):
                url = self._order_url(self.order_b, suffix) + token
                response = self._post(url, data)
                self.assertRedirectsHome(response)
                self.assertNoBData(response)
        self.assertEqual(self._snapshot(), before)

    def test_posts_of_suspended_account_refused(self):
        self.authenticate("ka_portal_c", "ka_portal_c")
        before = self._snapshot()
        response = self._post(self._order_url(self.order_c, "/accept"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("is not approved", response.text)
        response = self._post(
            self._order_url(self.order_c, "/discrepancy"),
            {
                "allocation_ids": self.allocations_c[0].id,
                "discrepancy_type": "damage",
                "note": "坏了",
            },
        )
        self.assertIn("is not approved", response.text)
        response = self._post(self._order_url(self.order_b, "/accept"))
        self.assertRedirectsHome(response)
        self.assertNoBData(response)
        self.assertEqual(self._snapshot(), before)

    def test_posts_of_public_user_refused(self):
        before = self._snapshot()
        for suffix in ("/accept", "/discrepancy"):
            response = self.url_open(
                self._order_url(self.order_a, suffix),
                data={"allocation_ids": self.allocations_a[0].id},
                allow_redirects=False,
            )
            self.assertNotEqual(response.status_code, 200)
            self.assertNotIn(self.allocations_a[0].recipient_id.name, response.text)
        self.assertEqual(self._snapshot(), before)

    def test_post_without_csrf_refused(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        before = self._snapshot()
        response = self.url_open(
            self._order_url(self.order_a, "/accept"),
            data={"allocation_ids": self.allocations_a[0].id},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._snapshot(), before)

    def test_discrepancy_with_photo(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        allocation = self.allocations_a[1]
        response = self._post(
            self._order_url(self.order_a, "/discrepancy"),
            {
                "allocation_ids": allocation.id,
                "discrepancy_type": "damage",
                "note": "外包装破损",
            },
            files={"photo": ("破损.png", _png_bytes(), "image/png")},
        )
        self.assertEqual(response.status_code, 303, response.text[:2000])
        self.assertIn("reported=1", response.headers["Location"])
        self.env.invalidate_all()
        self.assertEqual(allocation.acceptance_state, "discrepancy")
        self.assertEqual(allocation.discrepancy_type, "damage")
        self.assertEqual(allocation.discrepancy_note, "外包装破损")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", self.order_a.id)]
        )
        self.assertEqual(attachment.name, "破损.png")
        self.assertEqual(attachment.mimetype, "image/png")
        message = self.order_a.message_ids[0]
        self.assertIn("外包装破损", message.body)
        self.assertEqual(message.attachment_ids, attachment)
        page = self.url_open(response.headers["Location"]).text
        self.assertIn("外包装破损", page)

    def test_discrepancy_refusals(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        before = self._snapshot()
        url = self._order_url(self.order_a, "/discrepancy")
        valid = {
            "allocation_ids": self.allocations_a[0].id,
            "discrepancy_type": "damage",
            "note": "外包装破损",
        }
        cases = [
            (valid, {"photo": ("note.txt", b"hello", "text/plain")}, "accepted type"),
            (
                valid,
                {"photo": ("fake.png", b"<svg onload='x'/>" * 10, "image/png")},
                "is not a photo",
            ),
            (dict(valid, discrepancy_type="nope"), None, "Choose what is wrong"),
            (dict(valid, note="  "), None, "Describe the discrepancy"),
            (
                {"discrepancy_type": "damage", "note": "x"},
                None,
                "Select the recipients",
            ),
            (
                dict(valid, allocation_ids=self.allocations_a[2].id),
                None,
                "Only delivered goods",
            ),
        ]
        for data, files, message in cases:
            response = self._post(url, data, files=files)
            self.assertEqual(response.status_code, 200)
            self.assertIn(message, response.text)
        self.assertEqual(self._snapshot(), before)

    def test_discrepancy_photo_too_large(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "key_account_portal.photo_max_mb", "0.0001"
        )
        self.authenticate("ka_portal_a", "ka_portal_a")
        before = self._snapshot()
        response = self._post(
            self._order_url(self.order_a, "/discrepancy"),
            {
                "allocation_ids": self.allocations_a[0].id,
                "discrepancy_type": "damage",
                "note": "x",
            },
            files={"photo": ("big.png", _png_bytes() + b"\0" * 500, "image/png")},
        )
        self.assertIn("is larger than", response.text)
        self.assertEqual(self._snapshot(), before)


@tagged("post_install", "-at_install")
class TestPortalFollowReport(KeyAccountFollowCommon):
    def test_report_xlsx(self):
        self.allocations_a[0]._key_account_accept()
        self.order_a._portal_ensure_token()
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self.url_open(self._order_url(self.order_a, "/report.xlsx"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        self.assertIn("attachment", response.headers["Content-Disposition"])
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        self.assertEqual(header[:3], ("Recipient", "Phone", "Address"))
        self.assertEqual(len(rows), 4)
        by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
        first = by_name[self.allocations_a[0].recipient_id.name]
        self.assertEqual(first["Acceptance"], "Accepted")
        self.assertEqual(first["Delivered"], 1)
        self.assertEqual(first["Delivery Status"], "Done")
        self.assertEqual(first["Department"], "行政部")
        self.assertEqual(first["Address"], "上海市 上海市 浦东新区 世纪大道 1 号")
        third = by_name[self.allocations_a[2].recipient_id.name]
        self.assertEqual(third["Delivered"], 0)
        self.assertEqual(third["Acceptance"], "Pending")
        self.assertEqual(third["Quantity"], 3)
        names_b = set(self.allocations_b.recipient_id.mapped("name"))
        self.assertFalse(names_b & set(by_name))
