# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.tests import tagged

from .common import KeyAccountContractCommon


@tagged("post_install", "-at_install")
class TestContractReport(KeyAccountContractCommon):
    def test_report_renders(self):
        contract = self._create_contract(
            self._create_key_account("KA Report Customer"),
            discount_line_ids=[
                Command.create({"categ_id": self.categ_a.id, "discount": 15.0})
            ],
            rebate_tier_ids=[Command.create({"amount_from": 50000.0, "rate": 1.5})],
        )
        html, _fmt = self.env["ir.actions.report"]._render_qweb_html(
            "key_account_contract.action_report_key_account_contract", contract.ids
        )
        html = html.decode()
        self.assertIn(contract.name, html)
        self.assertIn("KA Report Customer", html)
        self.assertIn("KA Gifts", html)
        self.assertIn("Authorised representative", html)
        self.assertIn('name="rebates"', html)

    def test_report_prints_as_pdf(self):
        contract = self._create_contract(self._create_key_account("北京印章客户"))
        # wkhtmltopdf fetches the report's assets over HTTP; the server of this
        # test run would wait on the test's own transaction, so point it at a
        # closed port: the PDF is still produced, only without style sheets.
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", "http://127.0.0.1:9"
        )
        pdf, report_format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "key_account_contract.action_report_key_account_contract",
                contract.ids,
            )
        )
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"), "wkhtmltopdf produced no PDF")

    def test_zh_cn_translation(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["key_account_contract"], ["zh_CN"], overwrite=True
        )
        field = self.env["ir.model.fields"]._get(
            "key.account.contract", "committed_amount"
        )
        self.assertEqual(field.with_context(lang="zh_CN").field_description, "承诺金额")
        states = dict(
            self.env["key.account.contract"]
            .with_context(lang="zh_CN")
            ._fields["state"]
            ._description_selection(self.env(context={"lang": "zh_CN"}))
        )
        self.assertEqual(states["confirmed"], "待生效")
