# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

SHARED_PRICELIST = "key_account_contract.pricelist_key_account"


class ResCompany(models.Model):
    _inherit = "res.company"

    key_account_member_pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Member Pricelist",
        help="Pricelist shown as the member price next to the retail and "
        "key-account prices on products.",
    )
    key_account_pricelist_id = fields.Many2one(
        "product.pricelist",
        help="The key-account price tier (大客户价) of this company, the base of "
        "its contracts' prices. Empty: the shared Key Account Price pricelist.",
    )

    def _key_account_get_pricelist(self):
        """The company's key-account pricelist, else the shared one."""
        self.ensure_one()
        return self.key_account_pricelist_id or self._key_account_shared_pricelist()

    def _key_account_shared_pricelist(self):
        return (
            self.env.ref(SHARED_PRICELIST, raise_if_not_found=False)
            or self.env["product.pricelist"]
        )

    def write(self, vals):
        changed = self.browse()
        if "key_account_pricelist_id" in vals:
            changed = self.filtered(
                lambda c: (
                    c.key_account_pricelist_id.id
                    != (vals["key_account_pricelist_id"] or False)
                )
            )
        result = super().write(vals)
        if changed:
            # Contract prices are based on the key-account pricelist: rebase
            # the running contracts of these companies on the new one.
            self.env["key.account.contract"].sudo().search(
                [
                    ("company_id", "in", changed.ids),
                    ("state", "in", ("draft", "confirmed", "active")),
                ]
            )._sync_pricelist()
        return result
