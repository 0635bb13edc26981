# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import csv
import io
import math
import time

import openpyxl
from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.models import INSERT_BATCH_SIZE
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import file_open

from odoo.addons.key_account_base.tests.common import KeyAccountBaseCommon

from .common import give_key_account_price

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

    def _import(self, data, filename="recipients.csv", order=None, mode=None):
        order = order or self.order
        vals = {"file": base64.b64encode(data), "filename": filename}
        if mode:
            vals["import_mode"] = mode
        wizard = (
            self.env["key.account.recipient.import"]
            .with_context(active_model="sale.order", active_id=order.id)
            .create(vals)
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
        # The same people again, one more box each (the same file twice is
        # refused: see TestImportIntoAllocatedOrder).
        more = self._csv(
            [recipient_row(1), recipient_row(2), recipient_row(3, province="广东")]
        )
        self._import(more, mode="add")
        self.assertEqual(self._counts()[0], recipients_before, "no duplicate recipient")
        self.assertEqual(self.order.key_account_allocation_ids, allocations)
        self.assertEqual(sum(allocations.mapped("quantity")), 7)
        self.assertEqual(self.order.order_line.product_uom_qty, 7)
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
            order = self._create_order()
            with file_open(path, "rb") as template:
                self._import(
                    template.read(), filename=path.rsplit("/", 1)[1], order=order
                )
            allocations = order.key_account_allocation_ids
            self.assertEqual(len(allocations), 2, "2 sample recipients")
            self.assertEqual(sum(allocations.mapped("quantity")), 3)
        # The same two people in both templates: two recipients in all.
        recipients = (
            self.env["sale.order"]
            .search([("partner_id", "=", self.customer.id)])
            .key_account_allocation_ids.recipient_id
        )
        self.assertEqual(len(recipients), 2)
        self.assertEqual(
            sorted(recipients.mapped("phone")), ["13800138000", "13910002000"]
        )

    def test_import_refused_on_confirmed_or_non_key_account_order(self):
        partner = self.env["res.partner"].create({"name": "Walk-in Customer"})
        order = self._create_order(partner_id=partner.id)
        with self.assertRaisesMessage(UserError, "not an order of a key account"):
            self._import(self._csv(self._rows()), order=order)
        confirmed = self._create_allocated_order()
        confirmed.action_confirm()
        self.assertEqual(confirmed.state, "sale")
        for mode in ("add", "replace"):
            with self.assertRaisesMessage(UserError, "into a quotation"):
                self._import(self._csv(self._rows()), order=confirmed, mode=mode)

    def test_colleagues_sharing_switchboard_and_address(self):
        """Finding 3: 张三 and 李四, same office switchboard, same address,
        one gift each: two recipients with one gift each."""
        office = {"phone": "010-65000000", "street": "建国路 88 号"}
        self._import(
            self._csv(
                [
                    recipient_row(1, name="张三", **office),
                    recipient_row(2, name="李四", **office),
                ]
            )
        )
        allocations = self.order.key_account_allocation_ids
        self.assertEqual(
            sorted(allocations.mapped("recipient_id.name")), ["张三", "李四"]
        )
        self.assertEqual(allocations.mapped("quantity"), [1.0, 1.0])
        self.assertEqual(set(allocations.recipient_id.mapped("phone")), {"01065000000"})

    def test_full_width_phone_and_quantity(self):
        """Finding 8: full-width digits (common in Chinese spreadsheets) are
        normalised, not refused."""
        self._import(
            self._csv(
                [
                    recipient_row(
                        1,
                        phone="１３８００１３８００１",
                        quantity="２",
                        ref="ＫＡ－ＧＩＦＴ",
                        street="科苑路　１　号",
                    )
                ]
            )
        )
        allocation = self.order.key_account_allocation_ids
        self.assertEqual(allocation.recipient_id.phone, "13800138001")
        self.assertEqual(allocation.recipient_id.street, "科苑路 1 号")
        self.assertEqual(allocation.quantity, 2)
        self.assertEqual(allocation.product_id, self.product)


@tagged("post_install", "-at_install")
class TestImportIntoAllocatedOrder(KeyAccountImportCommon):
    """Finding 4: importing into an order that has allocations asks to add to
    them or replace them; the same list twice is refused."""

    def _quantities(self, order):
        return sorted(
            (a.recipient_id.name, a.product_id.default_code, a.quantity)
            for a in order.key_account_allocation_ids
        )

    def test_same_file_twice_refused(self):
        data = self._csv([recipient_row(1), recipient_row(2, quantity="2")])
        self._import(data)
        before = self._counts()
        quantities = self._quantities(self.order)
        with self.assertRaisesMessage(
            UserError, "recipients.csv", "already been imported", self.order.name
        ):
            self._import(data, mode="add")
        self.assertEqual(self._counts(), before, "quantities not doubled")
        self.assertEqual(self._quantities(self.order), quantities)

    def test_same_content_as_excel_refused(self):
        """The same list saved as Excel, with phones typed another way, is the
        same content."""
        rows = [recipient_row(1), recipient_row(2, quantity="2")]
        self._import(self._csv(rows))
        workbook = openpyxl.Workbook()
        workbook.active.append(HEADER)
        for row in rows:
            row[1] = f"+86 {row[1]}"
            workbook.active.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        before = self._counts()
        with self.assertRaisesMessage(UserError, "already been imported"):
            self._import(buffer.getvalue(), filename="again.xlsx", mode="add")
        self.assertEqual(self._counts(), before)

    def test_same_file_into_another_order_or_after_replace(self):
        data = self._csv([recipient_row(1)])
        self._import(data)
        other = self._create_order()
        self._import(data, order=other)
        self.assertEqual(other.order_line.product_uom_qty, 1)
        # Replacing with the same list is not doubling it.
        self._import(data, mode="replace")
        self.assertEqual(self.order.order_line.product_uom_qty, 1)
        self.assertEqual(len(self.order.key_account_allocation_ids), 1)

    def test_choice_required_when_order_has_allocations(self):
        order = self._create_allocated_order()
        before = self._counts(order)
        with self.assertRaisesMessage(
            UserError, order.name, "already has 3 recipient allocation(s)", "Add"
        ):
            self._import(self._csv([recipient_row(1)]), order=order)
        self.assertEqual(self._counts(order), before)
        Wizard = self.env["key.account.recipient.import"]
        form = Form(Wizard.with_context(active_model="sale.order", active_id=order.id))
        self.assertTrue(form.order_has_allocations)
        self.assertEqual(form.order_allocation_count, 3)
        form.file = base64.b64encode(self._csv([recipient_row(1)]))
        with self.assertRaises(AssertionError):
            form.save()  # the choice is required in the form too
        form.import_mode = "add"
        form.save().action_import()
        self.assertEqual(len(order.key_account_allocation_ids), 4)
        other = self._create_order()
        form = Form(Wizard.with_context(active_model="sale.order", active_id=other.id))
        self.assertFalse(form.order_has_allocations)

    def test_add_to_allocations(self):
        order = self._create_allocated_order()  # 员工1..3: 1, 2, 1
        self._import(
            self._csv([recipient_row(1), recipient_row(2, ref="KA-TEA")]),
            order=order,
            mode="add",
        )
        self.assertEqual(
            self._quantities(order),
            [
                ("员工1", "KA-GIFT", 1.0),
                ("员工2", "KA-GIFT", 2.0),
                ("员工3", "KA-GIFT", 1.0),
                ("收件人1", "KA-GIFT", 1.0),
                ("收件人2", "KA-TEA", 1.0),
            ],
        )
        gift = order.order_line.filtered(lambda li: li.product_id == self.product)
        self.assertEqual(gift.product_uom_qty, 5)

    def test_replace_allocations(self):
        order = self._create_allocated_order()  # 4 gift boxes
        gift_line = order.order_line
        old_recipients = order.key_account_allocation_ids.recipient_id
        # A line without allocations keeps its quantity.
        order.write(
            {
                "order_line": [
                    Command.create(
                        {"product_id": self.product_tea.id, "product_uom_qty": 5}
                    )
                ]
            }
        )
        self._import(
            self._csv([recipient_row(1, ref="KA-TEA", quantity="3")]),
            order=order,
            mode="replace",
        )
        self.assertEqual(self._quantities(order), [("收件人1", "KA-TEA", 3.0)])
        self.assertFalse(gift_line.exists(), "the replaced gift line is removed")
        self.assertEqual(order.order_line.product_id, self.product_tea)
        self.assertEqual(order.order_line.product_uom_qty, 8)
        self.assertTrue(old_recipients.exists(), "recipients are kept")
        self.assertIn("replaced", order.message_ids[0].body)

    def test_replace_keeps_the_unallocated_part_of_a_line(self):
        order = self._create_allocated_order()  # 4 gift boxes allocated
        order.order_line.product_uom_qty = 10
        self._import(
            self._csv([recipient_row(1, quantity="2")]), order=order, mode="replace"
        )
        self.assertEqual(order.order_line.product_uom_qty, 8)
        self.assertEqual(self._quantities(order), [("收件人1", "KA-GIFT", 2.0)])

    def test_replace_then_confirm(self):
        order = self._create_allocated_order()
        self._import(
            self._csv([recipient_row(1), recipient_row(2)]),
            order=order,
            mode="replace",
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(
            order.picking_ids.partner_id, order.key_account_allocation_ids.recipient_id
        )

    def test_import_checksums_not_writable_by_salesman(self):
        salesman = new_test_user(
            self.env,
            login="ka_import_salesman",
            groups="sales_team.group_sale_salesman_all_leads,"
            "key_account_base.key_account_group_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self._import(self._csv([recipient_row(1)]))
        order = self.order.with_user(salesman)
        with self.assertRaises(AccessError):
            order.write({"key_account_import_checksums": False})
        with self.assertRaises(AccessError):
            order.read(["key_account_import_checksums"])
        # The salesman imports, the wizard keeps the checksum.
        data = self._csv([recipient_row(2)])
        wizard = (
            self.env["key.account.recipient.import"]
            .with_user(salesman)
            .create(
                {
                    "order_id": self.order.id,
                    "file": base64.b64encode(data),
                    "filename": "more.csv",
                    "import_mode": "add",
                }
            )
        )
        wizard.action_import()
        with self.assertRaisesMessage(UserError, "already been imported"):
            self._import(data, mode="add")


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

    def test_error_too_many_rows(self):
        self.env["ir.config_parameter"].set_param(
            "key_account_order.import_max_rows", "5"
        )
        before = self._counts()
        with self.assertRaisesMessage(UserError, "6 recipient rows", "at most 5"):
            self._import(self._csv([recipient_row(i) for i in range(1, 7)]))
        self.assertEqual(self._counts(), before)
        self._import(self._csv([recipient_row(i) for i in range(1, 6)]))
        self.assertEqual(len(self.order.key_account_allocation_ids), 5)

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

    def _assert_flat(self, queries_50, queries_500, statements, label):
        """The import's queries do not grow with its rows, but for the ORM's
        batches of 100 rows (``INSERT_BATCH_SIZE``, ``UPDATE_BATCH_SIZE``):
        each of ``statements`` batched statements may repeat once per 100 rows
        (0.01 query per row and statement), never once per row."""
        batches = math.ceil(500 / INSERT_BATCH_SIZE) - math.ceil(50 / INSERT_BATCH_SIZE)
        self.assertLessEqual(
            queries_500 - queries_50,
            statements * batches + 1,
            f"{label}: 50 rows {queries_50} queries, 500 rows {queries_500}",
        )

    def test_import_query_count_is_flat(self):
        """Finding 11: known recipients (a repeat order), 10 times the rows:
        the same queries but the allocations' INSERT batches."""
        self._count_queries(10)  # warm up caches (e.g. provinces, products)
        queries_50, _time_50 = self._count_queries(50)
        queries_500, _time_500 = self._count_queries(500)
        self._assert_flat(queries_50, queries_500, 1, "known recipients")

    def test_import_new_recipients_query_count_is_flat(self):
        """Finding 11: new recipients, 10 times the rows: the same queries but
        the batches of the allocations' INSERT, the recipients' INSERT and two
        UPDATEs Odoo runs after creating partners (their complete name, the
        commercial fields of the other companies)."""
        self._count_queries(10, new_recipients=True)
        queries_50, _time_50 = self._count_queries(50, new_recipients=True)
        queries_500, _time_500 = self._count_queries(500, new_recipients=True)
        self._assert_flat(queries_50, queries_500, 4, "new recipients")


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

    def test_zh_cn_column_names_in_row_errors(self):
        """Finding 7: the columns a Chinese row error names are Chinese."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["key_account_order"], ["zh_CN"], overwrite=True
        )
        order = self.order.with_context(lang="zh_CN")
        Wizard = self.env["key.account.recipient.import"].with_context(lang="zh_CN")
        wizard = Wizard.create(
            {
                "order_id": order.id,
                "file": base64.b64encode(
                    self._csv(
                        [recipient_row(1), recipient_row(2, phone="", quantity="")]
                    )
                ),
                "filename": "收件人.csv",
            }
        )
        with self.assertRaisesMessage(UserError, "第 3 行：缺少 电话, 数量"):
            wizard.action_import()
        wizard.file = base64.b64encode("姓名,手机\n张三,13800138000\n".encode())
        with self.assertRaises(UserError) as caught:
            wizard.action_import()
        message = caught.exception.args[0]
        self.assertIn("省份", message)
        self.assertIn("商品编码", message)
        self.assertNotIn("Province", message)


@tagged("post_install", "-at_install")
class TestImportHeadersAndUnits(KeyAccountImportCommon):
    """Imports, small but real: the plain column names users type, and a
    fraction of a product counted in whole units."""

    def _rows(self):
        return [recipient_row(1), recipient_row(2, quantity="2")]

    def test_plain_english_header(self):
        header = [
            "name",
            "phone",
            "province",
            "city",
            "district",
            "street",
            "department",
            "branch",
            "product",
            "quantity",
        ]
        self._import(self._csv(self._rows(), header=header))
        self.assertEqual(self.order.order_line.product_id, self.product)
        self.assertEqual(self.order.order_line.product_uom_qty, 3)
        self.assertEqual(
            set(self.order.key_account_allocation_ids.mapped("department")),
            {"人力资源部"},
        )

    def test_plain_english_header_any_case(self):
        header = [
            "Name",
            "PHONE",
            "Province",
            "City",
            "District",
            "Street",
            "Department",
            "Branch",
            "Product",
            "Quantity",
        ]
        self._import(self._csv(self._rows(), header=header))
        self.assertEqual(self.order.order_line.product_uom_qty, 3)

    def test_plain_chinese_header(self):
        header = (
            "姓名",
            "电话",
            "省",
            "市",
            "区",
            "地址",
            "部门",
            "分公司",
            "产品",
            "数量",
        )
        self._import(self._csv(self._rows(), header=header))
        self.assertEqual(self.order.order_line.product_id, self.product)
        self.assertEqual(self.order.order_line.product_uom_qty, 3)
        self.assertEqual(
            set(self.order.key_account_allocation_ids.mapped("branch")),
            {"深圳分公司"},
        )

    def test_fraction_of_a_whole_unit_refused_with_its_row(self):
        self.assertEqual(self.product.uom_id, self.env.ref("uom.product_uom_unit"))
        before = self._counts()
        with self.assertRaisesMessage(
            UserError, 'Row 3: quantity "1.5" of KA-GIFT is not a whole number'
        ):
            self._import(
                self._csv([recipient_row(1), recipient_row(2, quantity="1.5")])
            )
        self.assertEqual(self._counts(), before, "nothing written")

    def test_fraction_of_a_divisible_unit_accepted(self):
        kilo = self.env.ref("uom.product_uom_kgm")
        self.product_tea.write({"uom_id": kilo.id, "uom_po_id": kilo.id})
        self._import(self._csv([recipient_row(1, ref="KA-TEA", quantity="1.5")]))
        self.assertEqual(self.order.order_line.product_uom_qty, 1.5)

    def test_uom_rounded_to_one_is_whole(self):
        box = self.env["uom.uom"].create(
            {
                "name": "KA Box of 6",
                "category_id": self.env.ref("uom.product_uom_categ_unit").id,
                "uom_type": "bigger",
                "factor_inv": 6.0,
                "rounding": 1.0,
            }
        )
        self.product_tea.write({"uom_id": box.id, "uom_po_id": box.id})
        with self.assertRaisesMessage(UserError, 'Row 2: quantity "2.5" of KA-TEA'):
            self._import(self._csv([recipient_row(1, ref="KA-TEA", quantity="2.5")]))


@tagged("post_install", "-at_install")
class TestImportContractProducts(KeyAccountImportCommon):
    """Finding 6: a recipient file cannot bring a product the order's
    contract does not allow."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        give_key_account_price(cls.env, cls.product)
        today = fields.Date.context_today(cls.env.user)
        cls.contract = cls.env["key.account.contract"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "date_start": today - relativedelta(days=1),
                "date_end": today + relativedelta(years=1),
            }
        )
        cls.contract.action_confirm()
        cls.contract_order = cls._create_order()

    def test_product_outside_the_contract_refused_with_its_row(self):
        order = self.contract_order
        self.assertEqual(order.key_account_contract_id, self.contract)
        before = self._counts(order)
        with self.assertRaisesMessage(
            UserError,
            "Nothing was imported",
            'Row 3: the product "KA-TEA" is not part of contract',
            self.contract.name,
        ):
            self._import(
                self._csv([recipient_row(1), recipient_row(2, ref="KA-TEA")]),
                order=order,
            )
        self.assertEqual(self._counts(order), before, "nothing written")
        # the contract's product goes
        self._import(self._csv([recipient_row(1)]), order=order)
        self.assertEqual(order.order_line.product_id, self.product)

    def test_without_contract_any_saleable_product(self):
        self.assertFalse(self.order.key_account_contract_id)
        self._import(self._csv([recipient_row(1, ref="KA-TEA")]))
        self.assertEqual(self.order.order_line.product_id, self.product_tea)
