# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .common import KeyAccountBaseCommon


class TestKeyAccountMultiCompany(KeyAccountBaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "KA Company B"})
        cls.manager_b = new_test_user(
            cls.env,
            login="ka_test_manager_b",
            groups="key_account_base.key_account_group_manager",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.partner_a = cls._create_key_account(name="Customer of A")
        cls.partner_b = cls._create_key_account(
            name="Customer of B", company_id=cls.company_b.id
        )

    def test_isolation(self):
        domain = [("is_key_account", "=", True), ("name", "like", "Customer of")]
        for user in (self.ka_user, self.ka_manager):
            found = self.env["res.partner"].with_user(user).search(domain)
            self.assertIn(self.partner_a, found)
            self.assertNotIn(self.partner_b, found)
            with self.assertRaises(AccessError):
                self.partner_b.with_user(user).read(["name"])
        found_b = self.env["res.partner"].with_user(self.manager_b).search(domain)
        self.assertEqual(found_b, self.partner_b)

    def test_created_in_current_company(self):
        partner = (
            self.env["res.partner"]
            .with_user(self.manager_b)
            .create(
                {
                    "name": "Made in B",
                    "is_company": True,
                    "is_key_account": True,
                }
            )
        )
        self.assertEqual(partner.company_id, self.company_b)
        self.assertEqual(partner.key_account_state, "draft")
