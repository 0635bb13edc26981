# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class StockReturnPickingLine(models.TransientModel):
    _inherit = "stock.return.picking.line"

    def _prepare_move_default_values(self, new_picking):
        """A return of a recipient's delivery stays that recipient's: the
        return move keeps the allocation, so its delivered quantity drops."""
        vals = super()._prepare_move_default_values(new_picking)
        allocation = self.move_id.key_account_allocation_id
        if allocation:
            vals["key_account_allocation_id"] = allocation.id
        return vals
