# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import date

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.key_account_contract.tests.common import KeyAccountContractCommon


class KeyAccountStatementCommon(KeyAccountContractCommon):
    """Accounts and journals of ``cls.company`` (the test database has no
    chart of accounts), an accountant, and helpers posting invoices, credit
    notes and payments of key accounts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Account = cls.env["account.account"].with_company(cls.company)
        cls.receivable = Account.create(
            {
                "name": "KA Receivable",
                "code": "112201",
                "account_type": "asset_receivable",
                "reconcile": True,
            }
        )
        cls.income = Account.create(
            {"name": "KA Sales", "code": "600101", "account_type": "income"}
        )
        cls.bank_account = Account.create(
            {
                "name": "KA Bank Statement",
                "code": "100201",
                "account_type": "asset_cash",
            }
        )
        Journal = cls.env["account.journal"]
        cls.sale_journal = Journal.create(
            {
                "name": "KA Customer Invoices",
                "code": "KAINV",
                "type": "sale",
                "company_id": cls.company.id,
                "default_account_id": cls.income.id,
            }
        )
        cls.payment_journal = Journal.create(
            {
                "name": "KA Receipts",
                "code": "KARCP",
                "type": "general",
                "company_id": cls.company.id,
            }
        )
        cls.accountant = new_test_user(
            cls.env,
            login="ka_statement_accountant",
            name="KA Statement Accountant",
            groups="account.group_account_invoice,base.group_partner_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        # a fixed month in the past: September 2026
        cls.date_from = date(2026, 9, 1)
        cls.date_to = date(2026, 9, 30)

    @classmethod
    def _create_customer(cls, name, **vals):
        partner = cls._create_key_account(name, **vals)
        partner.with_company(
            cls.company
        ).property_account_receivable_id = cls.receivable
        return partner

    @classmethod
    def _invoice_vals(cls, partner, day, amount, due=None, move_type="out_invoice"):
        return {
            "move_type": move_type,
            "partner_id": partner.id,
            "company_id": cls.company.id,
            "journal_id": cls.sale_journal.id,
            "invoice_date": day,
            "date": day,
            "invoice_date_due": due or day,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": "KA Tea Gift Box",
                        "quantity": 1,
                        "price_unit": amount,
                        "account_id": cls.income.id,
                        "tax_ids": [],
                    }
                )
            ],
        }

    @classmethod
    def _invoice(
        cls, partner, day, amount, due=None, move_type="out_invoice", post=True
    ):
        move = cls.env["account.move"].create(
            cls._invoice_vals(partner, day, amount, due=due, move_type=move_type)
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _payment(cls, partner, day, amount, invoices=None):
        """A receipt of ``amount`` booked on ``day``, reconciled with
        ``invoices`` when given."""
        move = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": cls.payment_journal.id,
                "company_id": cls.company.id,
                "date": day,
                "ref": f"Receipt {partner.name}",
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
        if invoices:
            (move.line_ids + invoices.line_ids).filtered(
                lambda line: line.account_id == cls.receivable and not line.reconciled
            ).reconcile()
        return move

    def _ledger_balance(self, partner, date_to):
        """The customer's receivable balance in the ledger at ``date_to``."""
        lines = self.env["account.move.line"].search(
            [
                ("partner_id", "child_of", partner.id),
                ("account_id.account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("company_id", "=", self.company.id),
                ("date", "<=", date_to),
            ]
        )
        return sum(lines.mapped("balance"))

    def _generate(self, partners=None, date_from=None, date_to=None, user=None):
        Statement = self.env["key.account.statement"]
        if user:
            Statement = Statement.with_user(user)
        return Statement._generate(
            self.company,
            date_from or self.date_from,
            date_to or self.date_to,
            partners=partners,
        )
