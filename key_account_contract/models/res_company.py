# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    key_account_member_pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Member Pricelist",
        help="Pricelist shown as the member price next to the retail and "
        "key-account prices on products.",
    )
