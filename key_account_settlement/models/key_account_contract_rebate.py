# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

REBATE_GROUPS = (
    "key_account_base.key_account_group_manager,"
    "account.group_account_invoice,account.group_account_readonly"
)


class KeyAccountContract(models.Model):
    _inherit = "key.account.contract"

    rebate_settlement_count = fields.Integer(
        compute="_compute_rebate_settlement_count",
        groups=REBATE_GROUPS,
    )
    rebate_amount_credited = fields.Monetary(
        string="Rebate Credited",
        compute="_compute_rebate_amounts",
        groups=REBATE_GROUPS,
        help="Untaxed rebate of the settlements whose credit note is posted, "
        "minus the rebates charged back by invoice.",
    )
    rebate_amount_owed = fields.Monetary(
        string="Rebate Owed",
        compute="_compute_rebate_amounts",
        groups=REBATE_GROUPS,
        help="Untaxed rebate of the settlements not credited yet: computed "
        "(also after their credit note was cancelled) or approved with a credit "
        "note not posted yet. Negative: the customer owes it back.",
    )

    def _compute_rebate_settlement_count(self):
        counts = self._count_by_contract(
            "key.account.rebate.settlement",
            [("contract_id", "in", self.ids), ("state", "!=", "cancelled")],
            "contract_id",
        )
        for contract in self:
            contract.rebate_settlement_count = counts.get(contract, 0)

    def _rebate_amounts(self):
        """{contract id: {state: amount to credit}} of the live settlements of
        the contracts of ``self``, in one query."""
        result = {}
        groups = (
            self.env["key.account.rebate.settlement"]
            .sudo()
            ._read_group(
                [
                    ("contract_id", "in", self._origin.ids),
                    ("state", "!=", "cancelled"),
                ],
                ["contract_id", "state"],
                ["amount_credit:sum"],
            )
        )
        for contract, state, amount in groups:
            result.setdefault(contract.id, {})[state] = amount
        return result

    def _compute_rebate_amounts(self):
        amounts = self._rebate_amounts()
        for contract in self:
            mine = amounts.get(contract._origin.id, {})
            contract.rebate_amount_credited = mine.get("credited", 0.0)
            contract.rebate_amount_owed = mine.get("computed", 0.0) + mine.get(
                "approved", 0.0
            )

    def _get_execution_amounts(self):
        """The rebate credit notes (and charge-back invoices) carry their
        contract, and are not invoiced amount: the invoiced amount stays the
        rebate base."""
        result = super()._get_execution_amounts()
        ids = self._origin.ids
        if not ids:
            return result
        groups = (
            self.env["account.move"]
            .sudo()
            ._read_group(
                [
                    ("key_account_contract_id", "in", ids),
                    ("key_account_rebate_settlement_id", "!=", False),
                    ("state", "=", "posted"),
                    ("move_type", "in", ("out_invoice", "out_refund")),
                ],
                ["key_account_contract_id", "move_type"],
                ["amount_untaxed:sum"],
            )
        )
        for contract, move_type, amount in groups:
            sign = 1 if move_type == "out_refund" else -1
            result[contract.id]["invoiced"] += sign * amount
        return result

    def action_view_rebate_settlements(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_settlement.key_account_rebate_settlement_action"
        )
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {"search_default_not_cancelled": 1}
        return action
