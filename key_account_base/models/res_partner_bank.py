# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import AccessError

from ..tools import changed_fields

# The bank account data a reviewer checked (flags such as the trusted
# account one stay with the accountants).
REVIEWED_BANK_FIELDS = ("partner_id", "acc_number", "bank_id", "acc_holder_name")


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    def _key_account_refuse_reviewed(self, partners):
        """Raise when ``partners`` holds a reviewed key account and the user
        is not a Key Account Manager."""
        reviewed = partners.filtered(lambda p: p._key_account_is_reviewed())
        if reviewed and not reviewed._key_account_is_manager():
            raise AccessError(
                self.env._(
                    "The bank accounts of %(partners)s have been reviewed: only a "
                    "Key Account Manager adds, changes or removes them.",
                    partners=", ".join(reviewed.mapped("display_name")),
                )
            )

    def _key_account_records_payments(self):
        """Accountants record the account a payment came from: reconciling a
        bank statement creates it (core's ``_find_or_create_bank_account``)."""
        group = self.env.ref("account.group_account_invoice", raise_if_not_found=False)
        return bool(group) and group in self.env.user.groups_id

    @api.model_create_multi
    def create(self, vals_list):
        partners = self.env["res.partner"]
        if not self.env.su:
            partners = self.env["res.partner"].browse(
                {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
            )
            if not self._key_account_records_payments():
                self._key_account_refuse_reviewed(partners)
        banks = super().create(vals_list)
        # An account added by an accountant is news to the key-account
        # team: it is logged on the customer for their review.
        reviewed = partners.filtered(lambda p: p._key_account_is_reviewed())
        if reviewed and not reviewed._key_account_is_manager():
            for bank in banks.filtered(lambda b: b.partner_id in reviewed):
                bank.partner_id.sudo().message_post(
                    body=self.env._(
                        "Bank account %(account)s was added by %(user)s (a payment "
                        "came from it); a Key Account Manager should review it.",
                        account=bank.acc_number,
                        user=self.env.user.name,
                    )
                )
        return banks

    def write(self, vals):
        if not self.env.su:
            changed = self.filtered(
                lambda bank: changed_fields(bank, vals, REVIEWED_BANK_FIELDS)
            )
            partners = changed.partner_id
            if vals.get("partner_id") and changed:
                partners |= self.env["res.partner"].browse(vals["partner_id"])
            self._key_account_refuse_reviewed(partners)
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            self._key_account_refuse_reviewed(self.partner_id)
        return super().unlink()
