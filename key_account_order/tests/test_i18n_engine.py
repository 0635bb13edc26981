# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import KeyAccountOrderCommon


@tagged("post_install", "-at_install")
class TestEngineTranslation(KeyAccountOrderCommon):
    def test_zh_cn_labels_and_errors(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["key_account_order"], ["zh_CN"], overwrite=True
        )
        field = self.env["ir.model.fields"]._get(
            "sale.order", "key_account_delivery_grouping"
        )
        self.assertEqual(
            field.with_context(lang="zh_CN").field_description, "配送分组方式"
        )
        order = self._create_order([1, 2])
        order.order_line.product_uom_qty = 4
        with self.assertRaisesMessage(UserError, "收件人分配数量之和必须等于订购数量"):
            order.with_context(lang="zh_CN").action_confirm()
