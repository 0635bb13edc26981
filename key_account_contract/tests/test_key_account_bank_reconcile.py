# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Reviewed bank accounts and bank reconciliation: an accountant reconciling a
payment that came from a new account of a reviewed key account records that
account (core's ``_find_or_create_bank_account``); the key-account team is told.
Changing or removing reviewed accounts stays with Key Account Managers."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import KeyAccountContractCommon


@tagged("post_install", "-at_install")
class TestKeyAccountBankReconcile(KeyAccountContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_key_account("Bank Reconcile Co")
        cls.accountant = new_test_user(
            cls.env,
            login="ka_bank_accountant",
            groups="account.group_account_user,base.group_partner_manager",
            company_id=cls.company.id,
        )
        Account = cls.env["account.account"]
        cls.journal = cls.env["account.journal"].create(
            {
                "name": "KA Bank",
                "code": "KABK",
                "type": "bank",
                "company_id": cls.company.id,
                "default_account_id": Account.create(
                    {"name": "KA Bank", "code": "100299", "account_type": "asset_cash"}
                ).id,
                "suspense_account_id": Account.create(
                    {
                        "name": "KA Suspense",
                        "code": "100298",
                        "account_type": "asset_current",
                    }
                ).id,
            }
        )

    def test_accountant_reconciling_records_the_payer_account(self):
        line = (
            self.env["account.bank.statement.line"]
            .with_user(self.accountant)
            .create(
                {
                    "journal_id": self.journal.id,
                    "partner_id": self.customer.id,
                    "amount": 1000.0,
                    "payment_ref": "KA payment",
                    "account_number": "6222 8888 0001",
                }
            )
        )
        line._find_or_create_bank_account()
        bank = self.customer.bank_ids.filtered(
            lambda b: b.acc_number == "6222 8888 0001"
        )
        self.assertTrue(bank, "the payer's account is recorded on the customer")
        self.assertTrue(
            self.customer.message_ids.filtered(
                lambda m: "6222 8888 0001" in m.body and "review" in m.body
            ),
            "the key-account team is told of the new account",
        )
        # recording is all an accountant may do with reviewed accounts
        with self.assertRaisesMessage(AccessError, "Bank Reconcile Co"):
            bank.with_user(self.accountant).acc_number = "6222 8888 0002"
        with self.assertRaisesMessage(AccessError, "Bank Reconcile Co"):
            bank.with_user(self.accountant).unlink()

    def test_key_account_user_still_refused(self):
        with self.assertRaisesMessage(AccessError, "Bank Reconcile Co"):
            self.env["res.partner.bank"].with_user(self.ka_user).create(
                {"partner_id": self.customer.id, "acc_number": "6222 8888 0003"}
            )
