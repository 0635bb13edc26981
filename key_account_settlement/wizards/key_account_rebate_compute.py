# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import fields, models


class KeyAccountRebateCompute(models.TransientModel):
    _name = "key.account.rebate.compute"
    _description = "Compute Rebates"

    date = fields.Date(
        string="Periods Ended By",
        required=True,
        default=lambda self: fields.Date.context_today(self) - timedelta(days=1),
        help="Rebate periods ending on or before this date are settled. Settled "
        "periods are kept: computed settlements are recomputed, approved and "
        "credited ones never change.",
    )
    contract_ids = fields.Many2many(
        "key.account.contract",
        string="Contracts",
        help="Leave empty to settle every contract with rebate tiers of the "
        "selected companies.",
    )

    def action_compute(self):
        self.ensure_one()
        Settlement = self.env["key.account.rebate.settlement"]
        Settlement._check_computer()
        settlements = Settlement._run_rebates(
            self.date,
            contracts=self.contract_ids or None,
            companies=self.env.companies,
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_settlement.key_account_rebate_settlement_action"
        )
        action["domain"] = [("id", "in", settlements.ids)]
        return action
