# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Figures of the adjustments of late changes: the rebate computation's only
# (the guard mixin's check in create/write, key_account_base); a manual
# adjustment has none.
LATE_CHANGE_FIELDS = {
    "source_settlement_id": False,
    "base_settled": 0.0,
    "base_now": 0.0,
}


class KeyAccountRebateSettlementAdjustment(models.Model):
    _name = "key.account.rebate.settlement.adjustment"
    _description = "Key Account Rebate Settlement Adjustment"
    _inherit = "key.account.guard.mixin"
    _order = "settlement_id, id"
    _check_company_auto = True

    settlement_id = fields.Many2one(
        "key.account.rebate.settlement",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="settlement_id.company_id", store=True, index=True
    )
    currency_id = fields.Many2one(related="settlement_id.currency_id")
    name = fields.Char(string="Description", required=True)
    source_settlement_id = fields.Many2one(
        "key.account.rebate.settlement",
        string="Adjusted Settlement",
        readonly=True,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        help="Earlier settled period whose invoices changed after it was settled "
        "(empty for a manual adjustment).",
    )
    base_settled = fields.Monetary(
        string="Base Settled (Untaxed)",
        readonly=True,
        help="Untaxed tier base the adjusted settlement and its earlier "
        "adjustments used.",
    )
    base_now = fields.Monetary(
        string="Base Now (Untaxed)",
        readonly=True,
        help="Untaxed tier base of the adjusted period from today's posted "
        "invoices and credit notes.",
    )
    base_difference = fields.Monetary(
        string="Base Difference (Untaxed)",
        compute="_compute_base_difference",
        store=True,
    )
    amount = fields.Monetary(
        required=True,
        help="Rebate to add (negative: to deduct) to the amount to credit.",
    )

    @api.depends("base_settled", "base_now", "source_settlement_id")
    def _compute_base_difference(self):
        for adjustment in self:
            adjustment.base_difference = (
                adjustment.base_now - adjustment.base_settled
                if adjustment.source_settlement_id
                else 0.0
            )

    def _check_editable(self, settlements):
        """Manual adjustments are added, changed or removed on computed
        settlements only; automatic ones (late changes) by the computation."""
        if self.env.su:
            return
        if self.filtered("source_settlement_id"):
            raise AccessError(
                self.env._(
                    "Adjustments of late changes are written by the rebate "
                    "computation only (settlement %(name)s).",
                    name=", ".join(self.settlement_id.mapped("name")),
                )
            )
        settlements._check_computer()
        locked = settlements.filtered(lambda s: s.state != "computed")
        if locked:
            raise UserError(
                self.env._(
                    "Rebate settlement %(name)s is no longer computed: its "
                    "adjustments cannot change. Book the change in the next "
                    "settlement.",
                    name=locked[0].name,
                )
            )

    @api.model
    def _key_account_guarded_fields(self):
        return dict(super()._key_account_guarded_fields(), **LATE_CHANGE_FIELDS)

    def _key_account_guard_error(self, names):
        return AccessError(
            self.env._(
                "Adjustments of late changes are written by the rebate "
                "computation only."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._check_editable(
                self.env["key.account.rebate.settlement"].browse(
                    {vals["settlement_id"] for vals in vals_list}
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        settlements = self.settlement_id
        if vals.get("settlement_id"):
            settlements |= settlements.browse(vals["settlement_id"])
        self._check_editable(settlements)
        return super().write(vals)

    def unlink(self):
        self._check_editable(self.settlement_id)
        return super().unlink()
