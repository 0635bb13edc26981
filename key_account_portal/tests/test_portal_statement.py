# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Statements (对账单) in the portal: list, detail, PDF, the customer's
answer through the statement's own methods, and nobody reaching or
changing another key account's statement."""

from datetime import date
from unittest.mock import patch

from odoo import http
from odoo.tests import tagged
from odoo.tools import formatLang, mute_logger

from odoo.addons.key_account_settlement.tests.common_statement import (
    KeyAccountStatementCommon,
)

from ..controllers import statement as statement_controller
from .common import KeyAccountPortalCommon

REPORT = "key_account_settlement.key_account_statement_report_action"


@tagged("post_install", "-at_install")
class TestPortalStatement(KeyAccountPortalCommon, KeyAccountStatementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for customer in (cls.customer_a, cls.customer_b, cls.customer_c):
            customer.with_company(
                cls.company
            ).property_account_receivable_id = cls.receivable
        cls.invoice_a = cls._invoice(
            cls.customer_a, date(2026, 9, 5), 1234.5, due=date(2026, 10, 5)
        )
        cls.payment_a = cls._payment(cls.customer_a, date(2026, 9, 20), 200.0)
        cls.invoice_b = cls._invoice(cls.customer_b, date(2026, 9, 6), 98765.43)
        cls.invoice_c = cls._invoice(cls.customer_c, date(2026, 9, 7), 555.0)
        Statement = cls.env["key.account.statement"]
        statements = Statement._generate(
            cls.company,
            cls.date_from,
            cls.date_to,
            partners=cls.customer_a | cls.customer_b | cls.customer_c,
        )
        statements._send(email=False)
        cls.statement_a = statements.filtered(lambda s: s.partner_id == cls.customer_a)
        cls.statement_b = statements.filtered(lambda s: s.partner_id == cls.customer_b)
        cls.statement_c = statements.filtered(lambda s: s.partner_id == cls.customer_c)
        # a draft of A (October): not for the customer's eyes yet
        cls.draft_a = Statement._generate(
            cls.company, date(2026, 10, 1), date(2026, 10, 31), partners=cls.customer_a
        )

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _url(self, statement, suffix=""):
        return f"/my/key-account/statements/{statement.id}{suffix}"

    def _post(self, url, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data)

    def _snapshot(self, statements):
        statements.invalidate_recordset()
        return [
            (
                s.state,
                s.dispute_reason,
                s.answer_date,
                s.line_ids.mapped("disputed"),
            )
            for s in statements
        ]

    def _assert_no_b_data(self, response):
        for needle in (
            self.statement_b.name,
            self.invoice_b.name,
            "98,765.43",
            self.customer_b.name,
        ):
            self.assertNotIn(needle, response.text)

    # ------------------------------------------------------------------
    # reading
    # ------------------------------------------------------------------
    def test_list_shows_the_companys_sent_statements(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self.url_open("/my/key-account/statements")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.statement_a.name, response.text)
        self.assertIn(self._url(self.statement_a), response.text)
        self.assertIn(
            formatLang(self.env, self.statement_a.closing_balance), response.text
        )
        self.assertNotIn(self.draft_a.name, response.text)
        self._assert_no_b_data(response)

    def test_detail_shows_lines_and_balances(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self.url_open(self._url(self.statement_a))
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn(self.statement_a.name, text)
        self.assertIn(self.invoice_a.name, text)
        self.assertEqual(self.statement_a.closing_balance, 1034.5)
        for amount in (
            self.statement_a.opening_balance,
            self.statement_a.closing_balance,
            1234.5,
            200.0,
        ):
            self.assertIn(formatLang(self.env, amount), text)
        self.assertIn("o_ka_statement_dispute_form", text, "the answer forms")
        self.assertIn("o_ka_statement_opening", text)
        self.assertIn("o_ka_statement_closing", text)
        for line in self.statement_a.line_ids:
            self.assertIn(f'value="{line.id}"', text)
        self._assert_no_b_data(response)

    def test_lines_are_paged(self):
        first_line, second_line = self.statement_a.line_ids
        self.authenticate("ka_portal_a", "ka_portal_a")
        with patch.object(statement_controller, "STATEMENT_LINES_PER_PAGE", 1):
            first = self.url_open(self._url(self.statement_a)).text
            second = self.url_open(self._url(self.statement_a, "/page/2")).text
        self.assertIn(first_line.move_id.name, first)
        self.assertNotIn(second_line.move_id.name, first)
        self.assertIn("o_ka_statement_opening", first)
        self.assertNotIn("o_ka_statement_closing", first)
        self.assertIn(self._url(self.statement_a, "/page/2"), first)
        self.assertIn(second_line.move_id.name, second)
        self.assertNotIn("o_ka_statement_opening", second)
        self.assertIn("o_ka_statement_closing", second)

    def test_draft_statement_is_not_shown(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self.url_open(self._url(self.draft_a))
        self.assertNotIn(self.draft_a.name, response.text)
        self.assertTrue(response.url.endswith("/my"), response.url)

    def test_pdf_in_the_portal_users_language(self):
        # the customer reads English, the portal user Chinese
        self.env["res.lang"]._activate_lang("zh_CN")
        self.customer_a.lang = "en_US"
        self.portal_a.lang = "zh_CN"
        self.env.ref(
            "key_account_settlement.key_account_statement_report_document"
        ).update_field_translations(
            "arch_db",
            {"zh_CN": {"<span>Statement of Account</span>": "<span>对账单</span>"}},
        )
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self.url_open(self._url(self.statement_a, "/pdf?download=1"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertIn("attachment", response.headers["Content-Disposition"])
        # in test mode the report engine returns the HTML it would print
        text = response.content.decode()
        self.assertIn(self.statement_a.name, text)
        self.assertIn(self.invoice_a.name, text)
        self.assertIn("对账单", text)
        self.assertNotIn("Statement of Account", text)
        self._assert_no_b_data(response)

    def test_report_in_the_portal_users_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.customer_a.lang = "en_US"
        self.env.ref(
            "key_account_settlement.key_account_statement_report_document"
        ).update_field_translations(
            "arch_db",
            {"zh_CN": {"<span>Statement of Account</span>": "<span>对账单</span>"}},
        )
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html(REPORT, self.statement_a.ids)[0].decode()
        self.assertIn("Statement of Account", html, "the customer's language")
        html = Report._render_qweb_html(
            REPORT, self.statement_a.ids, data={"key_account_portal_lang": "zh_CN"}
        )[0].decode()
        self.assertIn("对账单", html)
        self.assertNotIn("Statement of Account", html)

    def test_home_counts_statements_waiting_for_an_answer(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        home = self.url_open("/my/home")
        self.assertIn("/my/key-account/statements", home.text)
        self.assertIn("/my/key-account/contract", home.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["key_account_statement_count"]}
        )
        self.assertEqual(counters["key_account_statement_count"], 1)
        self.statement_a.action_customer_confirm()
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["key_account_statement_count"]}
        )
        self.assertEqual(counters["key_account_statement_count"], 0)

    # ------------------------------------------------------------------
    # answering
    # ------------------------------------------------------------------
    def test_confirm_then_second_answer_gets_a_message(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self._post(self._url(self.statement_a, "/confirm"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("answered=confirmed", response.url)
        self.assertEqual(self.statement_a.state, "confirmed")
        self.assertTrue(
            any(
                "The customer confirmed the statement." in message.body
                for message in self.statement_a.message_ids
            )
        )
        before = self._snapshot(self.statement_a)
        for url, data in (
            (self._url(self.statement_a, "/confirm"), {}),
            (self._url(self.statement_a, "/dispute"), {"reason": "late"}),
        ):
            response = self._post(url, **data)
            self.assertEqual(response.status_code, 200)
            self.assertIn("o_ka_statement_error", response.text)
            self.assertIn("is not possible for statement", response.text)
            self.assertEqual(self._snapshot(self.statement_a), before)

    def test_answer_without_csrf_token_is_refused(self):
        before = self._snapshot(self.statement_a)
        self.authenticate("ka_portal_a", "ka_portal_a")
        with mute_logger("odoo.http"):
            response = self.url_open(
                self._url(self.statement_a, "/confirm"), data={"x": "1"}
            )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._snapshot(self.statement_a), before)

    def test_dispute_selected_lines(self):
        invoice_line = self.statement_a.line_ids.filtered(
            lambda line: line.move_id == self.invoice_a
        )
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self._post(
            self._url(self.statement_a, "/dispute"),
            reason="发票金额与订单不符",
            line_ids=str(invoice_line.id),
        )
        self.assertIn("answered=disputed", response.url)
        self.assertEqual(self.statement_a.state, "disputed")
        self.assertEqual(self.statement_a.dispute_reason, "发票金额与订单不符")
        self.assertEqual(self.statement_a.line_ids.filtered("disputed"), invoice_line)
        self.assertIn("发票金额与订单不符", response.text)
        self.assertNotIn("o_ka_statement_dispute_form", response.text)

    def test_dispute_without_reason_writes_nothing(self):
        before = self._snapshot(self.statement_a)
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self._post(
            self._url(self.statement_a, "/dispute"),
            reason="   ",
            line_ids=str(self.statement_a.line_ids[0].id),
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_ka_statement_error", response.text)
        self.assertIn("say why statement", response.text)
        self.assertIn(self.statement_a.name, response.text)
        self.assertEqual(self._snapshot(self.statement_a), before)

    def test_dispute_with_lines_of_another_statement_is_refused(self):
        before = self._snapshot(self.statement_a | self.statement_b)
        self.authenticate("ka_portal_a", "ka_portal_a")
        for line_ids in (str(self.statement_b.line_ids[0].id), "abc"):
            response = self._post(
                self._url(self.statement_a, "/dispute"),
                reason="wrong",
                line_ids=line_ids,
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("o_ka_statement_error", response.text)
            self.assertIn("reload the statement and select its lines", response.text)
            self._assert_no_b_data(response)
        self.assertEqual(self._snapshot(self.statement_a | self.statement_b), before)

    def test_out_of_date_statement_shows_a_notice_and_is_not_confirmed(self):
        # booked after the statement was sent, dated in its month
        self._invoice(self.customer_a, date(2026, 9, 25), 100.0)
        self.authenticate("ka_portal_a", "ka_portal_a")
        listing = self.url_open("/my/key-account/statements").text
        self.assertIn("Out of date: to be re-issued", listing)
        page = self.url_open(self._url(self.statement_a)).text
        self.assertIn("o_ka_statement_out_of_date", page)
        self.assertIn(formatLang(self.env, 1134.5), page, "the ledger now")
        self.assertIn(formatLang(self.env, 100.0), page, "the difference")
        self.assertNotIn("/confirm", page, "no confirm form")
        self.assertIn("o_ka_statement_dispute_form", page, "a dispute is possible")
        before = self._snapshot(self.statement_a)
        response = self._post(self._url(self.statement_a, "/confirm"))
        self.assertIn("o_ka_statement_error", response.text)
        self.assertIn("no longer matches the ledger", response.text)
        self.assertIn("re-issued", response.text)
        self.assertEqual(self._snapshot(self.statement_a), before)
        # re-issued and sent again: the customer confirms it
        self.statement_a.action_reissue()
        self.statement_a._send(email=False)
        page = self.url_open(self._url(self.statement_a)).text
        self.assertNotIn("o_ka_statement_out_of_date", page)
        response = self._post(self._url(self.statement_a, "/confirm"))
        self.assertIn("answered=confirmed", response.url)
        self.assertEqual(self.statement_a.state, "confirmed")
        self.assertEqual(self.statement_a.closing_balance, 1134.5)

    def test_prior_period_line_in_the_portal(self):
        self.statement_a.action_customer_confirm()
        self._invoice(self.customer_a, date(2026, 9, 29), 66.0)
        self.draft_a.action_correct()
        self.draft_a._send(email=False)
        self.assertEqual(self.draft_a.prior_period_amount, 66.0)
        self.authenticate("ka_portal_a", "ka_portal_a")
        page = self.url_open(self._url(self.draft_a)).text
        self.assertIn("Late Postings in Confirmed Periods", page)
        self.assertIn(formatLang(self.env, 1100.5), page, "the running balance")

    # ------------------------------------------------------------------
    # nobody else
    # ------------------------------------------------------------------
    def _walk_b(self):
        """Every statement route against B's statement (and A's draft)."""
        responses = []
        for statement in (self.statement_b, self.draft_a):
            for suffix in ("", "/page/2", "/pdf"):
                responses.append(self.url_open(self._url(statement, suffix)))
            with mute_logger("odoo.http"):
                responses.append(self._post(self._url(statement, "/confirm")))
                responses.append(
                    self._post(
                        self._url(statement, "/dispute"),
                        reason="wrong",
                        line_ids=str(statement.line_ids[:1].id),
                    )
                )
        return responses

    def test_customer_a_cannot_reach_b(self):
        before = self._snapshot(self.statement_b | self.draft_a)
        self.authenticate("ka_portal_a", "ka_portal_a")
        for response in self._walk_b():
            self._assert_no_b_data(response)
            self.assertNotIn(self.draft_a.name, response.text)
            self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertEqual(self._snapshot(self.statement_b | self.draft_a), before)

    def test_public_user_gets_nothing(self):
        statements = self.statement_a | self.statement_b
        before = self._snapshot(statements)
        self.authenticate(None, None)
        for url in ("/my/key-account/statements", self._url(self.statement_a)):
            response = self.url_open(url)
            self.assertIn("/web/login", response.url)
            self.assertNotIn(self.statement_a.name, response.text)
        for response in self._walk_b():
            self._assert_no_b_data(response)
        with mute_logger("odoo.http"):
            self._post(self._url(self.statement_a, "/confirm"))
        self.assertEqual(self._snapshot(statements), before)

    def test_suspended_account_reads_and_answers_nothing(self):
        before = self._snapshot(self.statement_c | self.statement_b)
        self.authenticate("ka_portal_c", "ka_portal_c")
        response = self.url_open(self._url(self.statement_c))
        self.assertIn(self.statement_c.name, response.text)
        self.assertNotIn("o_ka_statement_dispute_form", response.text)
        for url, data in (
            (self._url(self.statement_c, "/confirm"), {}),
            (self._url(self.statement_c, "/dispute"), {"reason": "wrong"}),
        ):
            response = self._post(url, **data)
            self.assertIn("o_ka_statement_error", response.text)
            self.assertIn("is not approved", response.text)
        for response in self._walk_b():
            self._assert_no_b_data(response)
        self.assertEqual(self._snapshot(self.statement_c | self.statement_b), before)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["key_account_statement_count"]}
        )
        self.assertEqual(counters["key_account_statement_count"], 1)
