# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import UserError

from .key_account_rebate_settlement_run import SETTLED_STATES


class KeyAccountContractRebateTier(models.Model):
    _inherit = "key.account.contract.rebate.tier"

    def _check_tiers_changeable(self, contracts):
        """Once a rebate period of a contract is settled (approved or
        credited), its tiers are what that rebate was computed with: changing
        them would turn into a late change of money already credited."""
        super()._check_tiers_changeable(contracts)
        if not contracts:
            return
        settled = (
            self.env["key.account.rebate.settlement"]
            .sudo()
            .search(
                [
                    ("contract_id", "in", contracts.ids),
                    ("state", "in", SETTLED_STATES),
                ],
                order="date_to desc",
                limit=1,
            )
        )
        if settled:
            raise UserError(
                self.env._(
                    "The rebate tiers of contract %(contract)s cannot change: its "
                    "rebate of %(period)s is settled (%(name)s) with these tiers. "
                    "Agree new tiers in a renewal of the contract, or cancel the "
                    "settlements not credited yet first.",
                    contract=settled.contract_id.name,
                    period=settled.period_key,
                    name=settled.name,
                )
            )
