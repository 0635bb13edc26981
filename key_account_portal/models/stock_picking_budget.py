# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import models


class StockPicking(models.Model):
    """A return of a key-account order's goods gives its amount back to the
    department budget the order spent on."""

    _inherit = "stock.picking"

    def _action_done(self):
        res = super()._action_done()
        self._key_account_budget_returns()
        return res

    def _key_account_budget_returns(self):
        moves = self.move_ids.filtered(
            lambda m: (
                m.state == "done"
                and m.origin_returned_move_id
                and m.to_refund
                and m.sale_line_id
                and m.picking_code == "incoming"
            )
        )
        amounts = defaultdict(float)
        for move in moves:
            line = move.sale_line_id
            if not line.product_uom_qty:
                continue
            quantity = move.product_uom._compute_quantity(
                move.quantity, line.product_uom
            )
            amounts[line.order_id] += line.price_total / line.product_uom_qty * quantity
        if amounts:
            self.env["sale.order"].sudo()._key_account_budget_return(dict(amounts))
