# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.osv import expression


class KeyAccountContract(models.Model):
    _inherit = "key.account.contract"

    def _key_account_portal_product_domain(self):
        """Domain of the products whose contract price the portal shows: the
        products priced by the key-account price tier of the contract's
        company (or the promotion pricelist the contract is based on), and
        the products and categories of the contract's discount lines."""
        self.ensure_one()
        pricelists = (
            self._get_base_pricelists()[self]
            | self.company_id._key_account_get_pricelist()
        )
        items = self.env["product.pricelist.item"].search(
            [
                ("pricelist_id", "in", pricelists.ids),
                ("applied_on", "in", ("0_product_variant", "1_product")),
            ]
        )
        alternatives = [
            [("product_tmpl_id", "in", items.product_tmpl_id.ids)],
            [("id", "in", (items.product_id | self.discount_line_ids.product_id).ids)],
        ]
        if self.discount_line_ids.categ_id:
            alternatives.append(
                [("categ_id", "child_of", self.discount_line_ids.categ_id.ids)]
            )
        return expression.AND(
            [
                [
                    ("sale_ok", "=", True),
                    ("company_id", "in", [False, self.company_id.id]),
                ],
                expression.OR(alternatives),
            ]
        )

    def _key_account_portal_prices(self, products):
        """{product id: (contract price, retail price)} of ``products`` in the
        contract's currency for one unit: one pricelist computation for all
        the products (the retail price is the list price)."""
        self.ensure_one()
        contract = self.with_company(self.company_id)
        products = products.with_env(contract.env)
        contract_prices = (
            contract.pricelist_id._get_products_price(
                products, 1.0, currency=contract.currency_id
            )
            if contract.pricelist_id and products
            else {}
        )
        today = fields.Date.context_today(contract)
        result = {}
        for product in products:
            retail = product.currency_id._convert(
                product.lst_price, contract.currency_id, contract.company_id, today
            )
            result[product.id] = (contract_prices.get(product.id, retail), retail)
        return result

    def _key_account_portal_progress(self):
        """Share (0-100) of the committed amount already ordered; ``False``
        when the contract commits to no amount."""
        self.ensure_one()
        if self.committed_amount <= 0:
            return False
        return min(100.0, max(0.0, self.amount_ordered / self.committed_amount * 100))
