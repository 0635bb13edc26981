# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from .product_template_fapiao import TAX_CODE_LENGTH, check_tax_codes, normalize_vals


class ProductCategory(models.Model):
    """A category's tax classification applies to its products (and to its
    sub-categories' products) that have none of their own."""

    _inherit = "product.category"

    key_account_tax_code = fields.Char(
        string="Tax Classification Code",
        size=TAX_CODE_LENGTH,
        help="The 19-digit goods and services tax classification code "
        "(商品和服务税收分类编码) of the category's products that have none "
        "of their own. Empty: the parent category's applies.",
    )
    key_account_tax_short_name = fields.Char(
        string="Tax Classification Short Name",
        help="The short name of the classification (简称): the fapiao prints "
        "the item as *short name*item name.",
    )
    key_account_tax_preferential = fields.Boolean(
        string="Preferential Tax Policy",
        help="The category's products are invoiced under a preferential tax "
        "policy (优惠政策), e.g. exempt or a reduced rate.",
    )
    key_account_tax_preferential_note = fields.Char(
        string="Preferential Policy",
        help="The policy as the tax system names it (优惠政策类型), e.g. 免税.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([normalize_vals(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(normalize_vals(vals))

    @api.constrains("key_account_tax_code")
    def _check_key_account_tax_code(self):
        check_tax_codes(self)
