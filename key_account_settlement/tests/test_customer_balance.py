# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""One account of what a customer owes: the contract's credit available, the
credit hold, the statement, the aging and the overdue reminder read the same
figures (``key.account.customer.balance``), which agree with the ledger."""

from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import format_amount

from .credit_common import KeyAccountCreditCommon


class KeyAccountBalanceCommon(KeyAccountCreditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["account.account"].with_company(cls.company)
        cls.bank_account = Account.create(
            {"name": "KA Bank", "code": "100299", "account_type": "asset_cash"}
        )
        cls.payment_journal = cls.env["account.journal"].create(
            {
                "name": "KA Receipts",
                "code": "KARC",
                "type": "general",
                "company_id": cls.company.id,
            }
        )

    @classmethod
    def _move(
        cls,
        partner,
        amount,
        invoice_date,
        due=None,
        move_type="out_invoice",
        currency=None,
        company=None,
        journal=None,
        account=None,
    ):
        company = company or cls.company
        move = (
            cls.env["account.move"]
            .with_company(company)
            .with_context(allowed_company_ids=(company | cls.company).ids)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "journal_id": (journal or cls.sale_journal).id,
                    "currency_id": (currency or company.currency_id).id,
                    "invoice_date": invoice_date,
                    "invoice_date_due": due or invoice_date,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "端午礼盒",
                                "quantity": 1,
                                "price_unit": amount,
                                "account_id": (account or cls.income).id,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    @classmethod
    def _pay(cls, partner, amount, day, invoice):
        """A receipt of ``amount`` on ``day`` reconciled with ``invoice``."""
        move = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": cls.payment_journal.id,
                "company_id": cls.company.id,
                "date": day,
                "line_ids": [
                    Command.create(
                        {
                            "account_id": cls.bank_account.id,
                            "partner_id": partner.id,
                            "debit": amount,
                        }
                    ),
                    Command.create(
                        {
                            "account_id": cls.receivable.id,
                            "partner_id": partner.id,
                            "credit": amount,
                        }
                    ),
                ],
            }
        )
        move.action_post()
        (move.line_ids + invoice.line_ids).filtered(
            lambda line: line.account_id == cls.receivable and not line.reconciled
        ).reconcile()
        return move


@tagged("post_install", "-at_install")
class TestContractCreditAvailable(KeyAccountBalanceCommon):
    """Finding 5: the contract's credit available counts every open
    receivable of the customer in the contract's company, not only the
    invoices of its own orders, so that the portal's contract page, the
    review pool's auto-approval and the credit hold agree."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unit = cls._create_order([1]).amount_total
        cls.contract.credit_limit = cls.unit * 1000
        # The contract's own order, confirmed, not invoiced: 160 boxes.
        cls.ordered = cls._create_order([160])
        cls.ordered.action_confirm()
        # An invoice of the customer that does not come from the contract's
        # orders (a former deal, invoiced by hand): 600 boxes' worth.
        cls.other_invoice = cls._post_invoice(
            cls.unit * 600, cls.today + timedelta(days=30)
        )

    def test_credit_available_counts_every_open_invoice(self):
        self.assertFalse(self.other_invoice.key_account_contract_id)
        self.contract.invalidate_recordset()
        # 1000 - 160 ordered - 600 open: room for 240 boxes, not 840.
        self.assertAlmostEqual(self.contract.credit_available, self.unit * 240)

    def test_auto_approval_and_credit_hold_agree(self):
        self.company.key_account_review_auto_approve = True
        large = self._create_order([300])
        self.assertGreater(large.amount_total, self.contract.credit_available)
        blockers = large._key_account_review_blockers()[large]
        self.assertTrue(any("credit hold" in reason for reason in blockers), blockers)
        self.assertIn(large, large._key_account_credit_hold_reasons())
        with self.assertRaisesMessage(UserError, large.name, "credit hold"):
            large.action_confirm()
        # Within the real room: both let it through.
        small = self._create_order([230])
        self.assertFalse(small._key_account_review_blockers()[small])
        self.assertFalse(small._key_account_credit_hold_reasons())
        small.action_key_account_submit_review()
        self.assertEqual(small.state, "sale")

    def test_paying_the_other_invoice_frees_the_credit(self):
        self.other_invoice._reverse_moves(cancel=True)
        self.contract.invalidate_recordset()
        self.assertAlmostEqual(self.contract.credit_available, self.unit * 840)


@tagged("post_install", "-at_install")
class TestOneAccountOfWhatACustomerOwes(KeyAccountBalanceCommon):
    """The same customer, shared between two companies, with invoices in two
    currencies (one billed to its branch), a partial payment, a credit note,
    overdue invoices and a confirmed order not invoiced: the contract's
    credit available, the credit hold's exposure, the statement's closing
    balance and overdue amount, the aging and the reminder's overdue amount
    agree with each other and with the journal items of the ledger."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = cls.today
        # A key account shared between the companies (no company).
        cls.customer = cls._create_key_account("共享客户集团有限公司", company_id=False)
        cls.customer.with_company(
            cls.company
        ).property_account_receivable_id = cls.receivable
        cls.branch = cls.env["res.partner"].create(
            {"name": "共享客户集团 上海分公司", "parent_id": cls.customer.id}
        )
        cls.contract = cls._create_credit_contract(
            cls.customer, credit_limit=1000000.0, credit_overdue_grace_days=60
        )
        cls.order = cls._create_order([3])
        cls.order.action_confirm()
        cls.usd = cls.env.ref("base.USD")
        cls.usd.active = True
        cls.env["res.currency.rate"].create(
            [
                # 1 USD = 7 CNY on the invoice date, 8 CNY today
                {
                    "currency_id": cls.usd.id,
                    "company_id": cls.company.id,
                    "name": today - timedelta(days=40),
                    "rate": 1 / 7,
                },
                {
                    "currency_id": cls.usd.id,
                    "company_id": cls.company.id,
                    "name": today,
                    "rate": 1 / 8,
                },
            ]
        )
        # 5,000 due 45 days ago, 2,000 of it paid: 3,000 overdue (31-60)
        cls.overdue = cls._move(
            cls.customer, 5000.0, today - timedelta(days=60), today - timedelta(45)
        )
        cls._pay(cls.customer, 2000.0, today - timedelta(days=20), cls.overdue)
        # 1,000 USD at 7 CNY, not due: 7,000
        cls.usd_invoice = cls._move(
            cls.customer,
            1000.0,
            today - timedelta(days=40),
            today + timedelta(days=20),
            currency=cls.usd,
        )
        # billed to the branch, due 5 days ago: 4,000 overdue (1-30)
        cls.branch_invoice = cls._move(
            cls.branch, 4000.0, today - timedelta(days=35), today - timedelta(5)
        )
        # a credit note not reconciled yet: -500 (1-30, its own date)
        cls.credit_note = cls._move(
            cls.customer, 500.0, today - timedelta(days=3), move_type="out_refund"
        )
        # The second company: its own ledger, invisible to the first's
        cls.company_2 = cls.env["res.company"].create(
            {"name": "KA Second Distributor", "currency_id": cls.company.currency_id.id}
        )
        cls.env.user.company_ids |= cls.company_2
        Account = cls.env["account.account"].with_company(cls.company_2)
        receivable_2 = Account.create(
            {
                "name": "KA Receivable 2",
                "code": "112288",
                "account_type": "asset_receivable",
                "reconcile": True,
            }
        )
        income_2 = Account.create(
            {"name": "KA Sales 2", "code": "600188", "account_type": "income"}
        )
        journal_2 = (
            cls.env["account.journal"]
            .with_company(cls.company_2)
            .create(
                {
                    "name": "KA Sales 2",
                    "code": "KAS2",
                    "type": "sale",
                    "company_id": cls.company_2.id,
                    "default_account_id": income_2.id,
                }
            )
        )
        cls.customer.with_company(
            cls.company_2
        ).property_account_receivable_id = receivable_2
        cls._move(
            cls.customer,
            99999.0,
            today - timedelta(days=100),
            today - timedelta(days=95),
            company=cls.company_2,
            journal=journal_2,
            account=income_2,
        )

    def _ledger(self, company):
        """The customer's figures summed from its journal items."""
        lines = (
            self.env["account.move.line"]
            .with_context(allowed_company_ids=(self.company | self.company_2).ids)
            .search(
                [
                    ("partner_id", "child_of", self.customer.id),
                    ("account_id.account_type", "=", "asset_receivable"),
                    ("parent_state", "=", "posted"),
                    ("company_id", "=", company.id),
                    ("date", "<=", self.today),
                ]
            )
        )
        return {
            "balance": sum(lines.mapped("balance")),
            "open": sum(lines.mapped("amount_residual")),
            "overdue": sum(
                line.amount_residual
                for line in lines
                if line.amount_residual > 0
                and (line.date_maturity or line.date) < self.today
            ),
        }

    def test_figures_agree_with_each_other_and_the_ledger(self):
        ledger = self._ledger(self.company)
        self.assertAlmostEqual(ledger["balance"], 3000 + 7000 + 4000 - 500)
        self.assertAlmostEqual(ledger["open"], ledger["balance"])
        self.assertAlmostEqual(ledger["overdue"], 3000 + 4000)
        uninvoiced = self.order.amount_total
        self.assertTrue(uninvoiced)

        # the contract (the portal's contract page and auto-approval)
        self.contract.invalidate_recordset()
        self.assertAlmostEqual(
            self.contract.credit_limit - self.contract.credit_available,
            ledger["open"] + uninvoiced,
        )
        # the credit hold
        draft = self._create_order([1])
        exposure = draft._key_account_credit_exposure()[self.contract.id]
        self.assertAlmostEqual(exposure["receivable"], ledger["open"])
        self.assertAlmostEqual(exposure["uninvoiced"], uninvoiced)
        self.assertAlmostEqual(
            exposure["credit_available"], self.contract.credit_available
        )
        # the statement of the month to date
        statement = self.env["key.account.statement"]._compute_statement_values(
            self.company, self.customer, self.today.replace(day=1), self.today
        )[self.customer.id]
        self.assertAlmostEqual(statement["closing_balance"], ledger["balance"])
        self.assertAlmostEqual(statement["overdue_amount"], ledger["overdue"])
        self.assertAlmostEqual(
            statement["opening_balance"]
            + statement["invoice_amount"]
            - statement["credit_note_amount"]
            - statement["payment_amount"],
            statement["closing_balance"],
        )
        # the aging, at the date and in the report (as of today)
        Aging = self.env["key.account.aging.report"]
        aging = Aging._get_aging(self.today, partners=self.customer)
        figures = aging[self.customer.id, self.company.id]
        self.assertAlmostEqual(figures["total"], ledger["open"])
        self.assertEqual(
            (figures["not_due"], figures["1_30"], figures["31_60"]),
            (7000.0, 4000.0 - 500.0, 3000.0),
        )
        rows = Aging.search(
            [
                ("partner_id", "=", self.customer.id),
                ("company_id", "=", self.company.id),
            ]
        )
        self.assertAlmostEqual(sum(rows.mapped("amount_residual")), ledger["open"])
        # the overdue reminder
        customer = self.customer.with_company(self.company)
        self.assertAlmostEqual(
            customer._key_account_overdue_amount(), ledger["overdue"]
        )
        self.assertEqual(
            customer._key_account_overdue_invoices(),
            self.overdue | self.branch_invoice,
        )
        candidates = self.env["res.partner"]._key_account_reminder_candidates(
            self.today
        )
        self.assertIn(self.customer.id, candidates[self.company.id])

    def test_second_company_counts_its_own_ledger(self):
        ledger = self._ledger(self.company_2)
        self.assertAlmostEqual(ledger["balance"], 99999.0)
        Balance = self.env["key.account.customer.balance"]
        figures = Balance._get_balances(
            self.customer, self.company | self.company_2, self.today, ledger=True
        )
        self.assertAlmostEqual(
            figures[self.customer.id, self.company_2.id]["balance"], 99999.0
        )
        self.assertAlmostEqual(
            figures[self.customer.id, self.company_2.id]["over_90"], 99999.0
        )
        self.assertAlmostEqual(
            figures[self.customer.id, self.company.id]["balance"],
            self._ledger(self.company)["balance"],
        )
        statement = self.env["key.account.statement"]._compute_statement_values(
            self.company_2, self.customer, self.today.replace(day=1), self.today
        )[self.customer.id]
        self.assertAlmostEqual(statement["closing_balance"], 99999.0)
        aging = self.env["key.account.aging.report"]._get_aging(
            self.today, partners=self.customer
        )
        self.assertAlmostEqual(
            aging[self.customer.id, self.company_2.id]["total"], 99999.0
        )
        customer = self.customer.with_company(self.company_2)
        self.assertAlmostEqual(customer._key_account_overdue_amount(), 99999.0)
        candidates = self.env["res.partner"]._key_account_reminder_candidates(
            self.today
        )
        self.assertIn(self.customer.id, candidates[self.company_2.id])

    def test_contract_in_another_currency_and_company(self):
        """A contract of the second company in dollars: what the customer owes
        there (only there), at today's rate."""
        self.env["res.currency.rate"].create(
            {
                "currency_id": self.usd.id,
                "company_id": self.company_2.id,
                "name": self.today,
                "rate": 1 / 8,
            }
        )
        contract = (
            self.env["key.account.contract"]
            .with_company(self.company_2)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company_2.id,
                    "currency_id": self.usd.id,
                    "credit_limit": 20000.0,
                    "date_start": self.today - timedelta(days=1),
                    "date_end": self.today + timedelta(days=365),
                }
            )
        )
        self.assertAlmostEqual(
            contract.credit_available, 20000.0 - 99999.0 / 8, delta=0.01
        )

    def test_credit_hold_agrees_with_credit_available(self):
        """An order is held exactly when its total exceeds the contract's
        credit available, and the hold's message shows the open invoices of
        the ledger."""
        draft = self._create_order([1])
        self.contract.invalidate_recordset()
        room = self.contract.credit_available
        self.contract.credit_limit -= room - draft.amount_total + 0.01
        self.contract.invalidate_recordset()
        self.assertAlmostEqual(
            self.contract.credit_available, draft.amount_total - 0.01
        )
        reason = draft._key_account_credit_hold_reasons()[draft]
        self.assertIn(
            format_amount(
                self.env, self._ledger(self.company)["open"], self.company.currency_id
            ),
            reason,
        )
        self.assertTrue(draft._key_account_review_blockers()[draft])
        self.contract.credit_limit += 0.02
        self.assertFalse(draft._key_account_credit_hold_reasons())
        self.assertFalse(draft._key_account_review_blockers()[draft])

    def test_a_later_payment_does_not_change_the_past(self):
        """As of a date, what the customer owed then: a payment dated later
        does not count, at that date, in any of the figures."""
        Balance = self.env["key.account.customer.balance"]
        before = self.today - timedelta(days=1)
        owed = Balance._get_balances(self.customer, self.company, before, ledger=True)[
            self.customer.id, self.company.id
        ]
        self._pay(self.customer, 4000.0, self.today, self.branch_invoice)
        after = Balance._get_balances(self.customer, self.company, before, ledger=True)[
            self.customer.id, self.company.id
        ]
        for figure in ("balance", "open", "overdue", "1_30", "31_60"):
            self.assertAlmostEqual(after[figure], owed[figure], msg=figure)
        statement = self.env["key.account.statement"]._compute_statement_values(
            self.company, self.customer, before.replace(day=1), before
        )[self.customer.id]
        self.assertAlmostEqual(statement["overdue_amount"], owed["overdue"])
        today = Balance._get_balances(self.customer, self.company, self.today)[
            self.customer.id, self.company.id
        ]
        self.assertAlmostEqual(today["overdue"], 3000.0)


@tagged("post_install", "-at_install")
class TestCustomerBalanceScaling(KeyAccountBalanceCommon):
    """The figures of many customers cost the queries of one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env["res.partner"]
        cls.contracts = cls.env["key.account.contract"]
        for index in range(5):
            partner = cls._create_key_account(f"规模客户 {index}")
            partner.with_company(
                cls.company
            ).property_account_receivable_id = cls.receivable
            cls.contracts |= cls._create_credit_contract(partner, credit_limit=1e6)
            cls.customers |= partner
            for day in range(index + 1):
                invoice = cls._post_invoice(
                    100.0 * (day + 1),
                    cls.today - timedelta(days=10 * day),
                    partner=partner,
                )
            cls._pay(partner, 50.0, cls.today, invoice)

    def _queries(self, call):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        call()
        return self.env.cr.sql_log_count - before

    def test_queries_do_not_grow_with_customers(self):
        Balance = self.env["key.account.customer.balance"]
        Aging = self.env["key.account.aging.report"]
        calls = {
            "balances": lambda records: Balance._get_balances(
                records, self.company, ledger=True
            ),
            "open items": lambda records: Balance._get_open_items(
                records, self.company
            ),
            "aging": lambda records: Aging._get_aging(self.today, records),
            "statement": lambda records: self.env[
                "key.account.statement"
            ]._compute_statement_values(
                self.company, records, self.today.replace(day=1), self.today
            ),
        }
        for name, call in calls.items():
            call(self.customers[:1])  # warm-up
            one = self._queries(lambda call=call: call(self.customers[:1]))
            five = self._queries(lambda call=call: call(self.customers))
            self.assertEqual(one, five, f"{name}: 1 customer {one}, 5 customers {five}")
        one = self._queries(lambda: self.contracts[:1].mapped("credit_available"))
        five = self._queries(lambda: self.contracts.mapped("credit_available"))
        self.assertEqual(one, five, f"contract credit: {one} vs {five}")
        figures = Balance._get_balances(self.customers, self.company, ledger=True)
        self.assertEqual(
            [figures[p.id, self.company.id]["open_count"] for p in self.customers],
            [1, 2, 3, 4, 5],
        )
