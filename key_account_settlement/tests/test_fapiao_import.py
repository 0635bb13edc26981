# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io
import zipfile

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .fapiao_issue_common import KeyAccountFapiaoIssueCommon as KeyAccountFapiaoCommon


@tagged("post_install", "-at_install")
class TestFapiaoImport(KeyAccountFapiaoCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._invoice(cls.customer, cls.date_to, 1130.0)
        cls.request = cls._request(cls.invoice)
        cls.fapiao = cls.request.fapiao_ids

    def test_import_issues_fapiao_request_and_invoice(self):
        number = self._number(1)
        result = self._import([self._row(self.fapiao, number)], user=self.accountant)
        self.assertEqual(len(result["changes"]), 1)
        self.assertRecordValues(
            self.fapiao,
            [
                {
                    "state": "issued",
                    "fapiao_number": number,
                    "fapiao_code": False,
                    "issue_date": self.issue_day,
                }
            ],
        )
        self.assertEqual(self.request.state, "issued")
        self.assertEqual(self.invoice.key_account_fapiao_state, "issued")
        self.assertEqual(self.invoice.key_account_fapiao_numbers, number)
        self.assertIn(number, self.request.message_ids[:1].body)

    def test_same_file_twice_changes_nothing(self):
        rows = [self._row(self.fapiao, self._number(2))]
        self._import(rows, user=self.accountant)
        messages = self.request.message_ids
        result = self._import(rows, user=self.accountant)
        self.assertEqual(result["changes"], [])
        self.assertEqual(result["unchanged"], 1)
        self.assertEqual(self.request.message_ids, messages)

    def test_legacy_number_with_code_english_headers(self):
        row = self._row(self.fapiao, "12345678", status="normal", code="044001900111")
        headers = (
            "Serial",
            "Fapiao Number",
            "Fapiao Code",
            "Issue Date",
            "Untaxed Amount",
            "Tax",
            "Total",
            "Status",
        )
        self._import([row], user=self.accountant, headers=headers)
        self.assertRecordValues(
            self.fapiao,
            [{"fapiao_number": "12345678", "fapiao_code": "044001900111"}],
        )

    def test_xlsx_with_title_row(self):
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["发票信息导出"])
        sheet.append(list(self._csv([]).decode("utf-8-sig").strip().split(",")))
        row = self._row(self.fapiao, self._number(3))
        row[4] = self.fapiao.amount_untaxed  # numbers as numbers
        sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        Fapiao = self.env["key.account.fapiao"].with_company(self.company)
        rows = Fapiao._issue_parse_file(out.getvalue(), "issued.xlsx")
        self.assertEqual(rows[0]["row"], 3)
        Fapiao._issue_import_apply(rows)
        self.assertEqual(self.fapiao.fapiao_number, self._number(3))

    def test_every_row_error_with_its_row_number_and_nothing_written(self):
        other = self._request(self._invoice(self.customer, self.date_to, 500.0))
        other_fapiao = other.fapiao_ids
        used = self._request(self._invoice(self.customer, self.date_to, 200.0))
        used.fapiao_ids.write({"state": "issued", "fapiao_number": self._number(9)})
        third = self._request(self._invoice(self.customer, self.date_to, 300.0))
        fourth = self._request(self._invoice(self.customer, self.date_to, 400.0))
        company2 = self.env["res.company"].create({"name": "KA Other Seller"})
        foreign = self.env["key.account.fapiao.request"].create(
            {
                "name": "FR/FOREIGN/1",
                "company_id": company2.id,
                "partner_id": self.env["res.partner"].create({"name": "KA B2"}).id,
                "fapiao_type": "electronic",
                "currency_id": company2.currency_id.id,
                "state": "exported",
                "fapiao_ids": [
                    Command.create(
                        {"serial": "FOREIGN1", "state": "exported", "amount_total": 1}
                    )
                ],
            }
        )
        self.assertTrue(foreign.fapiao_ids)
        rows = [
            self._row(self.fapiao, self._number(4)),  # 2: good
            ["NOSUCH", self._number(5), "", "2026-10-08", "1", "0", "1", "正常"],  # 3
            ["FOREIGN1", self._number(6), "", "2026-10-08", "1", "0", "1", "正常"],  # 4
            self._row(other_fapiao, "1234567"),  # 5: malformed
            self._row(third.fapiao_ids, self._number(9)),  # 6: used by another
            self._row(fourth.fapiao_ids, self._number(7), total=499.0),  # 7: amount
            self._row(self.fapiao, self._number(4)),  # 8: duplicate of row 2
        ]
        result = self._prepare(rows)
        errors = dict(result["errors"])
        self.assertEqual(sorted(errors), [3, 4, 5, 6, 7, 8])
        self.assertIn("NOSUCH", errors[3])
        self.assertIn("KA Other Seller", errors[4])
        self.assertIn("malformed", errors[5])
        self.assertIn(used.fapiao_ids.serial, errors[6])
        self.assertIn("499.00", errors[7])
        self.assertIn("row 2", errors[8])
        self.assertEqual(result["changes"], [])
        with self.assertRaises(UserError) as error:
            self._import(rows, user=self.accountant)
        self.assertIn("Row 3:", str(error.exception))
        self.assertEqual(self.fapiao.state, "exported")
        self.assertFalse(self.fapiao.fapiao_number)

    def test_tax_tolerance(self):
        self.fapiao.write({"amount_tax": 10.0, "amount_total": 1140.0})
        ok = self._prepare([self._row(self.fapiao, self._number(10), tax=10.05)])
        self.assertEqual(ok["errors"], [])
        wrong = self._prepare([self._row(self.fapiao, self._number(10), tax=10.07)])
        self.assertEqual(len(wrong["errors"]), 1)

    def test_void_releases_invoices(self):
        self._import([self._row(self.fapiao, self._number(11), status="作废")])
        self.assertEqual(self.fapiao.state, "voided")
        self.assertEqual(self.request.state, "cancelled")
        self.assertEqual(self.invoice.key_account_fapiao_state, "voided")
        # released: the invoice can be cancelled again
        self.invoice.button_draft()
        self.assertEqual(self.invoice.state, "draft")

    def test_one_of_two_fapiao_issued(self):
        invoices = self._invoice(self.customer, self.date_to, 100.0) | self._invoice(
            self.customer, self.date_to, 50.0
        )
        request = self._request(invoices, split=2)
        first, second = request.fapiao_ids
        self._import([self._row(first, self._number(12))])
        self.assertEqual(request.state, "exported")
        self.assertEqual(
            invoices.mapped("key_account_fapiao_state"), ["issued", "exported"]
        )
        self._import([self._row(second, self._number(13))])
        self.assertEqual(request.state, "issued")

    def test_number_unique_per_seller_without_code(self):
        other = self._request(self._invoice(self.customer, self.date_to, 10.0))
        self.fapiao.write({"state": "issued", "fapiao_number": self._number(14)})
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            other.fapiao_ids.write(
                {"state": "issued", "fapiao_number": self._number(14)}
            )
            self.env.flush_all()

    def test_only_invoicing_users_import(self):
        with self.assertRaises(AccessError):
            self._import([self._row(self.fapiao, self._number(15))], user=self.salesman)
        with self.assertRaises(AccessError):
            self.env["key.account.fapiao.import"].with_user(self.salesman).create({})

    def test_numbers_not_written_directly(self):
        with self.assertRaises(AccessError):
            self.fapiao.with_user(self.accountant).write(
                {"fapiao_number": self._number(16)}
            )
        with self.assertRaises(AccessError):
            self.fapiao.with_user(self.accountant).write({"state": "issued"})

    def test_manual_entry_by_manager_logged(self):
        with self.assertRaises(AccessError):
            self.fapiao.with_user(self.accountant)._issue_manual_entry(
                self._number(17), "", self.issue_day
            )
        Wizard = (
            self.env["key.account.fapiao.number.wizard"]
            .with_user(self.manager)
            .with_context(active_model="key.account.fapiao", active_id=self.fapiao.id)
        )
        wizard = Form(Wizard)
        wizard.fapiao_number = "123"
        with self.assertRaises(UserError):
            wizard.save().action_confirm()
        wizard = Form(Wizard)
        wizard.fapiao_number = self._number(17)
        wizard.save().action_confirm()
        self.assertEqual(self.fapiao.fapiao_number, self._number(17))
        self.assertEqual(self.fapiao.state, "issued")
        self.assertIn(self._number(17), self.request.message_ids[:1].body)
        self.assertIn("KA Fapiao Manager", self.request.message_ids[:1].body)

    def test_cancel_or_reset_invoice_on_issued_fapiao_refused(self):
        self._import([self._row(self.fapiao, self._number(18))])
        with self.assertRaises(UserError) as error:
            self.invoice.button_cancel()
        self.assertIn(self._number(18), str(error.exception))
        with self.assertRaises(UserError) as error:
            self.invoice.button_draft()
        self.assertIn(self._number(18), str(error.exception))
        self.assertEqual(self.invoice.state, "posted")

    def test_cancel_invoice_on_exported_fapiao_refused(self):
        with self.assertRaises(UserError) as error:
            self.invoice.button_cancel()
        self.assertIn(self.fapiao.serial, str(error.exception))

    def _zip(self, members):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members.items():
                archive.writestr(name, data)
        return out.getvalue()

    def test_wizard_preview_apply_and_files(self):
        number = self._number(19)
        archive = self._zip(
            {
                f"dzfp_{number}_KA.pdf": b"%PDF-1.4 fapiao",
                f"dzfp_{number}_KA.xml": b"<xml/>",
                "dzfp_99999999999999999999_other.pdf": b"%PDF other",
                "readme.txt": b"hello",
            }
        )
        wizard = (
            self.env["key.account.fapiao.import"]
            .with_user(self.accountant)
            .create(
                {
                    "list_file": base64.b64encode(
                        self._csv([self._row(self.fapiao, number)])
                    ),
                    "list_filename": "issued.csv",
                    "zip_file": base64.b64encode(archive),
                    "zip_filename": "files.zip",
                }
            )
        )
        wizard.action_preview()
        self.assertEqual((wizard.change_count, wizard.error_count), (1, 0))
        self.assertIn("dzfp_99999999999999999999_other.pdf", wizard.preview)
        self.assertEqual(self.fapiao.state, "exported")
        wizard.action_apply()
        self.assertEqual(self.fapiao.state, "issued")
        self.assertEqual(len(self.fapiao.attachment_ids), 2)
        # the same files again attach nothing new
        again = (
            self.env["key.account.fapiao.import"]
            .with_user(self.accountant)
            .create(
                {"zip_file": base64.b64encode(archive), "zip_filename": "files.zip"}
            )
        )
        again.action_apply()
        self.assertEqual(len(self.fapiao.attachment_ids), 2)

    def test_wizard_errors_block_apply(self):
        wizard = (
            self.env["key.account.fapiao.import"]
            .with_user(self.accountant)
            .create(
                {
                    "list_file": base64.b64encode(
                        self._csv([self._row(self.fapiao, "42")])
                    ),
                    "list_filename": "issued.csv",
                }
            )
        )
        wizard.action_preview()
        self.assertEqual(wizard.error_count, 1)
        self.assertIn("malformed", wizard.preview)
        with self.assertRaises(UserError):
            wizard.action_apply()
        self.assertEqual(self.fapiao.state, "exported")

    def test_zip_bomb_refused(self):
        bomb = self._zip({f"{self._number(20)}.pdf": b"0" * (21 * 1024 * 1024)})
        with self.assertRaises(UserError):
            self.env["key.account.fapiao"]._issue_read_zip(bomb)


@tagged("post_install", "-at_install")
class TestFapiaoImportQueries(KeyAccountFapiaoCommon):
    """The import of N issued fapiao runs the same number of queries for
    10 rows and for 100."""

    def _fapiaos(self, count):
        moves = self.env["account.move"].create(
            [
                self._invoice_vals(self.customer, self.date_to, 100.0 + index)
                for index in range(count)
            ]
        )
        moves.action_post()
        return self.env["key.account.fapiao"].union(
            *(self._request(move).fapiao_ids for move in moves)
        ), moves

    def _count_import(self, count, offset):
        fapiaos, moves = self._fapiaos(count)
        rows = [
            self._row(fapiao, self._number(offset + index))
            for index, fapiao in enumerate(fapiaos)
        ]
        Fapiao = self.env["key.account.fapiao"].with_user(self.accountant)
        parsed = Fapiao._issue_parse_file(self._csv(rows), "issued.csv")
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        Fapiao.with_company(self.company)._issue_import_apply(parsed)
        self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(set(fapiaos.mapped("state")), {"issued"})
        self.assertEqual(set(moves.mapped("key_account_fapiao_state")), {"issued"})
        return queries

    def test_import_queries_independent_of_rows(self):
        self._count_import(2, 3000)  # warm-up: groups, companies, models
        small = self._count_import(10, 1000)
        large = self._count_import(100, 2000)
        self.assertEqual(small, large)
