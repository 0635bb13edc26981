# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A statement always reconciles to the ledger under late postings: a sent,
unconfirmed statement that no longer matches the ledger is out of date
(with the difference), cannot be confirmed and is re-issued; a confirmed
statement stays frozen and the next statement carries the difference as a
prior-period line, so that its opening balance as the customer saw it plus
that line is the ledger's opening balance."""

from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_statement import KeyAccountStatementCommon

OCTOBER = (date(2026, 10, 1), date(2026, 10, 31))


@tagged("post_install", "-at_install")
class TestStatementLedger(KeyAccountStatementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Late Posting Co")
        cls.invoice = cls._invoice(cls.customer, date(2026, 9, 5), 17000.0)

    def setUp(self):
        super().setUp()
        self.statement = self._generate(self.customer).with_user(self.accountant)
        self.statement._send(email=False)

    def _refresh(self, statements):
        statements.invalidate_recordset()
        return statements

    def _bodies(self, statement):
        return " ".join(statement.message_ids.mapped("body"))

    # ------------------------------------------------------------------
    # sent, not confirmed: out of date, refused, re-issued
    # ------------------------------------------------------------------
    def test_late_invoice_makes_the_sent_statement_out_of_date(self):
        statement = self.statement
        self.assertFalse(statement.is_out_of_date)
        self.assertEqual(statement.ledger_difference, 0.0)
        self._invoice(self.customer, date(2026, 9, 20), 1200.0)
        self._refresh(statement)
        self.assertEqual(statement.closing_balance, 17000.0, "as sent")
        self.assertTrue(statement.is_out_of_date)
        self.assertEqual(statement.ledger_balance, 18200.0)
        self.assertEqual(statement.ledger_difference, 1200.0)
        Statement = self.env["key.account.statement"].with_user(self.accountant)
        self.assertEqual(Statement.search([("is_out_of_date", "=", True)]), statement)
        self.assertNotIn(statement, Statement.search([("is_out_of_date", "=", False)]))
        with self.assertRaisesMessage(UserError, statement.name, "Re-issue"):
            statement.action_customer_confirm()
        self.assertEqual(statement.state, "sent")
        statement.action_reissue()
        self.assertEqual(statement.state, "draft")
        self.assertEqual(statement.closing_balance, 18200.0)
        self.assertEqual(statement.invoice_amount, 18200.0)
        self.assertEqual(len(statement.line_ids), 2)
        self.assertFalse(self._refresh(statement).is_out_of_date)
        self.assertIn("17,000.00", self._bodies(statement))
        self.assertIn("18,200.00", self._bodies(statement))
        statement._send(email=False)
        statement.action_customer_confirm()
        self.assertEqual(statement.state, "confirmed")

    def test_reissue_of_a_statement_that_matches_is_refused(self):
        with self.assertRaisesMessage(UserError, self.statement.name, "matches"):
            self.statement.action_reissue()
        self.assertEqual(self.statement.state, "sent")

    def test_late_credit_note(self):
        self._invoice(self.customer, date(2026, 9, 28), 500.0, move_type="out_refund")
        statement = self._refresh(self.statement)
        self.assertTrue(statement.is_out_of_date)
        self.assertEqual(statement.ledger_difference, -500.0)
        statement.action_reissue()
        self.assertEqual(statement.credit_note_amount, 500.0)
        self.assertEqual(statement.closing_balance, 16500.0)

    def test_invoice_reset_to_draft_and_cancelled(self):
        self.invoice.button_draft()
        statement = self._refresh(self.statement)
        self.assertTrue(statement.is_out_of_date)
        self.assertEqual(statement.ledger_difference, -17000.0)
        self.invoice.button_cancel()
        self.assertEqual(self._refresh(statement).ledger_balance, 0.0)
        statement.action_reissue()
        self.assertEqual(statement.closing_balance, 0.0)
        self.assertFalse(statement.line_ids)

    def test_posting_before_the_period_changes_the_opening(self):
        self._invoice(self.customer, date(2026, 8, 20), 300.0)
        statement = self._refresh(self.statement)
        self.assertTrue(statement.is_out_of_date)
        self.assertEqual(statement.ledger_difference, 300.0)
        statement.action_reissue()
        self.assertEqual(statement.opening_balance, 300.0)
        self.assertEqual(statement.closing_balance, 17300.0)

    def test_posting_after_the_period_changes_nothing(self):
        self._invoice(self.customer, date(2026, 10, 2), 999.0)
        self.assertFalse(self._refresh(self.statement).is_out_of_date)
        self.statement.action_customer_confirm()
        self.assertEqual(self.statement.state, "confirmed")

    def test_staleness_of_many_statements_in_a_bounded_number_of_queries(self):
        customers = [self._create_customer(f"Stale Co {n}") for n in range(6)]
        for customer in customers:
            self._invoice(customer, date(2026, 9, 3), 100.0)
        statements = self._generate(self.env["res.partner"].concat(*customers))
        statements._send(email=False)
        for customer in customers[::2]:
            self._invoice(customer, date(2026, 9, 29), 10.0)
        counts = []
        for some in (statements[:2], statements):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            some.mapped("is_out_of_date")
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1], "no query per statement")
        self.assertEqual(len(statements.filtered("is_out_of_date")), 3)

    # ------------------------------------------------------------------
    # confirmed: frozen; the next statement carries the difference
    # ------------------------------------------------------------------
    def test_confirmed_statement_stays_and_october_carries_the_difference(self):
        self.statement.action_customer_confirm()
        self._invoice(self.customer, date(2026, 9, 20), 1200.0)
        self._invoice(self.customer, date(2026, 10, 8), 50.0)
        september = self._refresh(self.statement)
        self.assertEqual(september.state, "confirmed")
        self.assertEqual(september.closing_balance, 17000.0)
        self.assertFalse(september.is_out_of_date, "frozen")
        october = self._generate(self.customer, *OCTOBER)
        self.assertEqual(october.opening_balance, 17000.0, "as the customer saw it")
        self.assertEqual(october.prior_period_amount, 1200.0)
        self.assertEqual(
            october.opening_balance + october.prior_period_amount,
            self._ledger_balance(self.customer, date(2026, 9, 30)),
        )
        self.assertEqual(
            october.closing_balance,
            self._ledger_balance(self.customer, OCTOBER[1]),
        )
        self.assertEqual(october.closing_balance, 18250.0)
        prior = october.line_ids[0]
        self.assertEqual(prior.line_type, "prior_period")
        self.assertEqual((prior.debit, prior.credit, prior.balance), (1200, 0, 18200))
        self.assertEqual(october.line_ids[1].balance, 18250.0)
        self.assertEqual(
            sum(october.line_ids.mapped("debit"))
            - sum(october.line_ids.mapped("credit")),
            october.closing_balance - october.opening_balance,
        )
        self.assertFalse(self._refresh(october).is_out_of_date)
        october._send(email=False)
        october.with_user(self.accountant).action_customer_confirm()
        self.assertEqual(october.state, "confirmed")

    def test_late_credit_note_in_a_confirmed_period(self):
        self.statement.action_customer_confirm()
        self._invoice(self.customer, date(2026, 9, 25), 2000.0, move_type="out_refund")
        october = self._generate(self.customer, *OCTOBER)
        self.assertEqual(october.opening_balance, 17000.0)
        self.assertEqual(october.prior_period_amount, -2000.0)
        prior = october.line_ids.filtered(lambda line: line.line_type == "prior_period")
        self.assertEqual((prior.debit, prior.credit), (0.0, 2000.0))
        self.assertEqual(october.closing_balance, 15000.0)

    def test_next_statement_out_of_date_after_a_later_late_posting(self):
        self.statement.action_customer_confirm()
        october = self._generate(self.customer, *OCTOBER)
        self.assertFalse(october.prior_period_amount)
        self.assertFalse(october.line_ids)
        october._send(email=False)
        # booked after October was sent, dated in confirmed September
        self._invoice(self.customer, date(2026, 9, 30), 400.0)
        self.assertTrue(self._refresh(october).is_out_of_date)
        self.assertEqual(october.ledger_difference, 400.0)
        october.with_user(self.accountant).action_reissue()
        self.assertEqual(october.opening_balance, 17000.0)
        self.assertEqual(october.prior_period_amount, 400.0)
        self.assertEqual(october.closing_balance, 17400.0)
        self.assertEqual(october.line_ids.mapped("line_type"), ["prior_period"])

    def test_sending_an_out_of_date_draft_is_refused(self):
        self.statement.action_customer_confirm()
        october = self._generate(self.customer, *OCTOBER)
        self._invoice(self.customer, date(2026, 10, 3), 10.0)
        with self.assertRaisesMessage(UserError, october.name, "Correct"):
            self._refresh(october).with_user(self.accountant).action_send()
        october.with_user(self.accountant).action_correct()
        october.with_user(self.accountant)._send(email=False)
        self.assertEqual(october.state, "sent")

    def test_email_names_the_prior_period_line(self):
        self.statement.action_customer_confirm()
        self._invoice(self.customer, date(2026, 9, 20), 1200.0)
        self.customer.email = "finance@late-posting.example.com"
        october = self._generate(self.customer, *OCTOBER)
        october.with_user(self.accountant).action_send()
        message = october.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertIn("late postings in periods you already confirmed", message.body)
        self.assertIn("1,200.00", message.body)
