# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class StockRule(models.Model):
    _inherit = "stock.rule"

    def _get_custom_move_fields(self):
        return super()._get_custom_move_fields() + ["key_account_allocation_id"]

    def _push_prepare_move_copy_values(self, move_to_copy, new_date):
        # The next step of a recipient's delivery (pick, then ship) stays
        # that recipient's: its pickings, delivered quantity and acceptance.
        values = super()._push_prepare_move_copy_values(move_to_copy, new_date)
        if move_to_copy.key_account_allocation_id:
            values["key_account_allocation_id"] = (
                move_to_copy.key_account_allocation_id.id
            )
        return values
