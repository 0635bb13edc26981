# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Finding 6: the products a contract allows, enforced where order lines are
made in the back office (and over RPC) and by the confirmation gate."""

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import give_key_account_price
from .test_import import KeyAccountImportCommon


@tagged("post_install", "-at_install")
class TestContractProducts(KeyAccountImportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The gift box has a key-account price, the tea box has none.
        give_key_account_price(cls.env, cls.product)
        cls.tier_item = cls.env.ref(
            "key_account_contract.pricelist_key_account"
        ).item_ids.filtered(
            lambda item: item.product_tmpl_id == cls.product.product_tmpl_id
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
        cls.salesman = new_test_user(
            cls.env,
            login="ka_contract_products_salesman",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def _assert_refused(self, error):
        message = error.exception.args[0]
        for fragment in (
            self.product_tea.display_name,
            self.contract.name,
            "key-account price",
            "remove the contract",
        ):
            self.assertIn(fragment, message)

    def test_back_office_line_create_refused(self):
        order = self._create_order()
        self.assertEqual(order.key_account_contract_id, self.contract)
        with self.assertRaises(ValidationError) as error:
            order.write(
                {
                    "order_line": [
                        Command.create({"product_id": self.product_tea.id}),
                    ]
                }
            )
        self._assert_refused(error)
        self.assertFalse(order.order_line)
        order.write({"order_line": [Command.create({"product_id": self.product.id})]})
        self.assertEqual(order.order_line.product_id, self.product)

    def test_back_office_line_product_change_refused(self):
        order = self._create_order(
            order_line=[Command.create({"product_id": self.product.id})]
        )
        with self.assertRaises(ValidationError) as error:
            order.order_line.product_id = self.product_tea
        self._assert_refused(error)

    def test_rpc_create_of_a_line_refused(self):
        order = self._create_order(user_id=self.salesman.id)
        Line = self.env["sale.order.line"].with_user(self.salesman)
        with self.assertRaises(ValidationError) as error:
            Line.create({"order_id": order.id, "product_id": self.product_tea.id})
        self._assert_refused(error)
        # as superuser too: sudo() is how the portal writes
        with self.assertRaises(ValidationError):
            Line.sudo().create(
                {"order_id": order.id, "product_id": self.product_tea.id}
            )
        Line.create({"order_id": order.id, "product_id": self.product.id})

    def test_no_rule_without_contract_sections_and_notes(self):
        order = self._create_order(key_account_contract_id=False)
        order.write(
            {
                "order_line": [
                    Command.create({"product_id": self.product_tea.id}),
                    Command.create({"display_type": "line_note", "name": "端午"}),
                ]
            }
        )
        self.assertEqual(len(order.order_line), 2)

    def test_product_discount_line_allows_a_product(self):
        draft = self.env["key.account.contract"].create(
            {
                "partner_id": self._create_key_account("合同折扣客户").id,
                "company_id": self.company.id,
                "date_start": self.contract.date_start,
                "date_end": self.contract.date_end,
                "discount_line_ids": [
                    Command.create({"product_id": self.product_tea.id, "discount": 5})
                ],
            }
        )
        allowed = draft._key_account_allowed_products(self.product | self.product_tea)
        self.assertEqual(allowed, self.product | self.product_tea)
        self.assertEqual(
            self.contract._key_account_allowed_products(
                self.product | self.product_tea
            ),
            self.product,
        )

    def test_gate_refuses_an_order_whose_contract_changed(self):
        """The lines were made while the contract allowed them; the
        key-account price is gone since: refused before confirmation."""
        order = self._create_allocated_order()
        self.assertEqual(order.key_account_contract_id, self.contract)
        self.assertFalse(order._key_account_contract_product_reasons())
        self.tier_item.unlink()
        reasons = order._key_account_contract_product_reasons()
        self.assertEqual(list(reasons), [order])
        self.assertIn(self.product.display_name, " ".join(reasons[order]))
        self.assertIn(self.contract.name, " ".join(reasons[order]))
        with self.assertRaisesMessage(
            UserError, order.name, self.product.display_name, self.contract.name
        ):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_review_pool_says_why_and_auto_approval_refuses(self):
        self.company.key_account_review_auto_approve = True
        order = self._create_allocated_order()
        self.tier_item.unlink()
        self.assertIn(
            self.product.display_name,
            " ".join(order._key_account_review_blockers()[order]),
        )
        order.action_key_account_submit_review()
        self.assertEqual(order.state, "draft", "not confirmed at the list price")
        self.assertEqual(order.key_account_review_state, "pending")
        self.assertIn("not part of contract", order.key_account_review_note)
        self.assertIn(self.product.display_name, order.key_account_review_note)
        # the review pool shows it, as long as it holds
        order.invalidate_recordset(["key_account_confirm_blockers"])
        self.assertIn(self.product.display_name, order.key_account_confirm_blockers)
        give_key_account_price(self.env, self.product)
        order.invalidate_recordset(["key_account_confirm_blockers"])
        self.assertFalse(order.key_account_confirm_blockers)
