# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _key_account_portal_access(self):
        """What the portal offers the contact ``self``: ``"active"`` (a contact
        of an approved key account: it orders, accepts, answers statements),
        ``"inactive"`` (a contact of a key account under review, rejected or
        suspended: it reads its documents and changes nothing) or ``False``
        (no key account)."""
        self.ensure_one()
        customer = self.sudo().commercial_partner_id
        if not customer.is_key_account:
            return False
        return "active" if customer.key_account_state == "approved" else "inactive"
