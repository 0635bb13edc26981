# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class KeyAccountAcceptanceWizard(models.TransientModel):
    """Record what the customer says about delivered recipients' goods:
    accepted, or a discrepancy (quantity, damage, other) with a note."""

    _name = "key.account.acceptance.wizard"
    _description = "Record Key Account Delivery Acceptance"

    allocation_ids = fields.Many2many(
        comodel_name="key.account.allocation",
        string="Recipient Deliveries",
        required=True,
    )
    result = fields.Selection(
        selection=[("accepted", "Accepted"), ("discrepancy", "Discrepancy")],
        required=True,
        default="accepted",
    )
    discrepancy_type = fields.Selection(
        selection=[
            ("quantity", "Quantity"),
            ("damage", "Damage"),
            ("other", "Other"),
        ],
    )
    discrepancy_note = fields.Text(
        string="Note",
        help="What the customer reported: missing units, damaged packaging, ...",
    )

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        context = self.env.context
        active_ids = context.get("active_ids") or (
            context.get("active_id") and [context["active_id"]]
        )
        if "allocation_ids" in fields_list and not res.get("allocation_ids"):
            allocations = self.env["key.account.allocation"]
            if context.get("active_model") == "key.account.allocation":
                allocations = allocations.browse(active_ids)
            elif context.get("active_model") == "stock.picking":
                allocations = (
                    self.env["stock.picking"]
                    .browse(active_ids)
                    ._key_account_get_allocations()
                )
            elif context.get("active_model") == "sale.order":
                # What is left to record: delivered, not yet accepted.
                allocations = allocations.search(
                    [
                        ("order_id", "in", active_ids),
                        ("acceptance_state", "=", "pending"),
                        ("picking_id.state", "=", "done"),
                    ]
                )
            res["allocation_ids"] = [(6, 0, allocations.ids)]
        return res

    def action_confirm(self):
        """Record the acceptance through the allocations' acceptance engine
        (``key.account.allocation._key_account_accept`` and
        ``_key_account_report_discrepancy``)."""
        self.ensure_one()
        if self.result == "accepted":
            self.allocation_ids._key_account_accept()
        else:
            self.allocation_ids._key_account_report_discrepancy(
                self.discrepancy_type, self.discrepancy_note
            )
        return {"type": "ir.actions.act_window_close"}
