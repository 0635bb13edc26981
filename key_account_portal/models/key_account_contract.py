# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class KeyAccountContract(models.Model):
    _inherit = "key.account.contract"

    def _key_account_portal_progress(self):
        """Share (0-100) of the committed amount already ordered; ``False``
        when the contract commits to no amount."""
        self.ensure_one()
        if self.committed_amount <= 0:
            return False
        return min(100.0, max(0.0, self.amount_ordered / self.committed_amount * 100))
