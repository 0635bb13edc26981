# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Every role that can open a contract can read what its form shows (issue 8,
finding 9: a salesman opening the contract of an order got an AccessError on
its rebate tiers)."""

from odoo import Command
from odoo.tests import Form, new_test_user, tagged

from .common import KeyAccountContractCommon

ROLES = {
    "salesman": "sales_team.group_sale_salesman",
    "ka_user": "key_account_base.key_account_group_user",
    "ka_manager": "key_account_base.key_account_group_manager",
    "invoicing": "account.group_account_invoice",
    "auditor": "account.group_account_readonly",
    "accountant": "account.group_account_user",
}
# roles that open the contract's invoices
INVOICE_ROLES = ("invoicing", "auditor", "accountant")


@tagged("post_install", "-at_install")
class TestContractFormAccess(KeyAccountContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company, install_demo=False
        )
        (cls.product_a | cls.product_b).taxes_id = False
        cls.users = {
            role: new_test_user(
                cls.env,
                login=f"ka_test_form_{role}",
                groups=groups,
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
            )
            for role, groups in ROLES.items()
        }
        cls.customer = cls._create_key_account("KA Form Access Customer")
        cls.contract = cls._create_contract(
            cls.customer,
            credit_limit=5000.0,
            discount_line_ids=[
                Command.create({"categ_id": cls.categ_a.id, "discount": 20.0}),
                Command.create({"product_id": cls.product_b.id, "discount": 5.0}),
            ],
            rebate_tier_ids=[
                Command.create({"amount_from": 1000.0, "rate": 1.0}),
                Command.create({"amount_from": 5000.0, "rate": 2.0}),
            ],
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.users["salesman"].id,
                "company_id": cls.company.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.product_b.id, "product_uom_qty": 2}
                    )
                ],
            }
        )
        cls.order.action_confirm()
        cls.invoice = cls.order._create_invoices()
        cls.invoice.action_post()

    def _open_contract_form(self, user):
        form = Form(self.contract.with_user(user))
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(len(form.discount_line_ids), 2)
        self.assertEqual(len(form.rebate_tier_ids), 2)
        # the subfields of the lists were read as well
        self.assertEqual(
            sorted(tier["rate"] for tier in form.rebate_tier_ids._records), [1.0, 2.0]
        )
        self.assertEqual(
            sorted(line["discount"] for line in form.discount_line_ids._records),
            [5.0, 20.0],
        )
        self.assertEqual(form.amount_ordered, 76.0)

    def test_finding9_salesman_opens_contract_from_order(self):
        salesman = self.users["salesman"]
        order_form = Form(self.order.with_user(salesman))
        self.assertEqual(order_form.key_account_contract_id, self.contract)
        self._open_contract_form(salesman)

    def test_every_role_opens_the_contract_form(self):
        for role, user in self.users.items():
            with self.subTest(role=role):
                self._open_contract_form(user)

    def test_invoice_roles_open_the_invoice_form(self):
        for role in INVOICE_ROLES:
            with self.subTest(role=role):
                invoice_form = Form(self.invoice.with_user(self.users[role]))
                self.assertEqual(invoice_form.key_account_contract_id, self.contract)
                self._open_contract_form(self.users[role])
