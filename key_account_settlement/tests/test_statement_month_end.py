# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The month-end run never stops for one customer: a customer shared
between companies (no company, Odoo's default for contacts) gets a
statement in each company with that company's items; a customer that
cannot be generated is skipped and reported with its reason (in the
wizard, in the log of the scheduled action) while the others are
generated; the scheduled action goes on with the next company when one
company fails."""

from datetime import date

from odoo import Command
from odoo.tests import tagged

from .common_statement import KeyAccountStatementCommon

LOGGER = "odoo.addons.key_account_settlement.models.key_account_statement"


@tagged("post_install", "-at_install")
class TestStatementMonthEnd(KeyAccountStatementCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.env["res.company"].create(
            {
                "name": "KA Second Distributor",
                "currency_id": cls.env.ref("base.CNY").id,
                "country_id": cls.env.ref("base.cn").id,
            }
        )
        cls.env.user.company_ids |= cls.company_2
        Account = cls.env["account.account"].with_company(cls.company_2)
        cls.receivable_2 = Account.create(
            {
                "name": "KA Receivable 2",
                "code": "112202",
                "account_type": "asset_receivable",
                "reconcile": True,
            }
        )
        cls.income_2 = Account.create(
            {"name": "KA Sales 2", "code": "600102", "account_type": "income"}
        )
        cls.sale_journal_2 = (
            cls.env["account.journal"]
            .with_company(cls.company_2)
            .create(
                {
                    "name": "KA Customer Invoices 2",
                    "code": "KAIN2",
                    "type": "sale",
                    "company_id": cls.company_2.id,
                    "default_account_id": cls.income_2.id,
                }
            )
        )
        # shared between the two companies (no company), and one of each
        cls.shared = cls._create_customer("Shared Group Co", company_id=False)
        cls.shared.with_company(
            cls.company_2
        ).property_account_receivable_id = cls.receivable_2
        cls.own = cls._create_customer("Own Customer Co")
        cls.own_2 = cls._create_key_account(
            "Second Company Customer Co", company_id=cls.company_2.id
        )
        cls.own_2.with_company(
            cls.company_2
        ).property_account_receivable_id = cls.receivable_2
        cls.walk_in = cls.env["res.partner"].create({"name": "Walk-in Buyer"})

    @classmethod
    def _invoice_2(cls, partner, day, amount):
        """A posted invoice of ``company_2``."""
        vals = cls._invoice_vals(partner, day, amount)
        vals.update(company_id=cls.company_2.id, journal_id=cls.sale_journal_2.id)
        vals["invoice_line_ids"][0][2]["account_id"] = cls.income_2.id
        move = cls.env["account.move"].with_company(cls.company_2).create(vals)
        move.action_post()
        return move

    def _post_september(self):
        self._invoice(self.shared, date(2026, 9, 4), 1000.0)
        self._invoice(self.own, date(2026, 9, 5), 300.0)
        self._invoice_2(self.shared, date(2026, 9, 6), 700.0)
        self._invoice_2(self.own_2, date(2026, 9, 7), 90.0)

    def _statements_of(self, partner, company=None, date_to=None):
        return self.env["key.account.statement"].search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", (company or self.company).id),
                ("date_to", "=", date_to or self.date_to),
            ]
        )

    # ------------------------------------------------------------------
    # _generate for a company
    # ------------------------------------------------------------------
    def test_shared_customer_gets_a_statement_in_each_company(self):
        self._post_september()
        statements = self._generate(user=self.accountant)
        self.assertEqual(statements.partner_id, self.shared + self.own)
        shared = statements.filtered(lambda s: s.partner_id == self.shared)
        self.assertEqual(shared.closing_balance, 1000.0, "this company's items only")
        self.assertEqual(shared.line_ids.move_id.company_id, self.company)
        statements_2 = self.env["key.account.statement"]._generate(
            self.company_2, self.date_from, self.date_to
        )
        self.assertEqual(statements_2.partner_id, self.shared + self.own_2)
        shared_2 = statements_2.filtered(lambda s: s.partner_id == self.shared)
        self.assertEqual(shared_2.closing_balance, 700.0)
        self.assertEqual(shared_2.company_id, self.company_2)

    def test_named_shared_customer(self):
        self._post_september()
        statement = self._generate(self.shared, user=self.accountant)
        self.assertEqual(statement.partner_id, self.shared)
        self.assertEqual(statement.closing_balance, 1000.0)

    def test_a_customer_that_cannot_be_generated_is_reported_not_raised(self):
        self._post_september()
        kept = self._generate(self.own)
        kept._send(email=False)
        result = (
            self.env["key.account.statement"]
            .with_user(self.accountant)
            ._generate_run(
                self.company,
                self.date_from,
                self.date_to,
                partners=self.shared + self.own + self.own_2 + self.walk_in,
            )
        )
        self.assertEqual(result["statements"].partner_id, self.shared)
        reasons = dict(result["skipped"])
        self.assertEqual(set(reasons), {self.own, self.own_2, self.walk_in})
        self.assertIn(kept.name, reasons[self.own])
        self.assertIn("KA Second Distributor", reasons[self.own_2])
        self.assertIn("not a key account", reasons[self.walk_in])

    def test_overlapping_statement_is_skipped_with_its_reason(self):
        self._post_september()
        half = self._generate(self.own, date_to=date(2026, 9, 15))
        result = self.env["key.account.statement"]._generate_run(
            self.company, self.date_from, self.date_to
        )
        self.assertEqual(result["statements"].partner_id, self.shared)
        reasons = dict(result["skipped"])
        self.assertIn(half.name, reasons[self.own])
        self.assertTrue(half.exists(), "the other period stays")

    # ------------------------------------------------------------------
    # the wizard
    # ------------------------------------------------------------------
    def test_wizard_generates_the_others_and_shows_the_report(self):
        self._post_september()
        kept = self._generate(self.own)
        kept._send(email=False)
        wizard = (
            self.env["key.account.statement.generate"]
            .with_user(self.accountant)
            .create(
                {
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                    "partner_ids": [
                        Command.set((self.shared + self.own + self.walk_in).ids)
                    ],
                }
            )
        )
        action = wizard.action_generate()
        self.assertEqual(action["res_model"], "key.account.statement.generate")
        self.assertEqual(action["res_id"], wizard.id)
        self.assertEqual(wizard.state, "done")
        self.assertEqual(wizard.statement_ids.partner_id, self.shared)
        self.assertIn("Walk-in Buyer", wizard.report)
        self.assertIn("not a key account", wizard.report)
        self.assertIn(kept.name, wizard.report)
        opened = wizard.action_open_statements()
        self.assertEqual(opened["res_id"], wizard.statement_ids.id)

    def test_wizard_with_a_shared_customer_opens_its_statement(self):
        self._post_september()
        wizard = (
            self.env["key.account.statement.generate"]
            .with_user(self.accountant)
            .with_context(active_model="res.partner", active_ids=self.shared.ids)
            .create({"date_from": self.date_from, "date_to": self.date_to})
        )
        action = wizard.action_generate()
        statement = self.env["key.account.statement"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "key.account.statement")
        self.assertEqual(statement.partner_id, self.shared)

    # ------------------------------------------------------------------
    # the scheduled action
    # ------------------------------------------------------------------
    def test_cron_generates_the_shared_customer_in_each_company(self):
        Statement = self.env["key.account.statement"]
        date_from, date_to = Statement._default_period()
        self._invoice(self.shared, date_from, 10.0)
        self._invoice_2(self.shared, date_from, 20.0)
        self._invoice(self.own, date_from, 30.0)
        Statement._cron_generate_month_end()
        self.assertEqual(
            self._statements_of(self.shared, date_to=date_to).invoice_amount, 10.0
        )
        self.assertEqual(
            self._statements_of(
                self.shared, self.company_2, date_to=date_to
            ).invoice_amount,
            20.0,
        )
        self.assertEqual(
            self._statements_of(self.own, date_to=date_to).invoice_amount, 30.0
        )

    def test_cron_goes_on_after_a_bad_customer_and_a_failing_company(self):
        Statement = self.env["key.account.statement"]
        date_from, date_to = Statement._default_period()
        self._invoice(self.shared, date_from, 10.0)
        self._invoice(self.own, date_from, 30.0)
        self._invoice_2(self.own_2, date_from, 40.0)
        # a bad record: a statement of the first half of the month exists
        half = self._generate(
            self.own, date_from=date_from, date_to=date_from.replace(day=15)
        )
        # a failing company: its own statement sequence is broken
        self.env["ir.sequence"].create(
            {
                "name": "Broken statements of the second company",
                "code": "key.account.statement",
                "prefix": "ST2/%(no_such_key)s/",
                "company_id": self.company_2.id,
            }
        )
        with self.assertLogs(LOGGER, level="WARNING") as logs:
            Statement._cron_generate_month_end()
        self.assertEqual(
            self._statements_of(self.shared, date_to=date_to).invoice_amount, 10.0
        )
        self.assertFalse(self._statements_of(self.own, date_to=date_to))
        self.assertFalse(self._statements_of(self.own_2, self.company_2, date_to))
        output = "\n".join(logs.output)
        self.assertIn("Own Customer Co", output)
        self.assertIn(half.name, output)
        self.assertIn("KA Second Distributor", output)
