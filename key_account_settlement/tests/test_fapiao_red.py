# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .fapiao_common import KeyAccountFapiaoCommon
from .fapiao_issue_common import HEADERS_ZH, KeyAccountFapiaoIssueCommon


@tagged("post_install", "-at_install")
class TestFapiaoRed(KeyAccountFapiaoCommon):
    """A credit note against an invoice on an issued fapiao: its red fapiao
    request, the reversal limit, the original red-reversed once fully
    reversed."""

    _csv = staticmethod(KeyAccountFapiaoIssueCommon._csv)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._post(
            cls.customer, [(cls.product_a, 10, 100.0, cls.tax_13, 0)]
        )
        cls.request = cls.Request._key_account_build(
            cls.invoice, fapiao_type="electronic"
        )
        cls.request.with_user(cls.accountant).action_export()
        cls.fapiao = cls.request.fapiao_ids
        cls._issue(cls, cls.fapiao, "26442000000000000001")

    def _issue(self, fapiao, number):
        rows = [
            [
                fapiao.serial,
                number,
                "",
                "2026-10-08",
                f"{fapiao.amount_untaxed:.2f}",
                f"{fapiao.amount_tax:.2f}",
                f"{fapiao.amount_total:.2f}",
                "正常",
            ]
        ]
        Fapiao = self.env["key.account.fapiao"].with_company(self.company)
        parsed = Fapiao._issue_parse_file(self._csv(rows, HEADERS_ZH), "issued.csv")
        return Fapiao._issue_import_apply(parsed)

    def _credit(self, quantity):
        credit = self.invoice._reverse_moves([{"invoice_date": self.date_to}])
        credit.invoice_line_ids.quantity = quantity
        credit.action_post()
        return credit

    def test_red_request_negative_lines_and_origin(self):
        self.assertEqual(self.invoice.key_account_fapiao_state, "issued")
        credit = self._credit(3)
        red = credit.with_user(self.accountant)._key_account_red_fapiao_request()
        fapiao = red.fapiao_ids
        self.assertRecordValues(
            red,
            [
                {
                    "origin_fapiao_id": self.fapiao.id,
                    "origin_fapiao_number": "26442000000000000001",
                    "state": "draft",
                    "amount_total": -339.0,
                }
            ],
        )
        self.assertRecordValues(
            fapiao, [{"kind": "red", "origin_fapiao_id": self.fapiao.id}]
        )
        self.assertAlmostEqual(fapiao.amount_untaxed, -300.0)
        self.assertAlmostEqual(fapiao.amount_tax, -39.0)
        self.assertEqual(fapiao.line_ids.quantity, -3)
        self.assertEqual(fapiao.line_ids.tax_code, self.fapiao.line_ids.tax_code)
        self.assertEqual(credit.key_account_fapiao_state, "requested")
        # a second click creates nothing
        with self.assertRaises(UserError):
            credit.with_user(self.accountant)._key_account_red_fapiao_request()
        # the export carries the original number
        data = red._key_account_export_data()
        self.assertEqual(data[0]["origin_fapiao_number"], "26442000000000000001")
        self.assertEqual(data[0]["kind"], "red")

    def test_cannot_reverse_beyond_what_was_issued(self):
        first = self._credit(3)
        first._key_account_red_fapiao_request()
        second = self._credit(8)  # 904 > 1130 - 339 left
        with self.assertRaises(UserError) as error:
            second._key_account_red_fapiao_request()
        self.assertIn("791.00", str(error.exception))
        self.assertFalse(second.key_account_fapiao_request_ids)

    def test_fully_reversed_original_is_red_reversed(self):
        first = self._credit(3)
        red1 = first._key_account_red_fapiao_request()
        red1.with_user(self.accountant).action_export()
        self._issue(red1.fapiao_ids, "26442000000000000002")
        self.assertEqual(red1.fapiao_ids.state, "issued")
        self.assertEqual(self.fapiao.state, "issued")  # partly reversed
        second = self._credit(7)
        red2 = second._key_account_red_fapiao_request()
        red2.with_user(self.accountant).action_export()
        self._issue(red2.fapiao_ids, "26442000000000000003")
        self.assertEqual(self.fapiao.state, "red_reversed")
        self.assertEqual(self.invoice.key_account_fapiao_state, "red_reversed")
        self.assertEqual(second.key_account_fapiao_state, "issued")

    def test_special_fapiao_needs_confirmation_number(self):
        self.fapiao.request_id._key_account_write_guarded(
            {"fapiao_type": "vat_special"}
        )
        credit = self._credit(1)
        with self.assertRaises(UserError):
            credit.with_user(self.accountant)._key_account_red_fapiao_request()
        wizard = Form(
            self.env["key.account.fapiao.red.wizard"]
            .with_user(self.accountant)
            .with_context(default_move_id=credit.id)
        )
        self.assertEqual(wizard.origin_fapiao_id, self.fapiao)
        wizard.red_confirmation_number = "12345"
        with self.assertRaises(UserError):
            wizard.save().action_confirm()
        wizard = Form(
            self.env["key.account.fapiao.red.wizard"]
            .with_user(self.accountant)
            .with_context(default_move_id=credit.id)
        )
        wizard.red_confirmation_number = "44010026120300000001"
        wizard.save().action_confirm()
        red = credit.key_account_fapiao_request_ids
        self.assertEqual(red.red_confirmation_number, "44010026120300000001")
        self.assertEqual(red.fapiao_ids.red_confirmation_number, "44010026120300000001")

    def test_only_a_credit_note_gets_a_red_fapiao(self):
        with self.assertRaises(UserError):
            self.invoice._key_account_red_fapiao_request()
        with self.assertRaises(UserError):
            self._credit(1).with_user(
                self.salesman_user()
            )._key_account_red_fapiao_request()

    def salesman_user(self):
        from odoo.tests import new_test_user

        return new_test_user(
            self.env,
            login="ka_red_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
