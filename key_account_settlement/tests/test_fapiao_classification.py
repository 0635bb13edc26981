# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import UserError, ValidationError

from .fapiao_common import TAX_CODE_GIFT, KeyAccountFapiaoCommon


class TestFapiaoClassification(KeyAccountFapiaoCommon):
    def test_code_is_normalised_and_validated(self):
        product = self.product_a.product_tmpl_id
        product.key_account_tax_code = "１０３０２０１０１０ ０００００００００"
        self.assertEqual(product.key_account_tax_code, "1030201010000000000")
        with self.assertRaisesMessage(ValidationError, "19 digits", "103020101"):
            product.key_account_tax_code = "103020101000000000"
        with self.assertRaisesMessage(ValidationError, "19 digits"):
            self.categ_b.key_account_tax_code = "10302010100000000AB"

    def test_values_inherited_up_the_category_chain(self):
        parent = self.env["product.category"].create(
            {
                "name": "KA Food",
                "key_account_tax_code": "1030100000000000000",
                "key_account_tax_short_name": "食品",
                "key_account_tax_preferential": True,
                "key_account_tax_preferential_note": "免税",
            }
        )
        child = self.env["product.category"].create(
            {"name": "KA Mooncakes", "parent_id": parent.id}
        )
        inherited = self.env["product.product"].create(
            {"name": "KA Mooncake Box", "categ_id": child.id}
        )
        own = self.env["product.product"].create(
            {
                "name": "KA Special Box",
                "categ_id": child.id,
                "key_account_tax_code": TAX_CODE_GIFT,
                "key_account_tax_short_name": "茶叶",
                "key_account_fapiao_name": "礼盒装茶叶",
                "key_account_fapiao_uom": "盒",
            }
        )
        values = (inherited | own)._key_account_fapiao_values()
        self.assertEqual(values[inherited.id]["tax_code"], "1030100000000000000")
        self.assertEqual(values[inherited.id]["item_name"], "*食品*KA Mooncake Box")
        self.assertTrue(values[inherited.id]["preferential"])
        self.assertEqual(values[inherited.id]["preferential_note"], "免税")
        self.assertEqual(values[own.id]["tax_code"], TAX_CODE_GIFT)
        self.assertEqual(values[own.id]["item_name"], "*茶叶*礼盒装茶叶")
        self.assertEqual(values[own.id]["uom_name"], "盒")
        self.assertFalse(values[own.id]["preferential"])
        self.assertEqual(values[inherited.id]["uom_name"], inherited.uom_id.name)

    def test_values_in_constant_queries(self):
        def make(count):
            return self.env["product.product"].create(
                [
                    {"name": f"KA Batch {count} {i}", "categ_id": self.categ_a.id}
                    for i in range(count)
                ]
            )

        small, large = make(3), make(30)
        counts = []
        for products in (small, large):
            self.env.invalidate_all()
            products = products.browse(products.ids)
            before = self.env.cr.sql_log_count
            products._key_account_fapiao_values()
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])

    def test_request_refused_naming_every_product_without_code(self):
        bare = self.env["product.category"].create({"name": "KA Unclassified"})
        one = self.env["product.product"].create(
            {"name": "KA Pen", "categ_id": bare.id}
        )
        two = self.env["product.product"].create(
            {"name": "KA Cup", "categ_id": bare.id}
        )
        move = self._post(
            self.customer,
            [
                (one, 1, 10, self.tax_13, 0),
                (two, 1, 20, self.tax_13, 0),
                (self.product_a, 1, 30, self.tax_13, 0),
            ],
        )
        with self.assertRaisesMessage(
            UserError, "KA Pen", "KA Cup", "product category"
        ):
            self._build(move)
        self.assertFalse(self.Request.search([("invoice_ids", "in", move.ids)]))
