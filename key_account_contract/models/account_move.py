# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    key_account_contract_id = fields.Many2one(
        "key.account.contract",
        string="Contract",
        index="btree_not_null",
        check_company=True,
        tracking=True,
        domain="[('partner_id', '=', commercial_partner_id), "
        "('state', 'in', ('active', 'expired', 'terminated'))]",
        help="Key-account contract the invoice is issued under; credit notes keep it.",
    )
