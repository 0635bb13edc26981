# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import csv
import io
import zipfile

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import KeyAccountOrderCommon


class KeyAccountCourierCommon(KeyAccountOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "auto_batch" in cls.warehouse.out_type_id._fields:
            cls.warehouse.out_type_id.auto_batch = False
        cls.shipping_product = cls.env["product.product"].create(
            {"name": "快递费", "type": "service", "company_id": cls.company.id}
        )
        Carrier = cls.env["delivery.carrier"]
        cls.carrier_sf = Carrier.create(
            {
                "name": "顺丰速运",
                "delivery_type": "key_account_file",
                "product_id": cls.shipping_product.id,
                "tracking_url": "https://www.sf-express.com/track?no=<shipmenttrackingnumber>",
            }
        )
        cls.carrier_sf.with_context(
            key_account_layout="sf"
        ).action_key_account_load_columns()
        cls.carrier_jd = Carrier.create(
            {
                "name": "京东物流",
                "delivery_type": "key_account_file",
                "product_id": cls.shipping_product.id,
                "tracking_url": "https://jdl.com/t/<shipmenttrackingnumber>",
            }
        )
        cls.stock_user = new_test_user(
            cls.env,
            login="ka_courier_stock",
            groups="base.group_user,stock.group_stock_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.salesman = new_test_user(
            cls.env,
            login="ka_courier_salesman",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.Waybill = cls.env["key.account.parcel.waybill"]

    _start = 5000

    def _pickings(self, count, carrier=None, quantity=1, **vals):
        KeyAccountCourierCommon._start += count
        recipients = self._create_recipients(count, start=self._start)
        order = self._create_order(
            [quantity] * count,
            recipients=recipients,
            carrier_id=(carrier or self.carrier_sf).id,
            **vals,
        )
        order.action_confirm()
        pickings = order.picking_ids.sorted("id")
        self.assertEqual(len(pickings), count)
        return pickings

    @staticmethod
    def _csv(rows, headers=("客户单号", "运单号"), encoding="gbk"):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(rows)
        return buffer.getvalue().encode(encoding)

    def _import(self, data, apply=True, user=None, filename="waybills.csv"):
        waybill = self.Waybill.with_user(user) if user else self.Waybill
        return waybill._key_account_import(data, filename, apply=apply)

    def _book(self, pickings, prefix="SF"):
        numbers = [f"{prefix}{picking.id:010d}" for picking in pickings]
        self._import(
            self._csv([(p.name, n) for p, n in zip(pickings, numbers, strict=True)])
        )
        return numbers


@tagged("post_install", "-at_install")
class TestCourierCarrier(KeyAccountCourierCommon):
    def test_carrier_from_order_branch_then_city(self):
        Carrier = self.env["delivery.carrier"]
        branch = Carrier.create(
            {
                "name": "北京专线",
                "delivery_type": "key_account_file",
                "product_id": self.shipping_product.id,
                "key_account_auto_assign": True,
                "key_account_branch_names": "北京分公司, 天津分公司",
                "sequence": 1,
            }
        )
        city = Carrier.create(
            {
                "name": "上海同城",
                "delivery_type": "key_account_file",
                "product_id": self.shipping_product.id,
                "key_account_auto_assign": True,
                "key_account_city_names": "上海市",
                "sequence": 2,
            }
        )
        elsewhere = Carrier.create(
            {
                "name": "苏州同城",
                "delivery_type": "key_account_file",
                "product_id": self.shipping_product.id,
                "key_account_auto_assign": True,
                "key_account_city_names": "苏州市",
                "sequence": 0,
            }
        )
        recipients = self._create_recipients(3, start=100)
        order = self._create_order(
            [1, 1, 1], recipients=recipients, departments=["北京", "上海", False]
        )
        order.action_confirm()
        by_recipient = {p.partner_id: p.carrier_id for p in order.picking_ids}
        self.assertEqual(by_recipient[recipients[0]], branch)
        self.assertEqual(by_recipient[recipients[1]], city)
        self.assertEqual(by_recipient[recipients[2]], city)
        self.assertNotIn(elsewhere, order.picking_ids.carrier_id)
        # The order's carrier wins over every rule.
        ordered = self._pickings(2, carrier=self.carrier_jd)
        self.assertEqual(ordered.carrier_id, self.carrier_jd)

    def test_bulk_carrier_change_stock_user_only(self):
        pickings = self._pickings(3)
        wizard = Form(
            self.env["key.account.carrier.assign.wizard"]
            .with_user(self.stock_user)
            .with_context(active_ids=pickings.ids)
        )
        wizard.carrier_id = self.carrier_jd
        wizard.save().action_apply()
        self.assertEqual(pickings.carrier_id, self.carrier_jd)
        with self.assertRaises(AccessError):
            pickings.with_user(self.salesman)._key_account_set_carrier(self.carrier_sf)
        self.assertEqual(pickings.carrier_id, self.carrier_jd)


@tagged("post_install", "-at_install")
class TestCourierExport(KeyAccountCourierCommon):
    def test_export_one_file_per_carrier_parcels_created(self):
        sf = self._pickings(2)
        jd = self._pickings(1, carrier=self.carrier_jd)
        result = self.Waybill.with_user(self.stock_user)._key_account_export(
            sf | jd, file_format="csv"
        )
        self.assertEqual(result["mimetype"], "application/zip")
        archive = zipfile.ZipFile(io.BytesIO(result["data"]))
        self.assertEqual(len(archive.namelist()), 2)
        sf_name = next(n for n in archive.namelist() if n.startswith("顺丰"))
        rows = list(csv.reader(io.StringIO(archive.read(sf_name).decode("gbk"))))
        self.assertEqual(rows[0][:3], ["收件人", "收件人电话/手机", "省"])
        self.assertEqual(rows[0][-1], "运单号")
        self.assertEqual([row[8] for row in rows[1:]], sf.mapped("name"))
        self.assertEqual(rows[1][0], sf[0].partner_id.name)
        self.assertEqual(len((sf | jd).key_account_parcel_ids), 3)
        self.assertEqual(
            set((sf | jd).key_account_parcel_ids.mapped("tracking_state")), {"draft"}
        )
        # Exported again: no second parcel.
        self.Waybill._key_account_export(sf, file_format="xlsx")
        self.assertEqual(len(sf.key_account_parcel_ids), 2)

    def test_export_skips_booked_unless_rebook(self):
        pickings = self._pickings(2)
        self._book(pickings[:1])
        result = self.Waybill._key_account_export(pickings, file_format="csv")
        self.assertEqual(result["exported"], pickings[1:])
        self.assertIn(pickings[0].name, result["skipped"][0])
        result = self.Waybill._key_account_export(
            pickings, file_format="csv", rebook=True
        )
        self.assertEqual(result["exported"], pickings)
        with self.assertRaisesRegex(UserError, "Nothing to export"):
            self.Waybill._key_account_export(pickings[:1], file_format="csv")

    def test_export_gbk_replaces_what_gbk_cannot_write(self):
        pickings = self._pickings(1)
        pickings.partner_id.name = "吉𠮷祥"  # 𠮷 is not in GBK
        result = self.Waybill._key_account_export(pickings, file_format="csv")
        text = result["data"].decode("gbk")
        self.assertIn("吉?祥", text)
        self.assertIn("𠮷", result["warnings"][0])
        utf8 = self.Waybill._key_account_export(
            pickings, file_format="csv", encoding="utf-8", rebook=True
        )
        self.assertIn("吉𠮷祥", utf8["data"].decode("utf-8-sig"))

    def test_export_requires_stock_user(self):
        pickings = self._pickings(1)
        with self.assertRaises(AccessError):
            self.Waybill.with_user(self.salesman)._key_account_export(pickings)


@tagged("post_install", "-at_install")
class TestWaybillImport(KeyAccountCourierCommon):
    def test_gbk_headers_fullwidth_digits_one_number_per_parcel(self):
        pickings = self._pickings(2)
        data = self._csv(
            [
                (pickings[0].name, "ＳＦ１２３４５６７８９０"),
                (pickings[1].name.replace("0", "０"), " SF 2222 "),
            ],
            headers=("客户订单号", "运单号码"),
        )
        summary = self._import(data, user=self.stock_user)
        self.assertEqual(summary["applied"], 2)
        self.assertEqual(
            pickings[0].key_account_parcel_ids.waybill_number, "SF1234567890"
        )
        self.assertEqual(pickings[1].key_account_parcel_ids.waybill_number, "SF2222")
        self.assertEqual(pickings[0].carrier_tracking_ref, "SF1234567890")
        self.assertEqual(set(pickings.mapped("key_account_tracking_state")), {"booked"})
        self.assertEqual(
            pickings[0].key_account_parcel_ids.tracking_url,
            "https://www.sf-express.com/track?no=SF1234567890",
        )
        # Odoo's own link of the delivery goes through the carrier's dispatch.
        self.assertEqual(
            pickings[0].carrier_tracking_url,
            "https://www.sf-express.com/track?no=SF1234567890",
        )
        self.assertFalse(self.carrier_sf.send_shipping(pickings)[0]["tracking_number"])

    def test_xlsx_english_headers(self):
        import openpyxl

        pickings = self._pickings(1)
        workbook = openpyxl.Workbook()
        workbook.active.append(["Tracking Number", "Order Reference"])
        workbook.active.append([9876543210, pickings.name])
        buffer = io.BytesIO()
        workbook.save(buffer)
        self._import(buffer.getvalue(), filename="back.xlsx")
        self.assertEqual(pickings.key_account_parcel_ids.waybill_number, "9876543210")

    def test_same_file_twice_changes_nothing(self):
        pickings = self._pickings(3)
        data = self._csv([(p.name, f"SF9{p.id}") for p in pickings])
        self.assertEqual(self._import(data)["applied"], 3)
        parcels = pickings.key_account_parcel_ids
        events = parcels.tracking_event_ids
        summary = self._import(data)
        self.assertEqual(summary["applied"], 0)
        self.assertEqual(summary["counts"]["already"], 3)
        self.assertIn(
            "already booked with this number", summary["results"][0]["message"]
        )
        self.assertEqual(pickings.key_account_parcel_ids, parcels)
        self.assertEqual(parcels.tracking_event_ids, events)

    def test_every_row_error_listed_nothing_written(self):
        pickings = self._pickings(5)
        self._book(pickings[3:4], prefix="OLD")
        cancelled = pickings[4]
        cancelled.action_cancel()
        other_company = self.env["res.company"].create({"name": "Other Distributor"})
        other_wh = self.env["stock.warehouse"].search(
            [("company_id", "=", other_company.id)], limit=1
        )
        foreign = (
            self.env["stock.picking"]
            .with_company(other_company)
            .create(
                {
                    "picking_type_id": other_wh.out_type_id.id,
                    "location_id": other_wh.lot_stock_id.id,
                    "location_dest_id": self.env.ref(
                        "stock.stock_location_customers"
                    ).id,
                    "partner_id": self.customer.id,
                    "company_id": other_company.id,
                }
            )
        )
        used = self._book(pickings[2:3], prefix="USED")[0]
        data = self._csv(
            [
                (pickings[0].name, "SF001"),  # row 2 matched
                ("WH/OUT/NOPE", "SF002"),  # 3 unknown
                (pickings[1].name, "SF003"),  # 4 duplicate in file
                ("", ""),  # 5 empty
                (pickings[0].name + "#2", "SF003"),  # 6 duplicate in file
                (pickings[3].name, "SF004"),  # 7 has another number
                (cancelled.name, "SF005"),  # 8 cancelled
                (foreign.name, "SF006"),  # 9 another company
                (pickings[1].name, used),  # 10 number used by another
            ]
        )
        summary = self._import(data, apply=False, user=self.stock_user)
        statuses = {r["row"]: r["status"] for r in summary["results"]}
        self.assertEqual(
            statuses,
            {
                2: "matched",
                3: "unknown_reference",
                4: "duplicate_in_file",
                5: "empty",
                6: "duplicate_in_file",
                7: "other_number",
                8: "cancelled",
                9: "other_company",
                10: "number_used",
            },
        )
        with self.assertRaisesRegex(UserError, "Row 3:") as caught:
            self._import(data, user=self.stock_user)
        self.assertIn("Row 10:", str(caught.exception))
        self.assertFalse(pickings[0].key_account_parcel_ids.waybill_number)
        self.assertFalse(pickings[0].carrier_tracking_ref)
        self.assertEqual(
            pickings[3].key_account_parcel_ids.waybill_number,
            f"OLD{pickings[3].id:010d}",
        )

    def test_match_by_phone_and_name(self):
        pickings = self._pickings(2)
        partner = pickings[1].partner_id
        data = self._csv(
            [(partner.name, partner.phone, "JD777")],
            headers=("收件人", "收件人电话", "运单号"),
        )
        self._import(data)
        self.assertEqual(pickings[1].key_account_parcel_ids.waybill_number, "JD777")
        self.assertFalse(pickings[0].key_account_parcel_ids)

    def test_several_parcels_keep_their_own_numbers(self):
        picking = self._pickings(1)
        self.env["key.account.parcel"].create(
            [
                {"picking_id": picking.id, "sequence": 1},
                {"picking_id": picking.id, "sequence": 2},
            ]
        )
        self._import(
            self._csv([(f"{picking.name}#1", "SF-A"), (f"{picking.name}#2", "SF-B")])
        )
        parcels = picking.key_account_parcel_ids.sorted("sequence")
        self.assertEqual(parcels.mapped("waybill_number"), ["SF-A", "SF-B"])
        self.assertFalse(picking.carrier_tracking_ref, "never a comma-joined list")
        self.assertTrue(parcels[1].tracking_url.endswith("SF-B"))

    def test_row_limit(self):
        rows = [(f"REF{i}", f"N{i}") for i in range(20001)]
        with self.assertRaisesRegex(UserError, "more than 20000 rows"):
            self._import(self._csv(rows), apply=False)
        self.env["ir.config_parameter"].set_param(
            "key_account_order.waybill_import_max_rows", "5"
        )
        with self.assertRaisesRegex(UserError, "more than 5 rows"):
            self._import(self._csv(rows[:6]), apply=False)

    def test_rights_stock_user_imports_salesman_cannot(self):
        pickings = self._pickings(1)
        data = self._csv([(pickings.name, "SF555")])
        with self.assertRaises(AccessError):
            self._import(data, user=self.salesman)
        wizard = (
            self.env["key.account.waybill.import.wizard"]
            .with_user(self.stock_user)
            .create({"file": __import__("base64").b64encode(data), "filename": "w.csv"})
        )
        wizard.action_preview()
        self.assertEqual(wizard.matched_count, 1)
        wizard.action_apply()
        parcel = pickings.key_account_parcel_ids
        self.assertEqual(parcel.waybill_number, "SF555")
        with self.assertRaises(AccessError):
            parcel.with_user(self.salesman).write({"waybill_number": "FORGED"})
        with self.assertRaises(AccessError):
            parcel.with_user(self.stock_user).write({"tracking_state": "delivered"})

    def test_two_imports_at_once(self):
        self.Waybill._key_account_lock_imports()
        with self.env.registry.cursor() as cr:
            other = self.env(cr=cr)["key.account.parcel.waybill"]
            with self.assertRaisesRegex(UserError, "Another waybill import"):
                other._key_account_lock_imports()


@tagged("post_install", "-at_install")
class TestCourierEvents(KeyAccountCourierCommon):
    def test_cancel_after_booking_releases_numbers_courier_called_once(self):
        pickings = self._pickings(3)
        numbers = self._book(pickings)
        pickings.action_cancel()
        parcels = pickings.key_account_parcel_ids
        self.assertEqual(set(parcels.mapped("tracking_state")), {"cancelled"})
        self.assertFalse(any(parcels.mapped("waybill_number")))
        self.assertEqual(
            sorted(parcels.mapped("released_waybill_number")), sorted(numbers)
        )
        self.assertFalse(any(pickings.mapped("carrier_tracking_ref")))
        cancellations = parcels.tracking_event_ids.filtered(
            lambda e: e.tracking_state == "cancelled"
        )
        # once per parcel: the carrier's cancellation ran once, not once per delivery
        self.assertEqual(len(cancellations), 3)
        # The released number can go to another delivery.
        other = self._pickings(1)
        self._import(self._csv([(other.name, numbers[0])]))
        self.assertEqual(other.key_account_parcel_ids.waybill_number, numbers[0])

    def test_backorder_gets_its_own_parcel_and_number(self):
        picking = self._pickings(1, quantity=3)
        number = self._book(picking)[0]
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
        backorder = picking.backorder_ids
        self.assertTrue(backorder)
        self.assertFalse(backorder.key_account_parcel_ids)
        self.assertFalse(backorder.carrier_tracking_ref)
        self.assertEqual(backorder.carrier_id, self.carrier_sf)
        result = self.Waybill._key_account_export(backorder, file_format="csv")
        self.assertEqual(result["exported"], backorder)
        self._import(self._csv([(backorder.name, "SF-BACK")]))
        self.assertEqual(backorder.key_account_parcel_ids.waybill_number, "SF-BACK")
        self.assertEqual(picking.key_account_parcel_ids.waybill_number, number)

    def test_return_does_not_reuse_the_number(self):
        picking = self._pickings(1)
        number = self._book(picking)[0]
        self._deliver(picking)
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_model="stock.picking", active_id=picking.id
            )
        )
        with wizard.product_return_moves.edit(0) as line:
            line.quantity = 1
        action = wizard.save().action_create_returns()
        returned = self.env["stock.picking"].browse(action["res_id"])
        self.assertFalse(returned.key_account_parcel_ids)
        self.assertFalse(returned.carrier_tracking_ref)
        summary = self._import(self._csv([(returned.name, number)]), apply=False)
        self.assertEqual(summary["results"][0]["status"], "number_used")


@tagged("post_install", "-at_install")
class TestCourierScaling(KeyAccountCourierCommon):
    def _queries(self, size):
        pickings = self._pickings(size)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.Waybill._key_account_export(pickings, file_format="xlsx")
        self.env.flush_all()
        export = self.env.cr.sql_log_count - before
        data = self._csv([(p.name, f"Q{p.id}") for p in pickings])
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        summary = self._import(data)
        self.env.flush_all()
        imported = self.env.cr.sql_log_count - before
        self.assertEqual(summary["applied"], size)
        return export, imported

    def test_import_export_queries_flat(self):
        self._queries(3)  # warm the caches
        small = self._queries(10)
        large = self._queries(100)
        self.assertEqual(
            small[0], large[0], f"export: {small[0]} for 10, {large[0]} for 100"
        )
        self.assertEqual(
            small[1], large[1], f"import: {small[1]} for 10, {large[1]} for 100"
        )
