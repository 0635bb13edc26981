# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResPartner(models.Model):
    """The customer's organisation: the roles of each portal contact of a
    key account, and the key account's own purchasing settings."""

    _inherit = "res.partner"

    # On a contact of a key account
    key_account_role_admin = fields.Boolean(string="Administrator")
    key_account_role_buyer = fields.Boolean(string="Buyer")
    key_account_role_approver = fields.Boolean(string="Approver")
    key_account_role_finance = fields.Boolean(string="Finance")
    key_account_department_id = fields.Many2one(
        comodel_name="key.account.department", string="Department", index=True
    )
    key_account_order_limit = fields.Monetary(
        string="Per-Order Limit",
        currency_field="key_account_currency_id",
        help="A buyer's order above this amount waits for approval. Empty: no limit.",
    )
    key_account_portal_disabled = fields.Boolean(
        string="Disabled in the Portal",
        help="Disabled by the customer's administrator: refused by every portal route.",
    )
    key_account_department_ids = fields.One2many(
        comodel_name="key.account.department",
        inverse_name="customer_id",
        string="Departments",
    )
    # On the key account (commercial entity)
    key_account_approver_may_buy = fields.Boolean(
        string="Approvers May Also Buy",
        help="Off: an approver who is also a buyer does not approve his own orders.",
    )
    key_account_budget_required = fields.Boolean(
        string="Budgets Required",
        help="On: a department without a budget for the period cannot order.",
    )

    def _key_account_portal_roles(self):
        """The roles of the portal contact ``self`` in its key account, as a
        frozenset of ``"admin"``, ``"buyer"``, ``"approver"``, ``"finance"``.

        A disabled contact has none. While the key account has no
        administrator (its organisation is not set up), every contact has
        every role but ``approver``: it orders, pays and answers as before, and
        nothing waits for a customer's approval. Once an administrator exists,
        a contact has exactly the roles it was given.
        """
        self.ensure_one()
        partner = self.sudo()
        if partner.key_account_portal_disabled:
            return frozenset()
        customer = partner.commercial_partner_id
        if not customer.is_key_account:
            return frozenset()
        has_admin = self.sudo().search_count(
            [
                ("commercial_partner_id", "=", customer.id),
                ("key_account_role_admin", "=", True),
                ("key_account_portal_disabled", "=", False),
            ],
            limit=1,
        )
        if not has_admin:
            return frozenset({"buyer", "finance"})
        roles = set()
        for role in ("admin", "buyer", "approver", "finance"):
            if partner[f"key_account_role_{role}"]:
                roles.add(role)
        return frozenset(roles)
