# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import KeyAccountContractCommon


@tagged("post_install", "-at_install")
class TestContractSecurity(KeyAccountContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_key_account("KA Rights Customer")

    def test_user_prepares_manager_decides(self):
        Contract = self.env["key.account.contract"].with_user(self.ka_user)
        contract = Contract.create(
            {
                "partner_id": self.customer.id,
                "date_start": self.today,
                "date_end": self.today.replace(year=self.today.year + 1),
                "discount": 5.0,
            }
        )
        contract.discount = 6.0
        self.assertEqual(contract.state, "draft")
        with self.assertRaises(AccessError):
            Contract.create(
                {
                    "partner_id": self.customer.id,
                    "date_start": self.today,
                    "date_end": self.today,
                    "state": "active",
                }
            )
        with self.assertRaises(AccessError):
            contract.action_confirm()
        with self.assertRaises(AccessError):
            contract.write({"state": "active"})
        self.assertEqual(contract.state, "draft")
        contract.with_user(self.ka_manager).action_confirm()
        self.assertEqual(contract.state, "active")
        with self.assertRaises(AccessError):
            contract.action_terminate()
        with self.assertRaises(AccessError):
            contract.unlink()
        contract.with_user(self.ka_manager).action_terminate()
        self.assertEqual(contract.state, "terminated")

    def test_multi_company_isolation(self):
        company2 = self.env["res.company"].create({"name": "KA Other Company"})
        self.env.user.company_ids |= company2
        customer2 = self._create_key_account("KA Company 2", company_id=company2.id)
        contract2 = self._create_contract(
            customer2, company_id=company2.id, payment_term_id=False
        )
        mine = self._create_contract(self.customer)
        Contract = self.env["key.account.contract"].with_user(self.ka_user)
        self.assertEqual(Contract.search([("id", "in", (mine | contract2).ids)]), mine)
        with self.assertRaises(AccessError):
            Contract.browse(contract2.id).read(["name"])
        self.assertEqual(contract2.pricelist_id.company_id, company2)
        user2 = new_test_user(
            self.env,
            login="ka_test_user_c2",
            groups="key_account_base.key_account_group_user",
            company_id=company2.id,
            company_ids=[Command.set(company2.ids)],
        )
        self.assertEqual(
            self.env["key.account.contract"]
            .with_user(user2)
            .with_context(allowed_company_ids=company2.ids)
            .search([("id", "in", (mine | contract2).ids)]),
            contract2,
        )
