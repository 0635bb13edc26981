# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The recipient's moves: the allocation follows them (splits, pushed steps,
returns, cancellation). The batched assignment and reservation of these
moves, a speed-up only, is in ``stock_move_batched.py``."""

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import float_compare


class StockMove(models.Model):
    _inherit = "stock.move"

    # Copied like sale_line_id: the allocation follows every move made out of
    # this one (backorder splits, kit components, pushed next steps, returns).
    key_account_allocation_id = fields.Many2one(
        comodel_name="key.account.allocation",
        string="Recipient Allocation",
        index="btree_not_null",
        copy=True,
        readonly=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        if not self.env.su:
            # Users create recipient moves only out of a recipient's move
            # (a split, a return, a kit's components): of the same line.
            foreign = moves.filtered(
                lambda m: (
                    m.key_account_allocation_id
                    and m.key_account_allocation_id.sudo().order_line_id
                    != m.sale_line_id
                )
            )
            if foreign:
                raise AccessError(
                    self.env._(
                        "A stock move can only be linked to a recipient allocation "
                        "of its own sale order line (%(moves)s).",
                        moves=", ".join(foreign[:10].mapped("display_name")),
                    )
                )
        return moves

    def write(self, vals):
        if "key_account_allocation_id" in vals and not self.env.su:
            raise AccessError(
                self.env._(
                    "The recipient allocation of a stock move is set when the "
                    "delivery is launched; it cannot be changed."
                )
            )
        return super().write(vals)

    def _action_cancel(self):
        result = super()._action_cancel()
        allocations = self.key_account_allocation_id
        if allocations:
            allocations._key_account_update_pickings()
        return result

    def _prepare_merge_moves_distinct_fields(self):
        # Moves of different recipients in one batch delivery stay apart, so
        # that each allocation keeps its own move and delivered quantity.
        return super()._prepare_merge_moves_distinct_fields() + [
            "key_account_allocation_id"
        ]

    def _prepare_procurement_values(self):
        values = super()._prepare_procurement_values()
        if self.key_account_allocation_id:
            values["key_account_allocation_id"] = self.key_account_allocation_id.id
        return values

    def _action_confirm(self, merge=True, merge_into=False):
        # A later step of a multi-step delivery (the shipment pushed when the
        # pick is done) becomes the recipient's delivery once it has its
        # picking (assigned by core, or by the batched assignment).
        shipments = self.filtered(
            lambda m: (
                m.key_account_allocation_id
                and m.state == "draft"
                and m.move_orig_ids
                and m.location_dest_id.usage == "customer"
                and float_compare(
                    m.product_uom_qty, 0.0, precision_rounding=m.product_uom.rounding
                )
                >= 0
            )
        )
        allocations = shipments.key_account_allocation_id
        moves = super()._action_confirm(merge=merge, merge_into=merge_into)
        if allocations:
            allocations._key_account_update_pickings()
        return moves
