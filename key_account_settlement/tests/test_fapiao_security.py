# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from .fapiao_common import KeyAccountFapiaoCommon


class TestFapiaoAuthority(KeyAccountFapiaoCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.move = cls._post(cls.customer, [(cls.product_a, 1, 100, cls.tax_13, 0)])
        cls.request = cls.Request.with_user(cls.accountant)._key_account_build(cls.move)
        cls.fapiao = cls.request.fapiao_ids

    def test_only_invoicing_users_build_and_export(self):
        other = self._post(self.customer, [(self.product_a, 1, 10, self.tax_13, 0)])
        with self.assertRaisesMessage(AccessError, "invoicing users"):
            self.Request.with_user(self.ka_manager)._key_account_build(other)
        with self.assertRaisesMessage(AccessError, "invoicing users"):
            self.request.with_user(self.ka_manager).action_export()
        with self.assertRaisesMessage(AccessError, "accounting managers"):
            self.request.with_user(self.accountant).action_void()
        self.assertEqual(self.request.state, "draft")

    def test_rpc_writes_refused(self):
        request = self.request.with_user(self.accountant)
        for vals in (
            {"state": "issued"},
            {"amount_total": 1},
            {"export_count": 0},
            {"invoice_ids": [Command.clear()]},
            {"buyer_tax_id": "X"},
        ):
            with self.assertRaises(AccessError):
                request.write(vals)
        fapiao = self.fapiao.with_user(self.accountant)
        for vals in (
            {"fapiao_number": "12345678901234567890"},
            {"state": "issued"},
            {"amount_tax": 0},
        ):
            with self.assertRaises(AccessError):
                fapiao.write(vals)
        with self.assertRaises(AccessError):
            fapiao.line_ids.write({"amount_untaxed": 1})
        with self.assertRaises(AccessError):
            self.Request.with_user(self.accountant).create(
                {
                    "partner_id": self.customer.id,
                    "fapiao_type": "vat_special",
                    "currency_id": self.company.currency_id.id,
                }
            )
        with self.assertRaises(AccessError):
            self.env["key.account.fapiao"].with_user(self.accountant).create(
                {"request_id": self.request.id, "serial": "X1"}
            )
        # the note is free
        request.write({"note": "合同号 KA-2026-01"})
        self.assertEqual(self.request.note, "合同号 KA-2026-01")
        self.assertEqual(self.fapiao.state, "draft")
        self.assertFalse(self.fapiao.fapiao_number)

    def test_another_company_sees_nothing(self):
        company_b = self.env["res.company"].create(
            {"name": "KA Other Seller", "currency_id": self.env.ref("base.CNY").id}
        )
        accountant_b = new_test_user(
            self.env,
            login="ka_fapiao_accountant_b",
            groups="account.group_account_invoice",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        env = self.env(
            user=accountant_b, context={"allowed_company_ids": company_b.ids}
        )
        self.assertFalse(env[self.Request._name].search([("id", "=", self.request.id)]))
        self.assertFalse(env["key.account.fapiao"].search([]))
        self.assertFalse(env["key.account.fapiao.line"].search([]))
