# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import io

from openpyxl import load_workbook

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_portal_follow import KeyAccountFollowCommon


class KeyAccountTrackingCommon(KeyAccountFollowCommon):
    """Order A's first recipient signed, its second in exception, its third
    booked; order B's parcels of the other customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        product = cls.env["product.product"].create({"name": "运费", "type": "service"})
        cls.carrier = cls.env["delivery.carrier"].create(
            {
                "name": "顺丰速运",
                "product_id": product.id,
                "tracking_url": "https://track.example.com/?no=<shipmenttrackingnumber>",
            }
        )
        Parcel = cls.env["key.account.parcel"]
        cls.parcels_a = Parcel.create(
            [
                {
                    "picking_id": allocation.picking_id.id,
                    "carrier_id": cls.carrier.id,
                    "waybill_number": f"SFA{index}",
                    "tracking_state": "booked",
                }
                for index, allocation in enumerate(cls.allocations_a)
            ]
        )
        cls.parcels_b = Parcel.create(
            [
                {
                    "picking_id": allocation.picking_id.id,
                    "carrier_id": cls.carrier.id,
                    "waybill_number": f"SFB{index}",
                    "tracking_state": "booked",
                }
                for index, allocation in enumerate(cls.allocations_b)
            ]
        )
        Parcel._key_account_ingest_events(
            cls.carrier,
            [
                {"number": "SFA0", "status": "已签收", "time": "2026-12-02T10:00:00Z"},
                {"number": "SFA1", "status": "异常", "time": "2026-12-02T11:00:00Z"},
                {"number": "SFB0", "status": "异常", "time": "2026-12-02T11:00:00Z"},
            ],
        )


@tagged("post_install", "-at_install")
class TestPortalTracking(KeyAccountTrackingCommon):
    def test_order_page_shows_tracking(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        text = self.url_open(self._order_url(self.order_a)).text
        self.assertIn("https://track.example.com/?no=SFA0", text)
        self.assertIn("顺丰速运", text)
        self.assertIn("SFA2", text)
        self.assertIn("o_ka_tracking", text)
        self.assertNoBData(response=self.url_open(self._order_url(self.order_a)))
        self.assertNotIn("SFB0", text)

    def test_exception_filter(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        text = self.url_open(self._order_url(self.order_a, "?filterby=exception")).text
        self.assertIn("SFA1", text)
        self.assertNotIn("SFA0", text)
        self.assertNotIn("SFA2", text)

    def test_report_carries_tracking(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        report = self.url_open(self._order_url(self.order_a, "/report.xlsx"))
        rows = list(
            load_workbook(io.BytesIO(report.content), read_only=True).active.iter_rows(
                values_only=True
            )
        )
        header = rows[0]
        for column in ("Carrier", "Waybill Number", "Tracking Status"):
            self.assertIn(column, header)
        values = {row[header.index("Waybill Number")]: row for row in rows[1:]}
        self.assertEqual(set(values), {"SFA0", "SFA1", "SFA2"})
        self.assertEqual(
            values["SFA0"][header.index("Tracking Status")], "Signed / Delivered"
        )
        self.assertTrue(values["SFA0"][header.index("Last Tracking Update")])

    def test_another_customers_order_and_parcels(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self.url_open(
            self._order_url(self.order_b, "?filterby=exception"), allow_redirects=False
        )
        self.assertRedirectsHome(response)
        Parcel = self.env["key.account.parcel"].with_user(self.portal_a)
        self.assertEqual(Parcel.search([]), self.parcels_a)
        self.assertEqual(
            self.env["key.account.parcel.event"].with_user(self.portal_a).search([]),
            self.parcels_a.tracking_event_ids,
        )
        with self.assertRaises(AccessError):
            self.parcels_b[0].with_user(self.portal_a).read(["waybill_number"])
        with self.assertRaises(AccessError):
            self.parcels_a[0].with_user(self.portal_a).write(
                {"tracking_state": "delivered"}
            )

    def test_tracking_tour(self):
        self.start_tour(
            self._order_url(self.order_a),
            "key_account_tracking_tour",
            login="ka_portal_a",
        )
