# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import psycopg2

from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from .common import KeyAccountBaseCommon


class TestKeyAccountCode(KeyAccountBaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "KA Company B"})

    def test_code_from_sequence(self):
        partners = self.env["res.partner"].create(
            [self._key_account_vals(f"Coded {i}") for i in range(3)]
        )
        codes = partners.mapped("key_account_code")
        self.assertEqual(len(set(codes)), 3)
        self.assertTrue(all(code.startswith("KA") for code in codes))
        plain = self.env["res.partner"].create({"name": "Not a key account"})
        self.assertFalse(plain.key_account_code)

    def test_code_unique_per_company(self):
        first = self._create_key_account(name="Code Holder")
        second = self._create_key_account(name="Code Taker")
        with self.assertRaisesMessage(ValidationError, "Code Holder"):
            second.key_account_code = first.key_account_code
        other = self._create_key_account(
            name="Other Company Customer", company_id=self.company_b.id
        )
        other.key_account_code = first.key_account_code
        self.assertEqual(other.key_account_code, first.key_account_code)

    def test_code_unique_index(self):
        first = self._create_key_account(name="Index Holder")
        second = self._create_key_account(name="Index Taker")
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "UPDATE res_partner SET key_account_code = %s WHERE id = %s",
                (first.key_account_code, second.id),
            )

    def test_company_specific_sequence(self):
        self.env["ir.sequence"].create(
            {
                "name": "Company B customer codes",
                "code": "key_account.customer_code",
                "prefix": "KB",
                "padding": 4,
                "company_id": self.company_b.id,
            }
        )
        partner_b = self._create_key_account(
            name="Company B Customer", company_id=self.company_b.id
        )
        partner_a = self._create_key_account(name="Company A Customer")
        self.assertEqual(partner_b.key_account_code, "KB0001")
        self.assertTrue(partner_a.key_account_code.startswith("KA"))

    def test_code_not_copied(self):
        partner = self._create_key_account(name="Original")
        copy = partner.copy({"company_registry": False})
        self.assertNotEqual(copy.key_account_code, partner.key_account_code)
        self.assertFalse(copy.is_key_account)
