# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    key_account_rebate_settlement_id = fields.Many2one(
        "key.account.rebate.settlement",
        string="Rebate Settlement",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        help="Rebate settlement this credit note pays. Rebate credit notes do not "
        "count in the invoiced amount of later rebates.",
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        rebate_notes = posted.filtered("key_account_rebate_settlement_id")
        if rebate_notes:
            self.env["key.account.rebate.settlement"]._on_credit_note_posted(
                rebate_notes
            )
        return posted

    def button_draft(self):
        rebate_notes = self.filtered(
            lambda m: m.key_account_rebate_settlement_id and m.state == "posted"
        )
        res = super().button_draft()
        if rebate_notes:
            self.env["key.account.rebate.settlement"]._on_credit_note_reset(
                rebate_notes
            )
        return res
