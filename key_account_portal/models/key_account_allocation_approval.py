# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models

# The allocation fields whose change needs the customer's approval again.
APPROVAL_ALLOCATION_FIELDS = frozenset({"order_line_id", "recipient_id", "quantity"})


class KeyAccountAllocation(models.Model):
    """The recipients of a quotation are part of what the customer's
    approver approved (see sale_order_line_approval.py)."""

    _inherit = "key.account.allocation"

    @api.model_create_multi
    def create(self, vals_list):
        allocations = super().create(vals_list)
        allocations.order_id._key_account_approval_changed()
        return allocations

    def write(self, vals):
        if APPROVAL_ALLOCATION_FIELDS & set(vals):
            self.order_id._key_account_approval_changed()
        return super().write(vals)

    def unlink(self):
        self.order_id._key_account_approval_changed()
        return super().unlink()
