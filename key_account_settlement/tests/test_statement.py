# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Statements computed from posted receivable journal items: balances agree
with the ledger, month-end generation, uniqueness, and the customer's
answer (confirm, dispute, correct, re-send) enforced on the server."""

from datetime import date

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common_statement import KeyAccountStatementCommon


@tagged("post_install", "-at_install")
class TestStatementBalances(KeyAccountStatementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Statement Balance Co")
        cls.branch = cls.env["res.partner"].create(
            {"name": "Balance Co Shanghai", "parent_id": cls.customer.id}
        )
        # before the period: 1,000 due on 10 September, 400 paid in the period
        cls.old_invoice = cls._invoice(
            cls.customer, date(2026, 8, 20), 1000.0, due=date(2026, 9, 10)
        )
        # in the period: two invoices (one billed to the branch), a credit note
        cls.inv_1 = cls._invoice(
            cls.customer, date(2026, 9, 5), 2000.0, due=date(2026, 9, 25)
        )
        cls.inv_2 = cls._invoice(
            cls.branch, date(2026, 9, 15), 500.0, due=date(2026, 10, 15)
        )
        cls.refund = cls._invoice(
            cls.customer, date(2026, 9, 18), 300.0, move_type="out_refund"
        )
        cls._payment(cls.customer, date(2026, 9, 12), 400.0, cls.old_invoice)
        # not on the statement: a draft invoice, an invoice and a payment of
        # October (the payment settles the old invoice after the period)
        cls._invoice(cls.customer, date(2026, 9, 20), 9999.0, post=False)
        cls._invoice(cls.customer, date(2026, 10, 2), 7000.0)
        cls._payment(cls.customer, date(2026, 10, 3), 600.0, cls.old_invoice)

    def test_closing_balance_equals_receivable_journal_items(self):
        statement = self._generate(self.customer)
        self.assertEqual(statement.partner_id, self.customer)
        self.assertEqual(statement.state, "draft")
        self.assertTrue(statement.name.startswith("ST/"))
        self.assertEqual(statement.opening_balance, 1000.0)
        self.assertEqual(statement.invoice_amount, 2500.0)
        self.assertEqual(statement.credit_note_amount, 300.0)
        self.assertEqual(statement.payment_amount, 400.0)
        self.assertEqual(statement.closing_balance, 2800.0)
        self.assertEqual(
            statement.closing_balance,
            self._ledger_balance(self.customer, self.date_to),
        )
        self.assertEqual(
            statement.opening_balance,
            self._ledger_balance(self.customer, date(2026, 8, 31)),
        )

    def test_one_line_per_posted_receivable_item_with_running_balance(self):
        statement = self._generate(self.customer)
        lines = statement.line_ids
        self.assertEqual(len(lines), 4)
        self.assertEqual(
            lines.mapped("move_id"),
            self.inv_1 + lines[1].move_id + self.inv_2 + self.refund,
        )
        self.assertEqual(
            lines.mapped("line_type"), ["invoice", "payment", "invoice", "credit_note"]
        )
        self.assertEqual(lines.mapped("balance"), [3000.0, 2600.0, 3100.0, 2800.0])
        self.assertEqual(lines[0].date_maturity, date(2026, 9, 25))
        self.assertEqual(sum(lines.mapped("debit")) - sum(lines.mapped("credit")), 1800)

    def test_overdue_as_the_account_stood_at_period_end(self):
        # the old invoice was due on 10 September, 600 of it open on the 30th
        # (its October payment does not count); invoice 1 is due on the 25th
        statement = self._generate(self.customer)
        self.assertEqual(statement.overdue_amount, 600.0 + 2000.0)

    def test_october_statement_follows_on(self):
        september = self._generate(self.customer)
        october = self._generate(
            self.customer, date_from=date(2026, 10, 1), date_to=date(2026, 10, 31)
        )
        self.assertEqual(october.opening_balance, september.closing_balance)
        self.assertEqual(october.closing_balance, 2800.0 + 7000.0 - 600.0)
        self.assertEqual(
            october.closing_balance,
            self._ledger_balance(self.customer, date(2026, 10, 31)),
        )


@tagged("post_install", "-at_install")
class TestStatementGeneration(KeyAccountStatementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.active = cls._create_customer("Active Customer Co")
        cls.quiet = cls._create_customer("Quiet Customer Co")
        cls.in_debt = cls._create_customer("Old Debt Co")
        cls._invoice(cls.active, date(2026, 9, 3), 100.0)
        cls._invoice(cls.in_debt, date(2026, 6, 3), 50.0)

    def test_month_end_run_covers_key_accounts_with_balance_or_activity(self):
        statements = self._generate(user=self.accountant)
        self.assertEqual(
            statements.partner_id, self.active + self.in_debt, "quiet customer skipped"
        )
        self.assertEqual(
            statements.filtered(lambda s: s.partner_id == self.in_debt).closing_balance,
            50.0,
        )

    def test_regenerating_a_draft_replaces_it(self):
        first = self._generate(self.active)
        self._invoice(self.active, date(2026, 9, 28), 25.0)
        second = self._generate(self.active)
        self.assertFalse(first.exists(), "the draft is replaced")
        self.assertEqual(second.closing_balance, 125.0)
        self.assertEqual(
            self.env["key.account.statement"].search_count(
                [("partner_id", "=", self.active.id)]
            ),
            1,
        )

    def test_sent_statement_is_kept(self):
        sent = self._generate(self.active)
        sent.action_send()
        others = self._generate()
        self.assertEqual(others.partner_id, self.in_debt, "the sent one is skipped")
        self.assertTrue(sent.exists())
        # named: reported with its reason, not raised
        result = self.env["key.account.statement"]._generate_run(
            self.company, self.date_from, self.date_to, partners=self.active
        )
        self.assertFalse(result["statements"])
        ((partner, reason),) = result["skipped"]
        self.assertEqual(partner, self.active)
        self.assertIn(sent.name, reason)
        self.assertIn("Correct it", reason)

    def test_one_statement_per_customer_company_and_period(self):
        statement = self._generate(self.active)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.env["key.account.statement"].sudo().create(
                {
                    "partner_id": self.active.id,
                    "company_id": self.company.id,
                    "date_from": statement.date_from,
                    "date_to": statement.date_to,
                }
            )

    def test_wizard_for_one_customer_from_the_partner(self):
        wizard = (
            self.env["key.account.statement.generate"]
            .with_user(self.accountant)
            .with_context(active_model="res.partner", active_ids=self.quiet.ids)
            .create({"date_from": self.date_from, "date_to": self.date_to})
        )
        self.assertEqual(wizard.partner_ids, self.quiet)
        action = wizard.action_generate()
        statement = self.env["key.account.statement"].browse(action["res_id"])
        self.assertEqual(statement.partner_id, self.quiet, "named: even when empty")
        self.assertFalse(statement.line_ids)

    def test_only_for_key_accounts_of_the_company(self):
        walk_in = self.env["res.partner"].create({"name": "Walk-in Customer"})
        other_company = self.env["res.company"].create({"name": "KA Other Co"})
        self.quiet.company_id = other_company
        result = self.env["key.account.statement"]._generate_run(
            self.company,
            self.date_from,
            self.date_to,
            partners=walk_in + self.quiet + self.active,
        )
        self.assertEqual(result["statements"].partner_id, self.active)
        reasons = dict(result["skipped"])
        self.assertIn("not a key account", reasons[walk_in])
        self.assertIn("KA Other Co", reasons[self.quiet])

    def test_key_account_user_cannot_generate(self):
        with self.assertRaisesMessage(AccessError, "Generation"):
            self._generate(self.active, user=self.ka_user)

    def test_cron_generates_last_month(self):
        Statement = self.env["key.account.statement"]
        date_from, date_to = Statement._default_period()
        self._invoice(self.quiet, date_from, 10.0)
        Statement._cron_generate_month_end()
        statement = Statement.search(
            [("partner_id", "=", self.quiet.id), ("date_to", "=", date_to)]
        )
        self.assertEqual(statement.date_from, date_from)
        self.assertEqual(statement.invoice_amount, 10.0)


@tagged("post_install", "-at_install")
class TestStatementTransitions(KeyAccountStatementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Transition Co")
        cls.finance = cls.env["res.partner"].create(
            {
                "name": "Transition Co Finance",
                "parent_id": cls.customer.id,
                "type": "invoice",
                "email": "finance@transition.example.com",
            }
        )
        cls.inv_1 = cls._invoice(cls.customer, date(2026, 9, 3), 100.0)
        cls.inv_2 = cls._invoice(cls.customer, date(2026, 9, 9), 200.0)

    def setUp(self):
        super().setUp()
        self.statement = self._generate(self.customer).with_user(self.accountant)

    def _bodies(self):
        return " ".join(self.statement.message_ids.mapped("body"))

    def test_send_confirm(self):
        self.statement.action_send()
        self.assertEqual(self.statement.state, "sent")
        self.assertTrue(self.statement.sent_date)
        self.statement.action_customer_confirm()
        self.assertEqual(self.statement.state, "confirmed")
        self.assertIn("confirmed the statement", self._bodies())

    def test_illegal_transitions_refused(self):
        with self.assertRaisesMessage(UserError, "Confirmation", "Draft"):
            self.statement.action_customer_confirm()
        with self.assertRaisesMessage(UserError, "Dispute", "Draft"):
            self.statement.action_customer_dispute([], "wrong")
        self.statement.action_send()
        with self.assertRaisesMessage(UserError, "Sending", "Sent"):
            self.statement.action_send()
        with self.assertRaisesMessage(UserError, "Correction", "Sent"):
            self.statement.action_correct()
        self.statement.action_customer_confirm()
        with self.assertRaisesMessage(UserError, "Dispute", "Confirmed"):
            self.statement.action_customer_dispute([], "too late")
        with self.assertRaisesMessage(UserError, self.statement.name, "Confirmed"):
            self.statement.sudo().unlink()

    def test_rpc_write_of_state_and_figures_refused(self):
        with self.assertRaisesMessage(AccessError, "Status", self.statement.name):
            self.statement.write({"state": "confirmed"})
        with self.assertRaisesMessage(AccessError, "Closing Balance"):
            self.statement.write({"closing_balance": 0.0})
        with self.assertRaisesMessage(AccessError, self.statement.name):
            self.statement.line_ids[:1].write({"debit": 1.0})
        with self.assertRaisesMessage(AccessError, "Generate Statements"):
            self.env["key.account.statement"].with_user(self.accountant).create(
                {
                    "partner_id": self.customer.id,
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 1, 31),
                }
            )
        self.statement.write({"note": "Called the customer"})
        self.assertEqual(self.statement.state, "draft")

    def test_key_account_user_cannot_send_or_answer(self):
        statement = self.statement.with_user(self.ka_user)
        with self.assertRaisesMessage(AccessError, "Sending"):
            statement.action_send()
        self.statement.action_send()
        with self.assertRaisesMessage(AccessError, "Confirmation"):
            statement.action_customer_confirm()

    def test_dispute_correct_and_resend(self):
        self.statement.action_send()
        disputed_line = self.statement.line_ids.filtered(
            lambda line: line.move_id == self.inv_2
        )
        with self.assertRaisesMessage(UserError, "say why", self.statement.name):
            self.statement.action_customer_dispute(disputed_line.ids, "  ")
        self.statement.action_customer_dispute(
            disputed_line.ids, "Invoice 2 was for 150, not 200"
        )
        self.assertEqual(self.statement.state, "disputed")
        self.assertEqual(self.statement.line_ids.filtered("disputed"), disputed_line)
        self.assertEqual(
            self.statement.dispute_reason, "Invoice 2 was for 150, not 200"
        )
        self.assertIn("Invoice 2 was for 150, not 200", self._bodies())
        self.assertIn(self.inv_2.name, self._bodies())
        # finance agrees: a credit note of 50 in the period, then correct
        name = self.statement.name
        self._invoice(self.customer, date(2026, 9, 30), 50.0, move_type="out_refund")
        self.statement.action_correct()
        self.assertEqual(self.statement.state, "draft")
        self.assertEqual(self.statement.name, name, "same statement, corrected")
        self.assertEqual(self.statement.closing_balance, 250.0)
        self.assertEqual(self.statement.credit_note_amount, 50.0)
        self.assertEqual(len(self.statement.line_ids), 3)
        self.assertIn("Recomputed from the ledger", self._bodies())
        self.statement.action_send()
        self.assertEqual(self.statement.state, "sent")
        self.statement.action_customer_confirm()
        self.assertEqual(self.statement.state, "confirmed")

    def test_dispute_of_a_line_of_another_statement_refused(self):
        other = self._generate(self._create_customer("Other Co"))
        self.statement.action_send()
        with self.assertRaisesMessage(UserError, self.statement.name):
            self.statement.action_customer_dispute(
                self.env["key.account.statement.line"]
                .sudo()
                .search([("statement_id", "=", other.id)], limit=1)
                .ids
                or [0],
                "not ours",
            )

    def test_dispute_wizard(self):
        self.statement.action_send()
        action = self.statement.action_open_dispute_wizard()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.accountant)
            .with_context(**action["context"])
            .create(
                {"line_ids": [(6, 0, self.statement.line_ids[:1].ids)], "reason": "No"}
            )
        )
        wizard.action_confirm()
        self.assertEqual(self.statement.state, "disputed")

    def test_email_to_the_finance_contact_with_the_pdf(self):
        self.statement.action_send()
        message = self.statement.message_ids.filtered(
            lambda m: m.message_type == "comment"
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, self.finance)
        self.assertIn(self.statement.name, message.subject)
        self.assertIn("Please find attached statement", message.body)
        self.assertEqual(len(message.attachment_ids), 1)
        self.assertIn(
            self.statement.name.replace("/", "_"), message.attachment_ids.name
        )

    def test_email_without_finance_contact_goes_to_the_customer(self):
        self.finance.type = "contact"
        self.customer.email = "info@transition.example.com"
        self.assertEqual(self.statement.finance_contact_id, self.customer)
        self.statement.action_send()
        message = self.statement.message_ids.filtered(
            lambda m: m.message_type == "comment"
        )
        self.assertEqual(message.partner_ids, self.customer)


@tagged("post_install", "-at_install")
class TestStatementAccess(KeyAccountStatementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_customer("Access Co")
        cls._invoice(cls.customer, date(2026, 9, 3), 100.0)
        cls.statement = cls.env["key.account.statement"]._generate(
            cls.company, cls.date_from, cls.date_to, partners=cls.customer
        )

    def test_key_account_user_reads_only(self):
        statement = self.statement.with_user(self.ka_user)
        self.assertEqual(statement.closing_balance, 100.0)
        with self.assertRaises(AccessError):
            statement.write({"note": "mine"})

    def test_portal_user_sees_nothing(self):
        portal = new_test_user(
            self.env,
            login="ka_statement_portal",
            groups="base.group_portal",
            partner_id=self.customer.child_ids[:1].id
            or self.env["res.partner"]
            .create({"name": "Access Co Buyer", "parent_id": self.customer.id})
            .id,
        )
        with self.assertRaises(AccessError):
            self.statement.with_user(portal).read(["closing_balance"])

    def test_other_company_does_not_see_the_statement(self):
        other = self.env["res.company"].create({"name": "KA Statement Other Co"})
        accountant = new_test_user(
            self.env,
            login="ka_statement_other_accountant",
            groups="account.group_account_invoice",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        Statement = (
            self.env["key.account.statement"]
            .with_user(accountant)
            .with_context(allowed_company_ids=other.ids)
        )
        self.assertFalse(Statement.search([("id", "=", self.statement.id)]))
        with self.assertRaisesMessage(AccessError, "KA Test Distributor"):
            Statement._generate(self.company, self.date_from, self.date_to)
