# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .parcel_common import KeyAccountParcelCommon


def csv_file(rows, encoding="gbk"):
    lines = ["运单号,状态,时间,描述,地点"] + [",".join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


class TestTrackingStatusFile(KeyAccountParcelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock_user = new_test_user(
            cls.env,
            login="ka_status_file_stock",
            groups="stock.group_stock_user",
            company_id=cls.company.id,
            tz="Asia/Shanghai",
        )
        cls.salesman = new_test_user(
            cls.env,
            login="ka_status_file_sales",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )

    def _wizard(self, data, user=None):
        return (
            self.env["key.account.tracking.import.wizard"]
            .with_user(user or self.stock_user)
            .create(
                {
                    "carrier_id": self.carrier.id,
                    "file": base64.b64encode(data),
                    "filename": "status.csv",
                }
            )
        )

    def test_preview_errors_then_apply_then_same_file_again(self):
        first, second = self.parcels[0], self.parcels[1]
        wrong = csv_file(
            [
                (first.waybill_number, "已签收", "2026-12-01 18:00:00", "签收", "沪"),
                (second.waybill_number, "飞走了", "2026-12-01 18:05:00", "", ""),
                ("SF9999999999", "运输中", "2026-12-01 18:10:00", "", ""),
                (second.waybill_number, "运输中", "not a time", "", ""),
            ]
        )
        wizard = self._wizard(wrong)
        wizard.action_preview()
        self.assertEqual(wizard.row_count, 4)
        errors = wizard.error_text.splitlines()
        self.assertEqual(len(errors), 3, wizard.error_text)
        self.assertTrue(errors[0].startswith("Row 3:") and "飞走了" in errors[0])
        self.assertTrue(errors[1].startswith("Row 4:") and "SF9999999999" in errors[1])
        self.assertTrue(errors[2].startswith("Row 5:"))
        with self.assertRaises(UserError):
            wizard.action_apply()
        self.assertEqual(first.tracking_state, "booked")
        self.assertFalse(first.tracking_event_ids)

        right = csv_file(
            [
                (first.waybill_number, "已签收", "2026-12-01 18:00:00", "签收", "沪"),
                (second.waybill_number, "运输中", "2026-12-01 18:05:00", "", "杭州"),
            ]
        )
        wizard = self._wizard(right)
        wizard.action_preview()
        self.assertFalse(wizard.error_text)
        wizard.action_apply()
        self.assertEqual(wizard.state, "done")
        self.assertEqual(first.tracking_state, "delivered")
        self.assertEqual(second.tracking_state, "in_transit")
        self.assertEqual(first.tracking_event_ids.source, "file")
        # the courier's local time (Asia/Shanghai) stored in UTC
        self.assertEqual(
            first.tracking_event_ids.event_date, datetime(2026, 12, 1, 10, 0, 0)
        )
        self.assertEqual(self.pickings[0].key_account_tracking_state, "delivered")

        # the same file twice records nothing
        wizard = self._wizard(right)
        wizard.action_preview()
        wizard.action_apply()
        self.assertIn("0", wizard.result_text.split()[0])
        self.assertEqual(len(first.tracking_event_ids), 1)
        self.assertEqual(len(second.tracking_event_ids), 1)

    def test_missing_columns_refused(self):
        data = "运单号,备注\r\nSF1,x\r\n".encode("gbk")
        with self.assertRaises(UserError):
            self._wizard(data).action_preview()

    def test_only_stock_users_import(self):
        number = self.parcels[0].waybill_number
        data = csv_file([(number, "已签收", "2026-12-01 18:00")])
        with self.assertRaises(AccessError):
            self._wizard(data, user=self.salesman)
        with self.assertRaises(UserError):
            self.env["key.account.parcel"].with_user(
                self.salesman
            )._key_account_import_status_file(self.carrier, data, "s.csv", apply=True)
        self.assertEqual(self.parcels[0].tracking_state, "booked")
