# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What of the fapiao the customer's finance contacts see in the portal:
the fapiao of an invoice or a statement, and their files."""

from odoo import models

# The fapiao a customer sees: those the tax system issued (and what became
# of them).
PORTAL_FAPIAO_STATES = ("issued", "red_reversed", "voided")


class KeyAccountFapiao(models.Model):
    _inherit = "key.account.fapiao"

    def _key_account_portal_visible(self, partner):
        """These fapiao (sudo) as the portal contact ``partner`` may see
        them: its key account's, issued, and only with the finance role."""
        if "finance" not in partner._key_account_portal_roles():
            return self.browse()
        customer = partner.commercial_partner_id
        return self.sudo().filtered(
            lambda f: f.partner_id == customer and f.state in PORTAL_FAPIAO_STATES
        )


class AccountMove(models.Model):
    _inherit = "account.move"

    def _key_account_portal_fapiao(self, partner):
        """The fapiao of this invoice the portal contact ``partner`` sees
        (sudo). The portal renders the invoice as the superuser: the
        contact is given, not read from the environment."""
        self.ensure_one()
        return self.sudo().key_account_fapiao_ids._key_account_portal_visible(partner)


class KeyAccountStatement(models.Model):
    _inherit = "key.account.statement"

    def _key_account_portal_fapiao(self, partner):
        """The fapiao of this statement's invoices the portal contact
        ``partner`` sees (sudo)."""
        self.ensure_one()
        moves = self.sudo().line_ids.move_id
        return moves.key_account_fapiao_ids._key_account_portal_visible(partner)

    def _key_account_portal_fapiao_request(self):
        """The customer's fapiao request of this statement (sudo), if any."""
        self.ensure_one()
        return self.sudo().fapiao_request_ids.filtered(
            lambda r: r.state != "cancelled" and not r.origin_fapiao_id
        )[:1]

    def _key_account_portal_can_request_fapiao(self, partner):
        """The portal contact ``partner`` may ask for this statement's
        fapiao: confirmed, something left to request, no request yet,
        finance role."""
        self.ensure_one()
        statement = self.sudo()
        return bool(
            statement.state == "confirmed"
            and "finance" in partner._key_account_portal_roles()
            and not statement._key_account_portal_fapiao_request()
            and statement._fapiao_request_invoices()
        )
