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
                "implementation": "no_gap",
                "company_id": self.company_b.id,
            }
        )
        partners_b = self.env["res.partner"].create(
            [
                self._key_account_vals(f"Company B Customer {i}", company_id=cid)
                for i, cid in enumerate([self.company_b.id] * 2)
            ]
        )
        partner_a = self._create_key_account(name="Company A Customer")
        self.assertEqual(partners_b.mapped("key_account_code"), ["KB0001", "KB0002"])
        self.assertTrue(partner_a.key_account_code.startswith("KA"))

    def test_name_search_by_code(self):
        partner = self._create_key_account(name="Searchable Customer")
        found = self.env["res.partner"].name_search(partner.key_account_code)
        self.assertEqual([row[0] for row in found], partner.ids)

    def test_code_not_copied(self):
        partner = self._create_key_account(name="Original")
        copy = partner.copy({"company_registry": False})
        self.assertNotEqual(copy.key_account_code, partner.key_account_code)
        self.assertFalse(copy.is_key_account)

    def _create_queries(self, vals_list):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        self.env["res.partner"].create(vals_list)
        self.env.flush_all()
        return self.env.cr.sql_log_count - start

    def test_batch_create_queries_do_not_grow_per_key_account(self):
        """Creating key accounts in batch costs no more queries per record than
        creating plain companies (codes drawn in one query, checks batched)."""

        def plain(count, tag):
            return [
                {"name": f"Plain {tag} {i}", "is_company": True} for i in range(count)
            ]

        def key_accounts(count, tag):
            return [
                self._key_account_vals(f"KA {tag} {i}", bank_ids=False)
                for i in range(count)
            ]

        for make in (plain, key_accounts):  # warm the caches
            self._create_queries(make(2, "warm-up"))
        plain_growth = self._create_queries(plain(25, "b")) - self._create_queries(
            plain(5, "a")
        )
        key_account_growth = self._create_queries(
            key_accounts(25, "b")
        ) - self._create_queries(key_accounts(5, "a"))
        self.assertLessEqual(key_account_growth, plain_growth + 2)
