# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import HttpCase, tagged

from .test_courier import KeyAccountCourierCommon


@tagged("post_install", "-at_install")
class TestWaybillImportTour(HttpCase, KeyAccountCourierCommon):
    def test_import_preview_fix_apply(self):
        """Back office, from the Inventory menu: a file with one unknown
        reference is previewed with that row's number and error and no Import
        button; the corrected file is previewed again and imported."""
        pickings = self._pickings(2)
        pickings[0].name = "TOUR/OUT/00001"
        pickings[1].name = "TOUR/OUT/00002"
        self.start_tour(
            "/odoo/inventory",
            "key_account_waybill_import_tour",
            login=self.stock_user.login,
        )
        self.assertEqual(
            pickings.mapped("key_account_parcel_ids.waybill_number"),
            ["SFTOUR1", "SFTOUR2"],
        )
        self.assertEqual(
            pickings.mapped("carrier_tracking_ref"), ["SFTOUR1", "SFTOUR2"]
        )
        self.assertEqual(set(pickings.mapped("key_account_tracking_state")), {"booked"})
