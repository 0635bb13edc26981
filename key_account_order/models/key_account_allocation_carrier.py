# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class KeyAccountAllocation(models.Model):
    _inherit = "key.account.allocation"

    def _key_account_deliver_changes(self, changes):
        # The one place recipient deliveries are created (confirmation and
        # later changes): their carriers are chosen right after, in batch.
        result = super()._key_account_deliver_changes(changes)
        self.picking_id._key_account_assign_carriers()
        return result
