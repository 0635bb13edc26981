# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
from xml.etree import ElementTree

import openpyxl

from odoo.exceptions import AccessError, UserError

from .fapiao_common import TAX_CODE_GIFT, KeyAccountFapiaoCommon


class TestFapiaoExport(KeyAccountFapiaoCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.key_account_fapiao_amount_limit = 1000
        cls.move = cls._post(
            cls.customer,
            [
                (cls.product_a, 4, 200, cls.tax_13, 10),  # 800 - 80
                (cls.product_b, 3, 100, cls.tax_9, 0),
            ],
        )

    def _workbook(self, request):
        raw = base64.b64decode(request.export_attachment_id.datas)
        return openpyxl.load_workbook(io.BytesIO(raw))

    def test_xlsx_header_and_detail_joined_by_serial(self):
        request = self._build(self.move)
        request.with_user(self.accountant).action_export()
        self.assertEqual(request.state, "exported")
        self.assertEqual(request.export_count, 1)
        self.assertEqual(set(request.fapiao_ids.mapped("state")), {"exported"})
        self.assertEqual(request.export_attachment_id.res_id, request.id)
        book = self._workbook(request)
        self.assertEqual(book.sheetnames, ["发票基本信息", "发票明细信息"])
        header = list(book["发票基本信息"].values)
        detail = list(book["发票明细信息"].values)
        self.assertEqual(
            header[0][:5],
            ("发票流水号", "发票类型", "特定业务类型", "是否含税", "购买方名称"),
        )
        self.assertIn("红字确认单编号", header[0])
        serials = set(request.fapiao_ids.mapped("serial"))
        self.assertEqual({row[0] for row in header[1:]}, serials)
        self.assertEqual({row[0] for row in detail[1:]}, serials)
        self.assertEqual(header[1][1], "增值税专用发票")
        self.assertEqual(header[1][4], self.customer.key_account_invoice_title)
        columns = detail[0]
        goods = dict(zip(columns, detail[1], strict=True))
        self.assertEqual(goods["项目名称"], "*茶叶*KA Tea Gift Box")
        self.assertEqual(goods["商品和服务税收分类编码"], TAX_CODE_GIFT)
        self.assertAlmostEqual(goods["金额"], 800)
        self.assertAlmostEqual(goods["折扣金额"], 80)
        self.assertAlmostEqual(goods["税率"], 0.13)
        # the detail adds up to the invoice: amounts less discounts
        rows = [dict(zip(columns, row, strict=True)) for row in detail[1:]]
        self.assertAlmostEqual(
            sum(r["金额"] - (r["折扣金额"] or 0) for r in rows),
            self.move.amount_untaxed,
        )

    def test_export_once_then_manager_reexport_logged(self):
        request = self._build(self.move)
        request.with_user(self.accountant).action_export()
        first = request.export_attachment_id
        with self.assertRaisesMessage(UserError, "Re-export"):
            request.with_user(self.accountant).action_export()
        with self.assertRaisesMessage(AccessError, "accounting managers"):
            request.with_user(self.accountant).action_reexport()
        self.assertEqual(request.export_count, 1)
        request.with_user(self.manager).action_reexport()
        self.assertEqual(request.export_count, 2)
        self.assertNotEqual(request.export_attachment_id, first)
        self.assertTrue(
            request.message_ids.filtered(lambda m: "Re-exported by" in (m.body or ""))
        )

    def test_legacy_xml_gbk(self):
        self.company.key_account_fapiao_format = "legacy_xml"
        request = self._build(self.move)
        request.with_user(self.accountant).action_export()
        raw = base64.b64decode(request.export_attachment_id.datas)
        self.assertTrue(raw.startswith(b"<?xml version='1.0' encoding='GBK'?>"))
        self.assertIn("茶叶".encode("gbk"), raw)
        # ElementTree parses no multi-byte encoding: decode, drop the declaration
        root = ElementTree.fromstring(raw.decode("gbk").split("?>", 1)[1])
        self.assertEqual(root.tag, "Kp")
        self.assertEqual(root.findtext("Version"), "2.0")
        self.assertEqual(root.findtext("Fpxx/Zsl"), str(len(request.fapiao_ids)))
        documents = root.findall("Fpxx/Fpsj/Fp")
        self.assertEqual(
            [d.findtext("Djh") for d in documents],
            request.fapiao_ids.sorted("sequence").mapped("serial"),
        )
        rows = documents[0].findall("Spxx/Sph")
        self.assertEqual(rows[0].findtext("Spmc"), "*茶叶*KA Tea Gift Box")
        self.assertEqual(rows[1].findtext("Je"), "-80.00")
        total = sum(
            float(r.findtext("Je")) for d in documents for r in d.findall("Spxx/Sph")
        )
        self.assertAlmostEqual(total, self.move.amount_untaxed)

    def test_void_fapiao_releases_its_invoices(self):
        other = self._post(self.customer, [(self.product_a, 1, 900, self.tax_13, 0)])
        request = self._build(self.move | other)
        request.with_user(self.accountant).action_export()
        # 720 | 300, 900 above the limit of 1000 | 900: the first invoice is
        # on the first two fapiao, the second alone on the third
        self.assertEqual(len(request.fapiao_ids), 3)
        first, second, target = request.fapiao_ids.sorted("sequence")
        self.assertEqual(target.line_ids.move_id, other)
        with self.assertRaisesMessage(UserError, first.serial, second.serial):
            first.with_user(self.manager).action_void()
        with self.assertRaisesMessage(AccessError, "accounting managers"):
            target.with_user(self.accountant).action_void()
        target.with_user(self.manager).action_void()
        self.assertEqual(target.state, "voided")
        self.assertEqual(request.invoice_ids, self.move)
        self.assertEqual(request.state, "exported")
        again = self._build(other)
        self.assertEqual(again.invoice_ids, other)
