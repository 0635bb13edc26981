# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The goods and services tax classification of products (商品和服务税收分类
编码) for fapiao: the product's own values, else its category's, up the
parent chain. ``product.product._key_account_fapiao_values()`` resolves them
for a set of products at once."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

TAX_CODE_LENGTH = 19
# Full-width digits (０-９), as typed with a Chinese input method, and the
# spaces and separators people paste with a code.
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
CODE_SEPARATORS = " \u3000.-_"
# The classification a product takes from the first of product, category,
# parent category ... that has a code.
CLASSIFICATION_FIELDS = (
    "key_account_tax_code",
    "key_account_tax_short_name",
    "key_account_tax_preferential",
    "key_account_tax_preferential_note",
)


def normalize_tax_code(value):
    """The code with full-width digits made ASCII and separators removed."""
    if not value:
        return value
    value = value.translate(FULL_WIDTH_DIGITS)
    return "".join(char for char in value if char not in CODE_SEPARATORS)


def normalize_vals(vals):
    if vals.get("key_account_tax_code"):
        vals["key_account_tax_code"] = normalize_tax_code(vals["key_account_tax_code"])
    return vals


def check_tax_codes(records):
    """Exactly 19 digits, naming the record and the fix."""
    for record in records:
        code = record.key_account_tax_code
        if code and (len(code) != TAX_CODE_LENGTH or not code.isdigit()):
            raise ValidationError(
                record.env._(
                    "The tax classification code %(code)s of %(record)s is not "
                    "valid: it has exactly 19 digits (商品和服务税收分类编码, "
                    "e.g. 1030201010000000000). Copy it from the tax "
                    "authority's classification table.",
                    code=code,
                    record=record.display_name,
                )
            )


class ProductTemplate(models.Model):
    _inherit = "product.template"

    key_account_tax_code = fields.Char(
        string="Tax Classification Code",
        size=TAX_CODE_LENGTH,
        help="The 19-digit goods and services tax classification code "
        "(商品和服务税收分类编码) the fapiao carries. Empty: the product "
        "category's code (or its parent's) applies.",
    )
    key_account_tax_short_name = fields.Char(
        string="Tax Classification Short Name",
        help="The short name of the classification (简称): the fapiao prints "
        "the item as *short name*item name.",
    )
    key_account_tax_preferential = fields.Boolean(
        string="Preferential Tax Policy",
        help="The product is invoiced under a preferential tax policy "
        "(优惠政策), e.g. exempt or a reduced rate.",
    )
    key_account_tax_preferential_note = fields.Char(
        string="Preferential Policy",
        help="The policy as the tax system names it (优惠政策类型), e.g. 免税.",
    )
    key_account_fapiao_name = fields.Char(
        string="Fapiao Item Name",
        help="The item name printed on the fapiao when it differs from the "
        "product's name.",
    )
    key_account_fapiao_uom = fields.Char(
        string="Fapiao Unit",
        help="The unit printed on the fapiao when it differs from the "
        "product's unit of measure.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([normalize_vals(vals) for vals in vals_list])

    def write(self, vals):
        return super().write(normalize_vals(vals))

    @api.constrains("key_account_tax_code")
    def _check_key_account_tax_code(self):
        check_tax_codes(self)


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _key_account_fapiao_values(self):
        """{product id: values} of the fapiao for the products of ``self``,
        in a constant number of queries: ``tax_code``, ``short_name``,
        ``preferential``, ``preferential_note`` (from the product, else the
        nearest category up the chain that has a code), ``item_name`` (as
        printed: ``*short name*name``), ``name`` and ``uom_name``; a product
        without a code has ``tax_code`` False."""
        products = self.with_context(prefetch_fields=False).sudo()
        products.fetch(["product_tmpl_id", "uom_id"])
        templates = products.product_tmpl_id
        templates.fetch(
            [
                *CLASSIFICATION_FIELDS,
                "key_account_fapiao_name",
                "key_account_fapiao_uom",
                "name",
                "categ_id",
            ]
        )
        categories = templates.categ_id
        categories.fetch(["parent_path"])
        chain_ids = {
            categ.id: [int(i) for i in categ.parent_path.split("/") if i][::-1]
            for categ in categories
        }
        ancestors = (
            self.env["product.category"]
            .sudo()
            .browse({i for ids in chain_ids.values() for i in ids})
        )
        ancestors.fetch(list(CLASSIFICATION_FIELDS))
        classification = {}
        for categ in categories:
            source = next(
                (
                    ancestors.browse(i)
                    for i in chain_ids[categ.id]
                    if ancestors.browse(i).key_account_tax_code
                ),
                None,
            )
            classification[categ.id] = source
        products.uom_id.fetch(["name"])
        result = {}
        for product in products:
            template = product.product_tmpl_id
            source = (
                template
                if template.key_account_tax_code
                else classification.get(template.categ_id.id)
            )
            name = template.key_account_fapiao_name or template.name
            short_name = source.key_account_tax_short_name if source else False
            result[product.id] = {
                "tax_code": source.key_account_tax_code if source else False,
                "short_name": short_name or False,
                "preferential": bool(source and source.key_account_tax_preferential),
                "preferential_note": (
                    source.key_account_tax_preferential_note if source else False
                )
                or False,
                "name": name,
                "item_name": f"*{short_name}*{name}" if short_name else name,
                "uom_name": template.key_account_fapiao_uom or product.uom_id.name,
            }
        return result

    def _key_account_check_fapiao_classification(self):
        """Refuse, with one message naming every product concerned and the
        fix, products of ``self`` without a tax classification code."""
        values = self._key_account_fapiao_values()
        missing = self.filtered(lambda p: not values[p.id]["tax_code"])
        if missing:
            raise UserError(
                self.env._(
                    "These products have no tax classification code (商品和服务"
                    "税收分类编码), so they cannot go on a fapiao: %(products)s. "
                    "Set the 19-digit code on each product (Accounting tab, Fapiao) "
                    "or on its product category, then request the fapiao again.",
                    products=", ".join(missing.mapped("display_name")),
                )
            )
        return values
