# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError

# What the customer said about a recipient's delivery: recorded only through
# the acceptance methods (key.account.acceptance.wizard), which check rights.
ACCEPTANCE_FIELDS = {
    "acceptance_state": "pending",
    "discrepancy_type": False,
    "discrepancy_note": False,
}


class KeyAccountAllocation(models.Model):
    _inherit = "key.account.allocation"

    # Shown, never edited, in forms and lists.
    acceptance_state = fields.Selection(readonly=True)
    discrepancy_type = fields.Selection(readonly=True)
    discrepancy_note = fields.Text(readonly=True)

    def _key_account_check_acceptance_vals(self, vals_list, creating=False):
        if self.env.su:
            return
        forged = sorted(
            {
                name
                for vals in vals_list
                for name, value in vals.items()
                if name in ACCEPTANCE_FIELDS
                and not (creating and (value or False) == ACCEPTANCE_FIELDS[name])
            }
        )
        if forged:
            raise AccessError(
                self.env._(
                    "%(fields)s of a recipient delivery change only through Record "
                    "Acceptance (or the delivery's Accept button).",
                    fields=", ".join(
                        self._fields[name].get_description(self.env)["string"]
                        for name in forged
                    ),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._key_account_check_acceptance_vals(vals_list, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._key_account_check_acceptance_vals([vals])
        return super().write(vals)
