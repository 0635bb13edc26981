# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.tests import tagged

from .common import KeyAccountContractCommon


@tagged("post_install", "-at_install")
class TestContractPrice(KeyAccountContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_key_account("KA Price Customer")
        cls.categ_c = cls.env["product.category"].create({"name": "KA Other"})
        cls.product_c = cls.env["product.product"].create(
            {"name": "KA Pen", "categ_id": cls.categ_c.id, "list_price": 100.0}
        )
        cls.contract = cls._create_contract(
            cls.customer,
            discount=10.0,
            discount_line_ids=[
                Command.create({"categ_id": cls.categ_a.id, "discount": 20.0}),
                Command.create({"product_id": cls.product_b.id, "discount": 50.0}),
            ],
        )

    def _prices(self, contract=None):
        pricelist = (contract or self.contract).pricelist_id
        products = self.product_a | self.product_b | self.product_c
        prices = pricelist._get_products_price(products, 1.0)
        return [prices[p.id] for p in products]

    def test_price_tiers_on_product(self):
        member = self.env["product.pricelist"].create(
            {
                "name": "Members",
                "company_id": self.company.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": self.product_a.product_tmpl_id.id,
                            "compute_price": "fixed",
                            "fixed_price": 180.0,
                        }
                    )
                ],
            }
        )
        self.company.key_account_member_pricelist_id = member
        template = self.product_a.product_tmpl_id
        self.assertEqual(template.list_price, 200.0)
        self.assertEqual(template.key_account_member_price, 180.0)
        self.assertEqual(template.key_account_price, 160.0)
        # batch: all templates at once, no key-account item -> retail
        templates = (self.product_a | self.product_c).product_tmpl_id
        self.assertEqual(templates.mapped("key_account_price"), [160.0, 100.0])

    def test_contract_prices(self):
        # category line 20% on 160, product line 50% on 40, global 10% on 100
        self.assertEqual(self._prices(), [128.0, 20.0, 90.0])

    def test_sync_after_changes(self):
        line_a = self.contract.discount_line_ids.filtered("categ_id")
        line_a.discount = 25.0
        self.assertEqual(self._prices()[0], 120.0)
        self.contract.discount_line_ids.filtered("product_id").unlink()
        self.assertEqual(self._prices()[1], 36.0)
        self.contract.write(
            {
                "discount": 5.0,
                "discount_line_ids": [
                    Command.create({"product_id": self.product_c.id, "discount": 30.0})
                ],
            }
        )
        self.assertEqual(self._prices(), [120.0, 38.0, 70.0])
        # key-account price changes flow into the contract price
        self.ka_pricelist.item_ids.filtered(
            lambda i: i.product_tmpl_id == self.product_a.product_tmpl_id
        ).fixed_price = 200.0
        self.assertEqual(self._prices()[0], 150.0)

    def test_company_key_account_pricelist(self):
        """A company with its own key-account price tier: its products show
        that price and its contracts are based on it (rebased when the
        setting changes); the shared pricelist stays for the others."""
        own = self.env["product.pricelist"].create(
            {
                "name": "华东大客户价",
                "company_id": self.company.id,
                "currency_id": self.company.currency_id.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": self.product_a.product_tmpl_id.id,
                            "compute_price": "fixed",
                            "fixed_price": 150.0,
                        }
                    )
                ],
            }
        )
        template = self.product_a.product_tmpl_id
        self.assertEqual(template.key_account_price, 160.0)
        self.assertEqual(self._prices()[0], 128.0)
        self.company.key_account_pricelist_id = own
        template.invalidate_recordset(["key_account_price"])
        self.assertEqual(template.key_account_price, 150.0)
        # the running contract now takes 20% off 150
        self.assertEqual(self._prices()[0], 120.0)
        # product_b has no price in the company's tier: its list price (50)
        self.assertEqual(self._prices()[1], 25.0)
        # back to the shared tier
        self.company.key_account_pricelist_id = False
        self.assertEqual(self._prices(), [128.0, 20.0, 90.0])
        # the company's tier is not offered as a member price
        self.assertNotEqual(
            self.env["product.template"]._get_key_account_member_pricelist(), own
        )

    def test_promotions(self):
        promotion = self.env["product.pricelist"].create(
            {
                "name": "KA Spring Promotion",
                "company_id": self.company.id,
                "key_account_is_promotion": True,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": self.product_a.product_tmpl_id.id,
                            "compute_price": "fixed",
                            "fixed_price": 100.0,
                        }
                    ),
                    Command.create(
                        {
                            "applied_on": "3_global",
                            "compute_price": "formula",
                            "base": "pricelist",
                            "base_pricelist_id": self.ka_pricelist.id,
                        }
                    ),
                ],
            }
        )
        self.assertTrue(promotion)
        # promotions do not apply: the promotion price is ignored
        self.contract._sync_pricelist()
        self.assertEqual(self._prices()[0], 128.0)
        self.contract.allow_promotions = True
        self.assertEqual(self._prices(), [80.0, 20.0, 90.0])
