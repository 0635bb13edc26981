# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    key_account_price = fields.Float(
        compute="_compute_key_account_prices",
        digits="Product Price",
        help="Price of the company's key-account pricelist (大客户价), in the "
        "company currency.",
    )
    key_account_member_price = fields.Float(
        string="Member Price",
        compute="_compute_key_account_prices",
        digits="Product Price",
        help="Price of the member pricelist set in the Sales settings (or the "
        "first other pricelist of the company).",
    )

    @api.model
    def _get_key_account_member_pricelist(self):
        company = self.env.company
        if company.key_account_member_pricelist_id:
            return company.key_account_member_pricelist_id
        ka_pricelists = (
            company._key_account_get_pricelist()
            | company._key_account_shared_pricelist()
        )
        return self.env["product.pricelist"].search(
            [
                ("id", "not in", ka_pricelists.ids),
                ("key_account_contract_id", "=", False),
                ("key_account_is_promotion", "=", False),
                ("company_id", "in", [False, company.id]),
            ],
            limit=1,
        )

    @api.depends("list_price")
    @api.depends_context("company")
    def _compute_key_account_prices(self):
        """Both prices for all templates at once (one pricelist computation each)."""
        currency = self.env.company.currency_id
        ka_pricelist = self.env.company._key_account_get_pricelist()
        member_pricelist = self._get_key_account_member_pricelist()
        products = self.filtered("id")
        ka_prices = (
            ka_pricelist._get_products_price(products, 1.0, currency=currency)
            if ka_pricelist and products
            else {}
        )
        member_prices = (
            member_pricelist._get_products_price(products, 1.0, currency=currency)
            if member_pricelist and products
            else {}
        )
        for template in self:
            template.key_account_price = ka_prices.get(template.id, template.list_price)
            template.key_account_member_price = member_prices.get(
                template.id, template.list_price
            )
