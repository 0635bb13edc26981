# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class KeyAccountStatement(models.Model):
    """The customer's answer to a statement is its finance's: a portal user
    answers only with the finance role in the statement's key account (staff
    recording the customer's answer pass)."""

    _inherit = "key.account.statement"

    def _key_account_portal_check_finance(self):
        self.env["res.partner"]._key_account_check_portal_role(
            "finance", customer=self.partner_id, write=True
        )

    def action_customer_confirm(self):
        self._key_account_portal_check_finance()
        return super().action_customer_confirm()

    def action_customer_dispute(self, line_ids, reason):
        self._key_account_portal_check_finance()
        return super().action_customer_dispute(line_ids, reason)
