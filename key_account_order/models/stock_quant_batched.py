# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Stock speed-up layer (see ``stock_move_batched.py``): the quants of the
move lines the batched reservation creates are reserved once per quant."""

from odoo import api, models

# Marks the move lines whose quants stock.move._key_account_reserve_batch()
# reserves itself. An object, not a flag: a client's context (JSON) cannot
# carry it, so no request can skip the reservation of quants.
RESERVED_IN_BATCH = object()


class StockQuant(models.Model):
    _inherit = "stock.quant"

    @api.model
    def _update_reserved_quantity(
        self,
        product_id,
        location_id,
        quantity,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=True,
    ):
        # The move lines created by stock.move._key_account_reserve_batch()
        # were reserved on their quants already, in one update per quant.
        if self.env.context.get("key_account_reserved_in_batch") is RESERVED_IN_BATCH:
            return None
        return super()._update_reserved_quantity(
            product_id,
            location_id,
            quantity,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )
