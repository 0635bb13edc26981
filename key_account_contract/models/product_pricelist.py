# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ProductPricelist(models.Model):
    _inherit = "product.pricelist"

    key_account_is_promotion = fields.Boolean(
        string="Key Account Promotion",
        help="Product prices of this pricelist are promotions: they apply to "
        "key-account contracts that allow promotions.",
    )
    key_account_contract_id = fields.Many2one(
        "key.account.contract",
        readonly=True,
        index="btree_not_null",
        ondelete="cascade",
        help="Set on the pricelist derived from a contract.",
    )
