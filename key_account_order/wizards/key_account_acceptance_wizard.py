# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError


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
        self.ensure_one()
        if self.result == "accepted":
            self._accept(self.allocation_ids)
            return {"type": "ir.actions.act_window_close"}
        if not self.discrepancy_type or not (self.discrepancy_note or "").strip():
            raise UserError(
                self.env._(
                    "Choose the kind of discrepancy and describe what the customer "
                    "reported."
                )
            )
        self._report_discrepancy(
            self.allocation_ids, self.discrepancy_type, self.discrepancy_note.strip()
        )
        return {"type": "ir.actions.act_window_close"}

    # ------------------------------------------------------------------
    # Acceptance rules (also used by the delivery's Accept button)
    # ------------------------------------------------------------------
    @api.model
    def _check_delivered(self, allocations):
        """Only a done delivery can be accepted or disputed."""
        if not allocations:
            raise UserError(self.env._("Select the recipient deliveries to record."))
        undelivered = allocations.filtered(
            lambda a: not a.picking_id or a.picking_id.state != "done"
        )
        if undelivered:
            raise UserError(
                self.env._(
                    "Only delivered goods can be accepted: the delivery to "
                    "%(recipients)s is not done yet. Validate the delivery first.",
                    recipients=", ".join(
                        undelivered[:10].mapped("recipient_id.display_name")
                    ),
                )
            )

    @api.model
    def _check_acceptance_rights(self, allocations):
        """Who may write a recipient's delivery may record its acceptance; the
        acceptance fields themselves are then written by the engine."""
        allocations.check_access("write")

    @api.model
    def _accept(self, allocations):
        self._check_acceptance_rights(allocations)
        self._check_delivered(allocations)
        # A second click (or a second Accept of the same delivery) records
        # nothing more: no second write, no second message.
        allocations = allocations.filtered(lambda a: a.acceptance_state != "accepted")
        if not allocations:
            return True
        allocations.sudo().write(
            {
                "acceptance_state": "accepted",
                "discrepancy_type": False,
                "discrepancy_note": False,
            }
        )
        for order in allocations.order_id:
            recipients = allocations.filtered(lambda a, o=order: a.order_id == o)
            order.message_post(
                body=self.env._(
                    "Acceptance recorded: %(count)s recipient delivery(ies) accepted "
                    "(%(recipients)s).",
                    count=len(recipients),
                    recipients=", ".join(
                        recipients[:20].mapped("recipient_id.display_name")
                    ),
                )
            )
        return True

    @api.model
    def _report_discrepancy(self, allocations, discrepancy_type, note):
        self._check_acceptance_rights(allocations)
        self._check_delivered(allocations)
        allocations.sudo().write(
            {
                "acceptance_state": "discrepancy",
                "discrepancy_type": discrepancy_type,
                "discrepancy_note": note,
            }
        )
        type_label = dict(
            self._fields["discrepancy_type"]._description_selection(self.env)
        )[discrepancy_type]
        for order in allocations.order_id:
            recipients = allocations.filtered(lambda a, o=order: a.order_id == o)
            order.message_post(
                body=self.env._(
                    "Discrepancy reported (%(type)s) for %(recipients)s: %(note)s",
                    type=type_label,
                    recipients=", ".join(
                        recipients[:20].mapped("recipient_id.display_name")
                    ),
                    note=note,
                )
            )
        return True
