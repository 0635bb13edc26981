# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from odoo.addons.key_account_base.tools import changed_fields

# the terms a rebate is computed with
TIER_TERMS = ("contract_id", "amount_from", "rate")


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
        help="Invoiced amount (untaxed, net of credit notes, at each invoice's "
        "own exchange rate) from which this rate applies.",
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

    def _check_contracts_editable(self, contracts):
        """Outside draft, only a Key Account Manager changes the rebate tiers
        of a contract."""
        contracts._check_terms_editable(contracts._field_labels(["rebate_tier_ids"]))

    def _check_tiers_changeable(self, contracts):
        """Hook: raise when the rebate tiers of ``contracts`` may no longer
        change (key_account_settlement: once a rebate period is settled)."""

    @api.model_create_multi
    def create(self, vals_list):
        contracts = self.env["key.account.contract"].browse(
            {vals["contract_id"] for vals in vals_list if vals.get("contract_id")}
        )
        self._check_contracts_editable(contracts)
        self._check_tiers_changeable(contracts)
        return super().create(vals_list)

    def write(self, vals):
        contracts = self.contract_id
        if vals.get("contract_id"):
            contracts |= contracts.browse(vals["contract_id"])
        self._check_contracts_editable(contracts)
        changed = self.filtered(lambda tier: changed_fields(tier, vals, TIER_TERMS))
        if changed:
            self._check_tiers_changeable(
                changed.contract_id | contracts.browse(vals.get("contract_id") or [])
            )
        return super().write(vals)

    def unlink(self):
        self._check_contracts_editable(self.contract_id)
        self._check_tiers_changeable(self.contract_id)
        return super().unlink()
