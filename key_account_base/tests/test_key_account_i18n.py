# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestKeyAccountI18n(TransactionCase):
    def test_zh_cn_translation_loads(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["key_account_base"], ["zh_CN"], overwrite=True
        )
        field = self.env["ir.model.fields"]._get("res.partner", "key_account_state")
        self.assertEqual(field.with_context(lang="zh_CN").field_description, "审核状态")
        partner_zh = self.env["res.partner"].with_context(lang="zh_CN")
        selection = dict(
            partner_zh._fields["key_account_invoice_type"]._description_selection(
                partner_zh.env
            )
        )
        self.assertEqual(selection["vat_special"], "增值税专用发票")
        group = self.env.ref("key_account_base.key_account_group_manager")
        self.assertEqual(group.with_context(lang="zh_CN").name, "大客户经理")
