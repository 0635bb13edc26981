# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class KeyAccountContract(models.Model):
    _inherit = "key.account.contract"

    rebate_settlement_count = fields.Integer(
        compute="_compute_rebate_settlement_count",
        groups="key_account_base.key_account_group_manager,"
        "account.group_account_invoice,account.group_account_readonly",
    )

    def _compute_rebate_settlement_count(self):
        counts = self._count_by_contract(
            "key.account.rebate.settlement",
            [("contract_id", "in", self.ids), ("state", "!=", "cancelled")],
            "contract_id",
        )
        for contract in self:
            contract.rebate_settlement_count = counts.get(contract, 0)

    def action_view_rebate_settlements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_settlement.key_account_rebate_settlement_action"
        )
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {"search_default_not_cancelled": 1}
        return action
