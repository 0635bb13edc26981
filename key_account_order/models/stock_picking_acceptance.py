# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    key_account_allocation_count = fields.Integer(
        string="Recipient Allocations",
        compute="_compute_key_account_allocation_count",
    )

    def _compute_key_account_allocation_count(self):
        counts = {}
        if self.ids:
            counts = dict(
                self.env["key.account.allocation"]._read_group(
                    [("picking_id", "in", self.ids)],
                    groupby=["picking_id"],
                    aggregates=["__count"],
                )
            )
        for picking in self:
            picking.key_account_allocation_count = counts.get(picking, 0)

    def _key_account_get_allocations(self):
        """Recipient allocations delivered by these pickings (one search)."""
        if not self.ids:
            return self.env["key.account.allocation"]
        return self.env["key.account.allocation"].search(
            [("picking_id", "in", self.ids)]
        )

    def action_key_account_accept(self):
        """The customer confirmed receipt of these deliveries."""
        self._key_account_get_allocations()._key_account_accept()
        return True

    def action_key_account_acceptance_wizard(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_order.key_account_acceptance_wizard_action"
        )
        action["context"] = {
            "active_model": "stock.picking",
            "active_id": self.id,
            "active_ids": self.ids,
            "default_result": "discrepancy",
        }
        return action
