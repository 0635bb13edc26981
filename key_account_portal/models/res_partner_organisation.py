# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError

PORTAL_ROLES = ("admin", "buyer", "approver", "finance")

# The roles of a contact while its key account's organisation is not set up
# (no enabled contact holds any role): it orders, pays and answers as before,
# and nothing waits for a customer's approval.
DEFAULT_ROLES = frozenset({"buyer", "finance"})


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
        help="Off (the default): a contact who approves does not order; his "
        "buyer role is ignored while he is an approver. On: an approver may "
        "also be a buyer (he still never approves his own orders).",
    )
    key_account_budget_required = fields.Boolean(
        string="Budgets Required",
        help="On: a department without a budget for the period cannot order.",
    )

    # ------------------------------------------------------------------
    # Roles
    # ------------------------------------------------------------------
    @api.model
    def _key_account_org_role_fields(self):
        return [f"key_account_role_{role}" for role in PORTAL_ROLES]

    def _key_account_org_is_set_up(self):
        """The key accounts (commercial entities) among ``self`` whose
        organisation is set up: one enabled contact holds a role. One query
        for the whole recordset."""
        customers = self.sudo().commercial_partner_id
        if not customers:
            return customers
        role_domain = ["|"] * (len(PORTAL_ROLES) - 1) + [
            (name, "=", True) for name in self._key_account_org_role_fields()
        ]
        groups = (
            self.env["res.partner"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", customers.ids),
                    ("key_account_portal_disabled", "=", False),
                    *role_domain,
                ],
                groupby=["commercial_partner_id"],
            )
        )
        return self.env["res.partner"].browse([customer.id for (customer,) in groups])

    def _key_account_portal_roles_map(self):
        """``{partner: frozenset(roles)}`` for every contact in ``self``
        (see ``_key_account_portal_roles``), batched: one query whatever the
        number of contacts."""
        partners = self.sudo()
        set_up = partners._key_account_org_is_set_up()
        result = {}
        for partner in partners:
            customer = partner.commercial_partner_id
            if partner.key_account_portal_disabled or not customer.is_key_account:
                roles = frozenset()
            elif customer not in set_up:
                roles = DEFAULT_ROLES
            else:
                roles = {
                    role for role in PORTAL_ROLES if partner[f"key_account_role_{role}"]
                }
                if "approver" in roles and not customer.key_account_approver_may_buy:
                    roles.discard("buyer")
                roles = frozenset(roles)
            result[self.browse(partner.id)] = roles
        return result

    def _key_account_portal_roles(self):
        """The roles of the portal contact ``self`` in its key account, as a
        frozenset of ``"admin"``, ``"buyer"``, ``"approver"``, ``"finance"``.

        The policy (README, "Portal roles"):

        - a disabled contact, or a contact of no key account, has none;
        - while the key account's organisation is not set up (no enabled
          contact of it holds any role), every contact has ``buyer`` and
          ``finance``: it orders, pays and answers as before, nobody
          administers and nothing waits for a customer's approval. Staff
          appoint the first administrator in the back office;
        - once one contact holds a role, every contact has exactly the roles
          it was given (a contact with none reaches nothing);
        - unless the key account lets approvers buy
          (``key_account_approver_may_buy``, off by default as in SAP B2B),
          an approver's buyer role is ignored: an approver does not order.
        """
        self.ensure_one()
        return self._key_account_portal_roles_map()[self]

    def _key_account_portal_check(self, role=None, write=False):
        """Check that the contact ``self`` may act in its key account's
        portal (``role``: one role or a tuple of roles, any one will do;
        ``write``: the key account must be approved). Raise AccessError
        otherwise; return the key account (commercial entity)."""
        self.ensure_one()
        env = self.env
        partner = self.sudo()
        customer = partner.commercial_partner_id
        access = partner._key_account_portal_access()
        if not access:
            raise AccessError(
                env._(
                    "Your account is not the contact of a key account: ask your "
                    "account manager for portal access."
                )
            )
        if partner.key_account_portal_disabled:
            raise AccessError(
                env._(
                    "Your portal access to %(customer)s was disabled by your "
                    "company's administrator.",
                    customer=customer.name,
                )
            )
        if write and access != "active":
            raise AccessError(
                env._(
                    "The key account %(customer)s is not approved (it is under "
                    "review, rejected or suspended): you can read its documents "
                    "but not order, accept or answer. Contact your account "
                    "manager.",
                    customer=customer.name,
                )
            )
        if role:
            wanted = {role} if isinstance(role, str) else set(role)
            if not wanted & partner._key_account_portal_roles():
                raise AccessError(
                    env._(
                        "Your role in %(customer)s does not allow this: ask your "
                        "company's portal administrator.",
                        customer=customer.name,
                    )
                )
        return self.browse(customer.id)

    @api.model
    def _key_account_check_portal_role(self, role=None, customer=None, write=False):
        """The check every model method the portal calls makes first.

        The acting user is ``self.env.user`` (also under ``sudo()``). Staff
        (internal users) and the superuser pass: their rights come from
        their groups and record rules. A portal user must be an enabled
        contact of a key account holding ``role`` (a role or a tuple of
        roles, any one will do; ``None``: any role at all), of the key
        account ``customer`` when given, and with ``write=True`` the key
        account must be approved. Raise AccessError otherwise; return the
        acting contact's key account (empty for staff).
        """
        user = self.env.user
        if self.env.uid == 1 or not user.share:
            return self.browse()
        acting = user.partner_id
        if role is None:
            role = PORTAL_ROLES
        own = acting._key_account_portal_check(role=role, write=write)
        if customer is not None:
            customers = customer.sudo().commercial_partner_id
            if customers and customers != own:
                raise AccessError(
                    self.env._(
                        "This belongs to another company than %(customer)s.",
                        customer=own.name,
                    )
                )
        return own
