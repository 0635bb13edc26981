# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Record rules of allocations and delivery batches follow sale's
own-documents rule and the multi-company rule, and every role that can open
an order can open what its form shows."""

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import Form, new_test_user, tagged

from .common import KeyAccountOrderCommon


@tagged("post_install", "-at_install")
class TestOrderAccess(KeyAccountOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()

        def user(login, groups):
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
            )

        cls.salesman_own = user("ka_acc_own", "sales_team.group_sale_salesman")
        cls.salesman_other = user("ka_acc_other", "sales_team.group_sale_salesman")
        cls.salesman_all = user(
            "ka_acc_all", "sales_team.group_sale_salesman_all_leads"
        )
        cls.stock_user = user("ka_acc_stock", "base.group_user,stock.group_stock_user")
        cls.invoicing = user(
            "ka_acc_invoicing", "base.group_user,account.group_account_invoice"
        )
        cls.auditor = user(
            "ka_acc_auditor", "base.group_user,account.group_account_readonly"
        )
        today = fields.Date.context_today(cls.env.user)
        cls.contract = cls.env["key.account.contract"].create(
            {
                "partner_id": cls.customer.id,
                "company_id": cls.company.id,
                "date_start": today - relativedelta(days=1),
                "date_end": today + relativedelta(years=1),
            }
        )
        cls.contract.action_confirm()
        cls.address = cls.env["res.partner"].create(
            {"name": "销售部收货点", "parent_id": cls.customer.id, "type": "delivery"}
        )
        cls.own_order = cls._create_order(
            [1, 2],
            departments=["销售部", "销售部"],
            user_id=cls.salesman_own.id,
            key_account_delivery_grouping="department",
            key_account_batch_ids=[
                Command.create({"name": "销售部", "partner_id": cls.address.id})
            ],
        )
        cls.other_order = cls._create_order([3], user_id=cls.salesman_other.id)
        cls.own_order.action_confirm()
        cls.other_order.action_confirm()
        # An order of another company: hidden by the multi-company rule.
        cls.company_b = cls.env["res.company"].create({"name": "KA Other Company"})
        cls.env.user.company_ids |= cls.company_b
        cls.salesman_all.company_ids |= cls.company_b
        warehouse_b = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_b.id)], limit=1
        )
        customer_b = cls.env["res.partner"].create({"name": "Other Customer"})
        product_b = cls.env["product.product"].create(
            {"name": "Other Gift", "type": "consu", "company_id": cls.company_b.id}
        )
        cls.order_b = (
            cls.env["sale.order"]
            .with_company(cls.company_b)
            .create(
                {
                    "partner_id": customer_b.id,
                    "company_id": cls.company_b.id,
                    "warehouse_id": warehouse_b.id,
                    "order_line": [
                        Command.create(
                            {"product_id": product_b.id, "product_uom_qty": 1}
                        )
                    ],
                }
            )
        )
        recipient_b = cls.env["res.partner"].create(
            {"name": "Recipient B", "company_id": cls.company_b.id}
        )
        cls.allocation_b = (
            cls.env["key.account.allocation"]
            .with_company(cls.company_b)
            .create(
                {
                    "order_line_id": cls.order_b.order_line.id,
                    "recipient_id": recipient_b.id,
                    "quantity": 1,
                }
            )
        )
        cls.orders = cls.own_order | cls.other_order | cls.order_b

    def _visible(self, user, model):
        return (
            self.env[model]
            .with_user(user)
            .with_context(allowed_company_ids=user.company_ids.ids)
            .search([("order_id", "in", self.orders.ids)])
        )

    def test_salesman_own_documents_sees_own_recipients_only(self):
        allocations = self._visible(self.salesman_own, "key.account.allocation")
        self.assertEqual(allocations.order_id, self.own_order)
        batches = self._visible(self.salesman_own, "key.account.delivery.batch")
        self.assertEqual(batches.order_id, self.own_order)
        self.assertFalse(
            self._visible(self.salesman_other, "key.account.delivery.batch")
        )
        self.assertEqual(
            self._visible(self.salesman_other, "key.account.allocation").order_id,
            self.other_order,
        )

    def test_salesman_all_documents_sees_all_of_allowed_companies(self):
        allocations = self._visible(self.salesman_all, "key.account.allocation")
        self.assertEqual(allocations.order_id, self.orders)
        single_company = (
            self.env["key.account.allocation"]
            .with_user(self.salesman_all)
            .with_context(allowed_company_ids=self.company.ids)
            .search([("order_id", "in", self.orders.ids)])
        )
        self.assertEqual(single_company.order_id, self.own_order | self.other_order)

    def test_stock_and_invoicing_users_see_recipients(self):
        for user in (self.stock_user, self.invoicing, self.auditor):
            allocations = self._visible(user, "key.account.allocation")
            self.assertEqual(
                allocations.order_id, self.own_order | self.other_order, user.login
            )

    def _open_order_form(self, user, order):
        form = Form(order.with_user(user))
        self.assertEqual(form.key_account_contract_id, self.contract)
        self.assertEqual(len(form.key_account_allocation_ids), 2)
        self.assertEqual(len(form.key_account_batch_ids), 1)
        # What the embedded lists show, and the deliveries smart button.
        order = order.with_user(user)
        order.key_account_allocation_ids.read(
            ["recipient_id", "picking_id", "qty_delivered", "acceptance_state"]
        )
        order.key_account_batch_ids.read(["name", "partner_id"])
        self.assertTrue(order.picking_ids.read(["name", "state"]))
        order.key_account_contract_id.read(["name", "state", "discount"])

    def test_every_role_opens_the_order_form(self):
        for user in (
            self.salesman_own,
            self.salesman_all,
            self.ka_user,
            self.ka_manager,
            self.stock_user,
            self.invoicing,
            self.auditor,
        ):
            if user == self.ka_user:
                self.own_order.user_id = self.ka_user
            with self.subTest(user=user.login):
                self._open_order_form(user, self.own_order)
