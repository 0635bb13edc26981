# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .key_account_rebate_settlement_run import calendar_period

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

    def _key_account_rebate_progress(self, date=None):
        """Where the contract ``self`` stands in its current rebate period at
        ``date`` (today by default), computed by the rebate settlement's own
        code (``key.account.rebate.settlement``: ``calendar_period``,
        ``_tier_window``, ``_invoiced_amounts``, ``_rebate_on``), so that the
        portal shows what the settlement of the period will compute:

        {"date_from", "date_to", "period_key", "mode", "base" (invoiced in
        the period), "tier_base" (the amount the tier is read on: the year
        to date when cumulative), "tier", "rate", "rebate" (the rebate the
        settlement would compute now), "next_tier", "gap" (invoiced amount
        still missing for it), "next_rebate" (the rebate at the next tier's
        threshold), "next_worth" (what reaching it adds), "currency",
        "settlements" (past live settlements, newest first, with their credit
        notes)}. Three queries whatever the number of invoices."""
        self.ensure_one()
        contract = self.sudo()
        Settlement = self.env["key.account.rebate.settlement"].sudo()
        day = fields.Date.to_date(date) or fields.Date.context_today(self)
        day = min(max(day, contract.date_start), contract.date_end)
        start, end, key = calendar_period(contract.rebate_period or "yearly", day)
        date_from = max(start, contract.date_start)
        date_to = min(end, contract.date_end)
        mode = contract.rebate_mode or "per_period"
        window = Settlement._tier_window(contract, mode, date_from, date_to)
        period = (contract.id, date_from, date_to)
        amounts = Settlement._invoiced_amounts([window, period])
        tiers = contract.rebate_tier_ids.sorted(lambda t: (t.amount_from, t.id))
        tier_base = amounts[window]
        tier, rate, rebate = Settlement._rebate_on(contract, tiers, tier_base)
        next_tier = tiers.filtered(lambda t: t.amount_from > tier_base)[:1]
        if next_tier and tier and next_tier.amount_from <= tier.amount_from:
            next_tier = tiers.browse()
        next_rebate = gap = next_worth = 0.0
        if next_tier:
            _next, _rate, next_rebate = Settlement._rebate_on(
                contract, tiers, next_tier.amount_from
            )
            gap = contract.currency_id.round(next_tier.amount_from - tier_base)
            next_worth = contract.currency_id.round(next_rebate - rebate)
        settlements = Settlement.search(
            [("contract_id", "=", contract.id), ("state", "!=", "cancelled")],
            order="date_from desc, id desc",
        )
        return {
            "date_from": date_from,
            "date_to": date_to,
            "period_key": key,
            "mode": mode,
            "base": contract.currency_id.round(amounts[period]),
            "tier_base": contract.currency_id.round(tier_base),
            "tier": tier,
            "rate": rate,
            "rebate": rebate,
            "next_tier": next_tier,
            "gap": gap,
            "next_rebate": next_rebate,
            "next_worth": next_worth,
            "currency": contract.currency_id,
            "settlements": settlements,
        }
