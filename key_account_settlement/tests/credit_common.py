# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import Command, fields

from odoo.addons.key_account_order.tests.common import KeyAccountOrderCommon


class KeyAccountCreditCommon(KeyAccountOrderCommon):
    """Fixtures of the receivables tests: the order engine's key account and
    product, an active contract, and the accounts and sale journal to post
    real customer invoices (the test database has no chart of accounts)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.company.ids)
        )
        cls.today = fields.Date.context_today(cls.env.user)
        Account = cls.env["account.account"].with_company(cls.company)
        cls.receivable = Account.create(
            {
                "name": "KA Receivable",
                "code": "112299",
                "account_type": "asset_receivable",
                "reconcile": True,
            }
        )
        cls.income = Account.create(
            {"name": "KA Sales", "code": "600199", "account_type": "income"}
        )
        cls.sale_journal = cls.env["account.journal"].create(
            {
                "name": "KA Sales",
                "code": "KASJ",
                "type": "sale",
                "company_id": cls.company.id,
                "default_account_id": cls.income.id,
            }
        )
        cls.customer.with_company(
            cls.company
        ).property_account_receivable_id = cls.receivable
        cls.contract = cls._create_credit_contract(cls.customer)

    @classmethod
    def _create_credit_contract(cls, partner, **vals):
        contract = cls.env["key.account.contract"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "date_start": cls.today - timedelta(days=1),
                "date_end": cls.today + timedelta(days=365),
                **vals,
            }
        )
        contract.action_confirm()
        return contract

    @classmethod
    def _post_invoice(cls, amount, due, partner=None, invoice_date=None):
        """Post a customer invoice of ``amount`` (untaxed, no tax) due on
        ``due``."""
        partner = partner or cls.customer
        invoice = (
            cls.env["account.move"]
            .with_company(cls.company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "company_id": cls.company.id,
                    "journal_id": cls.sale_journal.id,
                    "invoice_date": invoice_date or min(due, cls.today),
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "端午礼盒",
                                "quantity": 1,
                                "price_unit": amount,
                                "account_id": cls.income.id,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        return invoice
