# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class SaleOrder(models.Model):
    """Core's portal quotation page must not confirm a key-account order:
    it goes through the review pool (订单池), whose approval confirms it."""

    _inherit = "sale.order"

    def _has_to_be_signed(self):
        if self.partner_id.commercial_partner_id.is_key_account:
            return False
        return super()._has_to_be_signed()

    def _has_to_be_paid(self):
        if self.partner_id.commercial_partner_id.is_key_account:
            return False
        return super()._has_to_be_paid()
