# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import csv
import io
import time

import openpyxl

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged
from odoo.tools import file_open

from odoo.addons.key_account_base.tests.common import KeyAccountBaseCommon

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
CHINESE_HEADER = (
    "姓名",
    "手机",
    "省",
    "市",
    "区",
    "详细地址",
    "部门",
    "分支机构",
    "商品编码",
    "数量",
)


def recipient_row(index, ref="KA-GIFT", quantity="1", **values):
    row = {
        "name": f"收件人{index}",
        "phone": f"139{index:08d}",
        "province": "广东省",
        "city": "深圳市",
        "district": "南山区",
        "street": f"科苑路 {index} 号",
        "department": "人力资源部",
        "branch": "深圳分公司",
        "ref": ref,
        "quantity": quantity,
    }
    row.update(values)
    return list(row.values())


class KeyAccountImportCommon(KeyAccountBaseCommon):
    """Fixtures for the recipient import (no tests of its own)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_key_account("导入测试客户")
        cls.product = cls.env["product.product"].create(
            {
                "name": "端午礼盒",
                "default_code": "KA-GIFT",
                "type": "consu",
                "list_price": 188.0,
                "company_id": cls.company.id,
            }
        )
        cls.product_tea = cls.env["product.product"].create(
            {
                "name": "茶叶礼盒",
                "default_code": "KA-TEA",
                "type": "consu",
                "list_price": 288.0,
                "company_id": cls.company.id,
            }
        )
        cls.order = cls._create_order()

    @classmethod
    def _create_order(cls, **vals):
        values = {"partner_id": cls.customer.id, "company_id": cls.company.id}
        values.update(vals)
        return cls.env["sale.order"].with_company(cls.company).create(values)

    @classmethod
    def _create_allocated_order(cls, quantities=(1, 2, 1), product=None, **vals):
        """Quotation of ``product`` allocated over one recipient per quantity."""
        product = product or cls.product
        order = cls._create_order(
            order_line=[
                Command.create(
                    {"product_id": product.id, "product_uom_qty": sum(quantities)}
                )
            ],
            **vals,
        )
        recipients = cls.env["res.partner"]._key_account_get_or_create_recipients(
            cls.customer,
            [
                {
                    "name": f"员工{index}",
                    "phone": f"1370000{index:04d}",
                    "country_id": cls.env.ref("base.cn").id,
                    "state_id": cls.env.ref("base.state_cn_SH").id,
                    "city": "上海市",
                    "key_account_district": "浦东新区",
                    "street": f"世纪大道 {index} 号",
                }
                for index in range(1, len(quantities) + 1)
            ],
        )
        cls.env["key.account.allocation"].create(
            [
                {
                    "order_line_id": order.order_line.id,
                    "recipient_id": recipient.id,
                    "quantity": quantity,
                    "department": "市场部",
                    "branch": "上海分公司",
                }
                for recipient, quantity in zip(recipients, quantities, strict=True)
            ]
        )
        return order

    @classmethod
    def _deliver(cls, pickings):
        """Validate ``pickings`` in full."""
        pickings.action_assign()
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings.button_validate()
        return pickings

    @staticmethod
    def _csv(rows, header=HEADER, encoding="utf-8"):
        buffer = io.StringIO()
        csv.writer(buffer).writerows([header, *rows])
        return buffer.getvalue().encode(encoding)

    def _import(self, data, filename="recipients.csv", order=None):
        order = order or self.order
        wizard = (
            self.env["key.account.recipient.import"]
            .with_context(active_model="sale.order", active_id=order.id)
            .create({"file": base64.b64encode(data), "filename": filename})
        )
        return wizard.action_import()

    def _counts(self, order=None):
        order = order or self.order
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search_count([("key_account_recipient", "=", True)]),
            self.env["key.account.allocation"].search_count(
                [("order_id", "=", order.id)]
            ),
            len(order.order_line),
            sum(order.order_line.mapped("product_uom_qty")),
        )


@tagged("post_install", "-at_install")
class TestRecipientImport(KeyAccountImportCommon):
    def _assert_imported(self, expected_rows=3):
        allocations = self.order.key_account_allocation_ids
        self.assertEqual(len(allocations), expected_rows)
        line = self.order.order_line.filtered(lambda li: li.product_id == self.product)
        self.assertEqual(len(line), 1, "one sale line per product")
        self.assertEqual(line.product_uom_qty, sum(allocations.mapped("quantity")))
        first = allocations.filtered(lambda a: a.recipient_id.name == "收件人1")
        self.assertEqual(first.recipient_id.phone, "13900000001")
        self.assertEqual(first.recipient_id.state_id, self.env.ref("base.state_cn_GD"))
        self.assertEqual(first.recipient_id.city, "深圳市")
        self.assertEqual(first.recipient_id.key_account_district, "南山区")
        self.assertEqual(first.recipient_id.parent_id, self.customer)
        self.assertTrue(first.recipient_id.key_account_recipient)
        self.assertEqual(first.department, "人力资源部")
        self.assertEqual(first.branch, "深圳分公司")

    def _rows(self):
        return [
            recipient_row(1),
            recipient_row(2, quantity="2"),
            recipient_row(3, phone="+86 139-0000-0003", province="广东"),
        ]

    def test_import_province_spellings(self):
        """Provinces by full name, short name, one-character code, pinyin or
        English name, whatever the case, spaces and suffix."""
        spellings = {
            "广东省": "GD",
            "广东": "GD",
            "粤": "GD",
            "Guangdong Province": "GD",
            "guang dong": "GD",
            "SHANGHAI": "SH",
            "Beijing Shi": "BJ",
            "Inner Mongolia Autonomous Region": "NM",
            "Xinjiang Uygur Autonomous Region": "XJ",
            "Hong Kong SAR": "HK",
            "Shaanxi": "SN",
            "Shanxi": "SX",
            "Tibet": "XZ",
        }
        self._import(
            self._csv(
                [
                    recipient_row(index, province=province)
                    for index, province in enumerate(spellings, start=1)
                ]
            )
        )
        allocations = self.order.key_account_allocation_ids
        for index, (province, code) in enumerate(spellings.items(), start=1):
            recipient = allocations.filtered(
                lambda a, i=index: a.recipient_id.name == f"收件人{i}"
            ).recipient_id
            self.assertEqual(
                recipient.state_id, self.env.ref(f"base.state_cn_{code}"), province
            )

    def test_import_utf8(self):
        self._import(self._csv(self._rows()))
        self._assert_imported()
        self.assertEqual(self.order.order_line.product_uom_qty, 4)

    def test_import_utf8_bom_chinese_header(self):
        self._import(
            self._csv(self._rows(), header=CHINESE_HEADER, encoding="utf-8-sig")
        )
        self._assert_imported()

    def test_import_gbk(self):
        data = self._csv(self._rows(), encoding="gbk")
        with self.assertRaises(UnicodeDecodeError):
            data.decode("utf-8")
        self._import(data)
        self._assert_imported()

    def test_import_xlsx_through_form(self):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(HEADER)
        for row in self._rows():
            # Excel users type phones and quantities as numbers.
            if row[1].isdigit():
                row[1] = int(row[1])
            row[9] = float(row[9])
            sheet.append(row)
        sheet.append([None] * len(HEADER))  # blank rows are skipped
        buffer = io.BytesIO()
        workbook.save(buffer)
        form = Form(
            self.env["key.account.recipient.import"].with_context(
                active_model="sale.order", active_id=self.order.id
            )
        )
        # No file name: the workbook is recognised by its content.
        form.file = base64.b64encode(buffer.getvalue())
        form.save().action_import()
        self._assert_imported()

    def test_import_aggregates_per_product_and_adds_to_existing_line(self):
        self.order.write(
            {
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 5}
                    )
                ]
            }
        )
        rows = [
            recipient_row(1, quantity="2"),
            recipient_row(2, ref="KA-TEA", quantity="3"),
            recipient_row(3, ref="KA-TEA", quantity="4"),
        ]
        self._import(self._csv(rows))
        gift = self.order.order_line.filtered(lambda li: li.product_id == self.product)
        tea = self.order.order_line.filtered(
            lambda li: li.product_id == self.product_tea
        )
        self.assertEqual(len(gift), 1)
        self.assertEqual(gift.product_uom_qty, 7)
        self.assertEqual(len(tea), 1)
        self.assertEqual(tea.product_uom_qty, 7)
        self.assertEqual(len(self.order.key_account_allocation_ids), 3)

    def test_reimport_deduplicates_recipients(self):
        data = self._csv(self._rows())
        self._import(data)
        recipients_before = self._counts()[0]
        allocations = self.order.key_account_allocation_ids
        self._import(data)
        self.assertEqual(self._counts()[0], recipients_before, "no duplicate recipient")
        self.assertEqual(self.order.key_account_allocation_ids, allocations)
        self.assertEqual(sum(allocations.mapped("quantity")), 8)
        self.assertEqual(self.order.order_line.product_uom_qty, 8)
        # The same people on another order of the customer are the same partners.
        other = self._create_order()
        self._import(data, order=other)
        self.assertEqual(self._counts()[0], recipients_before)
        self.assertEqual(
            other.key_account_allocation_ids.recipient_id, allocations.recipient_id
        )

    def test_shipped_templates_import(self):
        self.env["product.product"].create(
            {
                "name": "模板礼盒",
                "default_code": "GIFT-001",
                "company_id": self.company.id,
            }
        )
        for path in self.env["key.account.recipient.import"].TEMPLATE_PATHS:
            with file_open(path, "rb") as template:
                self._import(template.read(), filename=path.rsplit("/", 1)[1])
        allocations = self.order.key_account_allocation_ids
        self.assertEqual(len(allocations), 2, "same 2 sample recipients twice")
        self.assertEqual(sum(allocations.mapped("quantity")), 6)
        self.assertEqual(
            sorted(allocations.recipient_id.mapped("phone")),
            ["13800138000", "13910002000"],
        )

    def test_import_refused_on_confirmed_or_non_key_account_order(self):
        partner = self.env["res.partner"].create({"name": "Walk-in Customer"})
        order = self._create_order(partner_id=partner.id)
        with self.assertRaisesMessage(UserError, "not an order of a key account"):
            self._import(self._csv(self._rows()), order=order)


@tagged("post_install", "-at_install")
class TestRecipientImportErrors(KeyAccountImportCommon):
    def _assert_error(self, rows, *fragments, header=HEADER):
        before = self._counts()
        with self.assertRaisesMessage(UserError, "Nothing was imported", *fragments):
            self._import(self._csv(rows, header=header))
        self.assertEqual(self._counts(), before, "nothing written")

    def test_error_missing_field(self):
        self._assert_error(
            [recipient_row(1), recipient_row(2, name="", street="")],
            "Row 3: Name, Street missing",
        )

    def test_error_bad_phone(self):
        self._assert_error(
            [recipient_row(1), recipient_row(2), recipient_row(3, phone="12345")],
            'Row 4: phone "12345" is not a valid number',
        )

    def test_error_unknown_product(self):
        self._assert_error(
            [recipient_row(1, ref="NO-SUCH-REF")],
            'Row 2: no saleable product has the reference "NO-SUCH-REF"',
        )

    def test_error_product_of_other_company_or_not_saleable(self):
        other_company = self.env["res.company"].create({"name": "Other Distributor"})
        self.env["product.product"].create(
            {
                "name": "Other",
                "default_code": "KA-OTHER",
                "company_id": other_company.id,
            }
        )
        self.product_tea.sale_ok = False
        self._assert_error(
            [recipient_row(1, ref="KA-OTHER"), recipient_row(2, ref="KA-TEA")],
            'Row 2: no saleable product has the reference "KA-OTHER"',
            'Row 3: no saleable product has the reference "KA-TEA"',
        )

    def test_error_quantity_not_positive(self):
        self._assert_error(
            [
                recipient_row(1, quantity="0"),
                recipient_row(2, quantity="-2"),
                recipient_row(3, quantity="two"),
            ],
            'Row 2: quantity "0" is not a positive number',
            'Row 3: quantity "-2" is not a positive number',
            'Row 4: quantity "two" is not a positive number',
        )

    def test_error_unknown_province(self):
        self._assert_error(
            [recipient_row(1, province="火星省")],
            'Row 2: unknown province "火星省"',
        )

    def test_error_missing_column(self):
        before = self._counts()
        header = HEADER[:1] + HEADER[2:]
        rows = [recipient_row(1)[:1] + recipient_row(1)[2:]]
        with self.assertRaisesMessage(UserError, "Row 1 (header)", "Phone"):
            self._import(self._csv(rows, header=header))
        self.assertEqual(self._counts(), before)

    def test_all_errors_reported_at_once(self):
        rows = [recipient_row(index) for index in range(1, 41)]
        rows[4][1] = "555"  # row 6
        rows[19][8] = "NOPE"  # row 21
        rows[38][2] = "Atlantis"  # row 40
        self._assert_error(
            rows,
            "3 error(s)",
            "Row 6: phone",
            "Row 21: no saleable product",
            "Row 40: unknown province",
        )

    def test_phone_formats(self):
        rows = [
            recipient_row(1, phone="+86 138 0013 8000"),
            recipient_row(2, phone="0086-138-0013-8001"),
            recipient_row(3, phone="010-65000000"),
            recipient_row(4, phone="(0755) 8888 6666"),
        ]
        self._import(self._csv(rows))
        self.assertEqual(
            sorted(self.order.key_account_allocation_ids.recipient_id.mapped("phone")),
            ["01065000000", "075588886666", "13800138000", "13800138001"],
        )


@tagged("post_install", "-at_install")
class TestRecipientImportScaling(KeyAccountImportCommon):
    def _count_queries(self, size, new_recipients=False):
        """Queries of importing ``size`` rows into a new order. By default the
        recipients are known (a repeat order for the same employees), which
        measures the import itself: validation, lines and allocations."""
        offset = 100000 * size if new_recipients else 0
        rows = [
            recipient_row(index, phone=f"138{offset + index:08d}")
            for index in range(1, size + 1)
        ]
        data = self._csv(rows)
        if not new_recipients:
            self._import(data, order=self._create_order())
        order = self._create_order()
        self.env.flush_all()
        self.env.invalidate_all()
        start_queries = self.env.cr.sql_log_count
        start = time.perf_counter()
        self._import(data, order=order)
        self.env.flush_all()
        elapsed = time.perf_counter() - start
        queries = self.env.cr.sql_log_count - start_queries
        self.assertEqual(len(order.key_account_allocation_ids), size)
        self.assertEqual(order.order_line.product_uom_qty, size)
        return queries, elapsed

    def test_import_query_count_is_flat(self):
        self._count_queries(10)  # warm up caches (e.g. provinces, products)
        queries_50, _time_50 = self._count_queries(50)
        queries_200, _time_200 = self._count_queries(200)
        # 4 times the rows, the same number of queries (small slack for
        # batched INSERT/UPDATE statements split by the ORM).
        self.assertLessEqual(
            queries_200,
            queries_50 + 5,
            f"import queries grow with rows: 50 rows {queries_50}, "
            f"200 rows {queries_200}",
        )

    def test_import_new_recipients_query_budget(self):
        self._count_queries(10, new_recipients=True)
        queries_50, _time_50 = self._count_queries(50, new_recipients=True)
        queries_200, _time_200 = self._count_queries(200, new_recipients=True)
        # Creating partners costs Odoo a few queries each (defaults, pricelist
        # inverse): at most 3 per new recipient on top of the flat import.
        self.assertLessEqual(
            queries_200 - queries_50,
            150 * 3,
            f"new recipients: 50 rows {queries_50}, 200 rows {queries_200}",
        )


@tagged("post_install", "-at_install")
class TestImportTranslation(KeyAccountImportCommon):
    def test_zh_cn_labels_and_errors(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["key_account_order"], ["zh_CN"], overwrite=True
        )
        field = self.env["ir.model.fields"]._get(
            "sale.order", "key_account_acceptance_progress"
        )
        self.assertEqual(field.with_context(lang="zh_CN").field_description, "验收进度")
        order = self.order.with_context(lang="zh_CN")
        self.assertEqual(
            dict(
                order._fields["key_account_review_state"]._description_selection(
                    order.env
                )
            )["pending"],
            "待审核",
        )
        wizard = (
            self.env["key.account.recipient.import"]
            .with_context(lang="zh_CN")
            .create(
                {
                    "order_id": order.id,
                    "file": base64.b64encode(
                        self._csv([recipient_row(1, phone="12345")])
                    ),
                    "filename": "收件人.csv",
                }
            )
        )
        with self.assertRaisesMessage(UserError, "未导入任何数据", "第 2 行：电话"):
            wizard.action_import()
