# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class SaleOrder(models.Model):
    """Core's portal must neither confirm a key-account order (it goes
    through the review pool, 订单池, whose approval confirms it) nor open it
    to whoever holds its link."""

    _inherit = "sale.order"

    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        """The chatter of a key-account order (its messages name recipients,
        deliveries and discrepancies) is for the users who may read the
        order itself: the customer's contacts and the sales team. An access
        token or a signed link (``hash``/``pid``) alone opens nothing; with
        the read access, the token lets a contact post, as on core's
        quotation page."""
        thread = super()._get_thread_with_access(thread_id, mode=mode, **kwargs)
        if (
            thread
            and not self.env.su
            and thread.sudo().partner_id.commercial_partner_id.is_key_account
            and not self.browse(thread_id).has_access("read")
        ):
            return self.browse()
        return thread

    def _has_to_be_signed(self):
        if self.partner_id.commercial_partner_id.is_key_account:
            return False
        return super()._has_to_be_signed()

    def _has_to_be_paid(self):
        if self.partner_id.commercial_partner_id.is_key_account:
            return False
        return super()._has_to_be_paid()
