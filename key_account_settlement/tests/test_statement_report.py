# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo.tests import tagged

from .common_statement import KeyAccountStatementCommon

REPORT = "key_account_settlement.key_account_statement_report_action"


@tagged("post_install", "-at_install")
class TestStatementReport(KeyAccountStatementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("北京报表客户")
        cls.invoice = cls._invoice(cls.customer, date(2026, 9, 8), 1234.5)
        cls.statement = cls.env["key.account.statement"]._generate(
            cls.company, cls.date_from, cls.date_to, partners=cls.customer
        )

    def _html(self):
        html, _fmt = self.env["ir.actions.report"]._render_qweb_html(
            REPORT, self.statement.ids
        )
        return html.decode()

    def test_report_renders_in_english(self):
        self.customer.lang = "en_US"
        html = self._html()
        self.assertIn(self.statement.name, html)
        self.assertIn("北京报表客户", html)
        self.assertIn(self.invoice.name, html)
        self.assertIn("Statement of Account", html)
        self.assertIn("1,234.50", html)
        self.assertIn("09/08/2026", html)

    def test_report_renders_in_the_customers_language(self):
        lang = self.env["res.lang"]._activate_lang("zh_CN")
        self.customer.lang = "zh_CN"
        view = self.env.ref(
            "key_account_settlement.key_account_statement_report_document"
        )
        view.update_field_translations(
            "arch_db",
            {"zh_CN": {"<span>Statement of Account</span>": "<span>对账单</span>"}},
        )
        html = self._html()
        self.assertIn("对账单", html)
        self.assertNotIn("Statement of Account", html)
        self.assertIn(date(2026, 9, 8).strftime(lang.date_format), html)

    def test_report_prints_as_pdf(self):
        # wkhtmltopdf fetches the report's assets over HTTP; the server of this
        # test run would wait on the test's own transaction, so point it at a
        # closed port: the PDF is still produced, only without style sheets.
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", "http://127.0.0.1:9"
        )
        pdf, report_format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, self.statement.ids)
        )
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"), "wkhtmltopdf produced no PDF")
