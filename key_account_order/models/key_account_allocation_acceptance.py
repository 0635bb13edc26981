# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import AccessError, UserError

# What the customer said about a recipient's delivery: recorded only through
# the acceptance engine below (``_key_account_accept``,
# ``_key_account_report_discrepancy``), which checks rights.
ACCEPTANCE_FIELDS = {
    "acceptance_state": "pending",
    "discrepancy_type": False,
    "discrepancy_note": False,
}


class KeyAccountAllocation(models.Model):
    # key.account.guard.mixin: see key_account_allocation.py
    _inherit = "key.account.allocation"

    # Shown, never edited, in forms and lists.
    acceptance_state = fields.Selection(readonly=True)
    discrepancy_type = fields.Selection(readonly=True)
    discrepancy_note = fields.Text(readonly=True)

    def _key_account_guarded_fields(self):
        # The guard mixin's check in create/write (key_account_base).
        return dict(super()._key_account_guarded_fields(), **ACCEPTANCE_FIELDS)

    def _key_account_guard_error(self, names):
        if set(names) - set(ACCEPTANCE_FIELDS):
            # the delivery engine's links (key_account_allocation.py) first
            return super()._key_account_guard_error(names)
        return AccessError(
            self.env._(
                "%(fields)s of a recipient delivery change only through Record "
                "Acceptance (or the delivery's Accept button).",
                fields=self._key_account_field_labels(names),
            )
        )

    # ------------------------------------------------------------------
    # The acceptance engine: the back office's Record Acceptance wizard, the
    # delivery's Accept button and the portal all call it.
    # ------------------------------------------------------------------
    def _key_account_check_acceptance(self):
        """Who may write these recipients' deliveries may record their
        acceptance (the acceptance fields are then written as superuser);
        only a done delivery can be accepted or disputed."""
        self.check_access("write")
        if not self:
            raise UserError(self.env._("Select the recipient deliveries to record."))
        undelivered = self.filtered(
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

    def _key_account_accept(self):
        """The customer accepted the goods delivered to these recipients.
        A second Accept of the same delivery records nothing more (no second
        write, no second message). Returns the allocations accepted now."""
        self._key_account_check_acceptance()
        allocations = self.filtered(lambda a: a.acceptance_state != "accepted")
        if not allocations:
            return allocations
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
        return allocations

    def _key_account_report_discrepancy(self, discrepancy_type, note):
        """The customer reported a discrepancy (``discrepancy_type``, one of
        the field's values, described by ``note``) on the goods delivered to
        these recipients. Returns the messages posted on their orders (one
        per order)."""
        self._key_account_check_acceptance()
        types = dict(self._fields["discrepancy_type"]._description_selection(self.env))
        if discrepancy_type not in types:
            raise UserError(
                self.env._(
                    "Choose what is wrong with the delivery: %(types)s.",
                    types=", ".join(types.values()),
                )
            )
        note = (note or "").strip()
        if not note:
            raise UserError(
                self.env._("Describe the discrepancy: what is missing or damaged.")
            )
        self.sudo().write(
            {
                "acceptance_state": "discrepancy",
                "discrepancy_type": discrepancy_type,
                "discrepancy_note": note,
            }
        )
        messages = self.env["mail.message"]
        for order in self.order_id:
            recipients = self.filtered(lambda a, o=order: a.order_id == o)
            messages |= order.message_post(
                body=self.env._(
                    "Discrepancy reported (%(type)s) for %(recipients)s: %(note)s",
                    type=types[discrepancy_type],
                    recipients=", ".join(
                        recipients[:20].mapped("recipient_id.display_name")
                    ),
                    note=note,
                )
            )
        return messages
