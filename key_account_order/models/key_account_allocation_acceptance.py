# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import AccessError

# What the customer said about a recipient's delivery: recorded only through
# the acceptance methods (key.account.acceptance.wizard), which check rights.
ACCEPTANCE_FIELDS = {
    "acceptance_state": "pending",
    "discrepancy_type": False,
    "discrepancy_note": False,
}


class KeyAccountAllocation(models.Model):
    _name = "key.account.allocation"
    _inherit = ("key.account.allocation", "key.account.guard.mixin")

    # Shown, never edited, in forms and lists.
    acceptance_state = fields.Selection(readonly=True)
    discrepancy_type = fields.Selection(readonly=True)
    discrepancy_note = fields.Text(readonly=True)

    def _key_account_guarded_fields(self):
        # The guard mixin's check in create/write (key_account_base).
        return dict(super()._key_account_guarded_fields(), **ACCEPTANCE_FIELDS)

    def _key_account_guard_error(self, names):
        return AccessError(
            self.env._(
                "%(fields)s of a recipient delivery change only through Record "
                "Acceptance (or the delivery's Accept button).",
                fields=self._key_account_field_labels(names),
            )
        )
