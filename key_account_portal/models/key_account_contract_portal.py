# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the customer's portal catalog offers: the products its active
contract allows (the contract's one rule,
``key.account.contract._key_account_product_domain`` in
key_account_contract), at the contract's prices, computed in batch. The
contract's pricelist (key-account price, then the contract's discounts and,
when the contract allows them, the promotions) gives its price.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from odoo import fields, models

# {(pricelist id, product id): price in the pricelist currency} of the base
# pricelists already computed for a batch (see _key_account_portal_prices).
# A Python-side switch: unlike a context key, no client can set it.
_BASE_PRICES = ContextVar("key_account_portal_base_prices", default=None)


class ProductPricelistItem(models.Model):
    _inherit = "product.pricelist.item"

    def _compute_base_price(self, product, quantity, uom, date, currency):
        cache = _BASE_PRICES.get()
        if (
            cache is not None
            and self.base == "pricelist"
            and self.base_pricelist_id
            and uom == product.uom_id
            and (self.base_pricelist_id.id, product.id) in cache
        ):
            price = cache[(self.base_pricelist_id.id, product.id)]
            src_currency = self.base_pricelist_id.currency_id
            if src_currency != currency:
                price = src_currency._convert(
                    price, currency, self.env.company, date, round=False
                )
            return price
        return super()._compute_base_price(product, quantity, uom, date, currency)


class KeyAccountContract(models.Model):
    _inherit = "key.account.contract"

    def _key_account_portal_prices(self, products):
        """{product id: unit price of the contract} of ``products`` (in the
        contract pricelist's currency), in a constant number of queries:
        the base pricelists (the key-account tier, the promotions) are
        computed first for all products, then the contract's rules apply on
        top of them (core computes a base pricelist product by product)."""
        self.ensure_one()
        pricelist = self.sudo().pricelist_id
        if not pricelist or not products:
            return {}
        cache = {}
        with self._key_account_portal_base_prices(cache):
            self._key_account_portal_fill_base_prices(pricelist, products, cache)
            return pricelist._get_products_price(
                products, 1.0, currency=pricelist.currency_id
            )

    def _key_account_portal_retail_prices(self, products):
        """{product id: retail (list) price} of ``products`` in the currency
        of the contract's prices, to show struck through beside them."""
        self.ensure_one()
        currency = self.sudo().pricelist_id.currency_id or self.currency_id
        today = fields.Date.context_today(self)
        return {
            product.id: product.currency_id._convert(
                product.lst_price, currency, self.company_id, today
            )
            for product in products
        }

    @contextmanager
    def _key_account_portal_base_prices(self, cache):
        token = _BASE_PRICES.set(cache)
        try:
            yield
        finally:
            _BASE_PRICES.reset(token)

    def _key_account_portal_fill_base_prices(
        self, pricelist, products, cache, visited=frozenset()
    ):
        """Fill ``cache`` with the prices of the pricelists ``pricelist`` is
        based on (recursively, one batch per pricelist)."""
        visited = visited | {pricelist.id}
        rules = pricelist._compute_price_rule(products, 1.0, compute_price=False)
        items = (
            self.env["product.pricelist.item"]
            .sudo()
            .browse({rule_id for _price, rule_id in rules.values() if rule_id})
        )
        by_base = {}
        for product in products:
            item = items.browse(rules[product.id][1])
            base = item.base_pricelist_id if item.base == "pricelist" else None
            if base and base.id not in visited:
                by_base.setdefault(base, []).append(product.id)
        for base, product_ids in by_base.items():
            base_products = products.browse(product_ids)
            self._key_account_portal_fill_base_prices(
                base, base_products, cache, visited
            )
            prices = base._get_products_price(
                base_products, 1.0, currency=base.currency_id
            )
            for product_id, price in prices.items():
                cache[(base.id, product_id)] = price

    def _key_account_portal_warehouse(self):
        """The warehouse a new order of the contract's customer ships from
        (core's own computation on a new order)."""
        self.ensure_one()
        order = (
            self.env["sale.order"]
            .sudo()
            .with_company(self.company_id)
            .new({"partner_id": self.partner_id.id, "company_id": self.company_id.id})
        )
        return order.warehouse_id
