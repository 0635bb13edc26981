# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class KeyAccountContractRebateTier(models.Model):
    _name = "key.account.contract.rebate.tier"
    _description = "Key Account Contract Rebate Tier"
    _order = "contract_id, amount_from, id"

    contract_id = fields.Many2one(
        "key.account.contract",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    amount_from = fields.Monetary(
        string="From Amount",
        required=True,
        help="Invoiced amount (tax included) from which this rate applies.",
    )
    rate = fields.Float(string="Rebate Rate (%)", digits="Discount", required=True)

    _sql_constraints = (
        (
            "rate_check",
            "CHECK(rate >= 0 AND rate <= 100)",
            "A rebate rate must be between 0 and 100%.",
        ),
        (
            "amount_uniq",
            "unique(contract_id, amount_from)",
            "Two rebate tiers of a contract cannot start at the same amount.",
        ),
    )
