# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools import email_normalize

PORTAL_ROLES = ("admin", "buyer", "approver", "finance")

# The fields of the organisation: written by staff (key-account users) or
# through the ``_key_account_org_*`` methods, never directly by anyone else.
ORG_FIELDS = (
    "key_account_role_admin",
    "key_account_role_buyer",
    "key_account_role_approver",
    "key_account_role_finance",
    "key_account_department_id",
    "key_account_order_limit",
    "key_account_portal_disabled",
    "key_account_approver_may_buy",
    "key_account_budget_required",
)
STAFF_GROUP = "key_account_base.key_account_group_user"

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
    key_account_org_contact_ids = fields.One2many(
        comodel_name="res.partner",
        inverse_name="parent_id",
        string="Portal Organisation",
        domain=[("type", "=", "contact"), ("key_account_recipient", "=", False)],
        help="The key account's contacts and their portal roles.",
    )
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
        if self.env.uid == 1:
            # The portal routes hand the models their records as the
            # superuser (core's ``_document_check_access``): the acting user
            # is then the signed-in portal user of the HTTP request.
            user = self._key_account_request_portal_user()
            if not user:
                return self.browse()
        elif not user.share:
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

    @api.model
    def _key_account_request_portal_user(self):
        """The signed-in portal user of the current HTTP request, if any
        (empty outside a request, for staff and for the public user)."""
        try:
            user = request.env.user if request and request.env else None
        except RuntimeError:  # no request bound (cron, job, shell)
            user = None
        if not user or not user.share or user._is_public():
            return self.env["res.users"]
        return user.with_env(self.env(user=user.id, su=False))

    # ------------------------------------------------------------------
    # Guard: the organisation fields
    # ------------------------------------------------------------------
    @api.model
    def _key_account_org_check_writer(self, vals_list):
        """Only staff (key-account users) and the ``_key_account_org_*``
        methods (superuser) write the organisation's fields: a portal
        contact or another internal user writing them over RPC is refused."""
        if self.env.su or self.env.user.has_group(STAFF_GROUP):
            return
        names = sorted(
            {name for vals in vals_list for name in vals if name in ORG_FIELDS}
        )
        if names:
            raise AccessError(
                self.env._(
                    "%(fields)s of a key account's organisation are set by its "
                    "portal administrator or by key-account staff.",
                    fields=", ".join(self._fields[name].string for name in names),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._key_account_org_check_writer(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._key_account_org_check_writer([vals])
        return super().write(vals)

    # ------------------------------------------------------------------
    # The organisation engine (portal administrator and staff)
    # ------------------------------------------------------------------
    @api.model
    def _key_account_org_check_admin(self, customer):
        """The acting user may manage ``customer``'s organisation: staff
        (key-account users, the superuser), or a portal administrator of that
        very key account (approved). Returns the key account (sudo)."""
        customer = customer.sudo().commercial_partner_id
        if not customer.is_key_account:
            raise UserError(
                self.env._("%(partner)s is not a key account.", partner=customer.name)
            )
        user = self.env.user
        if self.env.uid == 1 or (not user.share and user.has_group(STAFF_GROUP)):
            return customer
        if not user.share:
            raise AccessError(
                self.env._(
                    "Only key-account staff manage a customer's portal organisation."
                )
            )
        self._key_account_check_portal_role("admin", customer=customer, write=True)
        return customer

    def _key_account_org_contacts(self, customer):
        """The colleagues of ``customer``'s organisation: its contacts (not
        the recipients of its orders nor its addresses), disabled ones
        included."""
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("parent_id", "=", customer.id),
                    ("type", "=", "contact"),
                    ("key_account_recipient", "=", False),
                    ("active", "=", True),
                ],
                order="name, id",
            )
        )

    def _key_account_org_check_members(self, customer):
        """``self`` are colleagues of ``customer``: an administrator touches
        only the contacts of its own key account."""
        foreign = self.sudo().filtered(
            lambda partner: (
                partner.parent_id != customer
                or partner.type != "contact"
                or partner.key_account_recipient
            )
        )
        if foreign:
            raise AccessError(
                self.env._(
                    "%(contact)s is not a colleague of %(customer)s: you can only "
                    "manage your own company's contacts.",
                    contact=foreign[0].name,
                    customer=customer.name,
                )
            )

    def _key_account_org_check_admins_left(self, customer, had_admin):
        """The organisation keeps an enabled administrator when it had one:
        the last administrator cannot remove its role nor be disabled."""
        if not had_admin:
            return
        left = self._key_account_org_contacts(customer).filtered(
            lambda partner: (
                partner.key_account_role_admin
                and not partner.key_account_portal_disabled
            )
        )
        if not left:
            raise UserError(
                self.env._(
                    "%(customer)s would have no portal administrator left: give "
                    "the administrator role to another colleague first.",
                    customer=customer.name,
                )
            )

    def _key_account_org_admins(self, customer):
        return self._key_account_org_contacts(customer).filtered(
            lambda partner: (
                partner.key_account_role_admin
                and not partner.key_account_portal_disabled
            )
        )

    def _key_account_org_values(self, customer, values):
        """The organisation fields of a colleague from the form ``values``
        (roles as booleans, ``department_id``, ``order_limit``), checked:
        the department is one of ``customer``'s, the limit a number >= 0, an
        approver is no buyer unless the customer lets approvers buy."""
        vals = {}
        for role in PORTAL_ROLES:
            if role in values:
                vals[f"key_account_role_{role}"] = bool(values[role])
        if "department_id" in values:
            department = self.env["key.account.department"].sudo()
            if values["department_id"]:
                try:
                    department = department.browse(
                        int(values["department_id"])
                    ).exists()
                except (TypeError, ValueError):
                    department = department.browse()
                if not department or department.customer_id != customer:
                    raise UserError(
                        self.env._(
                            "Choose one of %(customer)s's departments.",
                            customer=customer.name,
                        )
                    )
            vals["key_account_department_id"] = department.id
        if "order_limit" in values:
            raw = values["order_limit"]
            text = str(raw if raw is not None else "").strip().replace(",", "")
            try:
                limit = float(text) if text else 0.0
            except ValueError:
                limit = -1
            if limit < 0:
                raise UserError(
                    self.env._(
                        "The per-order limit %(limit)s is not an amount: enter a "
                        "number of 0 or more (empty: no limit).",
                        limit=raw,
                    )
                )
            vals["key_account_order_limit"] = limit
        if (
            vals.get("key_account_role_approver")
            and vals.get("key_account_role_buyer")
            and not customer.key_account_approver_may_buy
        ):
            raise UserError(
                self.env._(
                    "%(customer)s does not let approvers buy: give a colleague the "
                    "buyer or the approver role, not both.",
                    customer=customer.name,
                )
            )
        return vals

    @api.model
    def _key_account_org_invite(self, customer, values):
        """Invite a colleague to ``customer``'s portal: the contact is created
        under the key account (or found by its email among its colleagues),
        given the roles, department and limit of ``values`` (see
        ``_key_account_org_values``; ``name``, ``email``), and granted portal
        access by core's portal wizard, which emails the invitation. Returns
        the contact."""
        customer = self._key_account_org_check_admin(customer)
        name = (values.get("name") or "").strip()
        email = email_normalize(values.get("email") or "")
        if not name or not email:
            raise UserError(
                self.env._("Enter the colleague's name and a valid email address.")
            )
        customer._key_account_lock_recipients()
        vals = self._key_account_org_values(customer, values)
        contacts = self._key_account_org_contacts(customer)
        contact = contacts.filtered(
            lambda partner: email_normalize(partner.email or "") == email
        )[:1]
        if contact.user_ids.filtered("active"):
            raise UserError(
                self.env._(
                    "%(email)s is already a colleague with portal access: change "
                    "the roles of %(name)s instead.",
                    email=email,
                    name=contact.name,
                )
            )
        Partner = self.env["res.partner"].sudo()
        if contact:
            contact.write({**vals, "key_account_portal_disabled": False})
        else:
            contact = Partner.create(
                {
                    "name": name,
                    "email": email,
                    "parent_id": customer.id,
                    "type": "contact",
                    "lang": customer.lang or self.env.lang,
                    **vals,
                }
            )
        contact._key_account_org_grant_access(customer)
        return self.browse(contact.id)

    def _key_account_org_grant_access(self, customer):
        """Core's portal invitation (``portal.wizard.user.action_grant_access``,
        which creates or reactivates the user and emails the sign-up link)."""
        self.ensure_one()
        lang = self.lang or customer.lang or self.env.lang
        wizard = (
            self.env["portal.wizard"]
            .sudo()
            .with_context(active_ids=[], active_id=False, active_model=False)
            .create(
                {
                    "partner_ids": [Command.set(self.ids)],
                    "welcome_message": customer.with_context(lang=lang).env._(
                        "A colleague invited you to the customer portal of "
                        "%(company)s: sign up with the link below.",
                        company=customer.name,
                    ),
                }
            )
        )
        wizard_user = wizard.user_ids.filtered(lambda line: line.partner_id == self)
        if not wizard_user.is_portal and not wizard_user.is_internal:
            wizard_user.action_grant_access()

    def _key_account_org_revoke_access(self):
        """Core's revocation (the portal user is archived: its sessions end)."""
        for partner in self.sudo():
            wizard = (
                self.env["portal.wizard"]
                .sudo()
                .with_context(active_ids=[], active_id=False, active_model=False)
                .create({"partner_ids": [Command.set(partner.ids)]})
            )
            wizard_user = wizard.user_ids.filtered(
                lambda line, partner=partner: line.partner_id == partner
            )
            if wizard_user.is_portal:
                wizard_user.action_revoke_access()

    def _key_account_org_set_roles(self, values):
        """Set the roles, department and limit (``values``, see
        ``_key_account_org_values``) of the colleagues ``self`` (one key
        account). The organisation keeps an administrator."""
        if not self:
            return True
        customer = self._key_account_org_check_admin(self[:1])
        self._key_account_org_check_members(customer)
        customer._key_account_lock_recipients()
        had_admin = bool(self._key_account_org_admins(customer))
        vals = self._key_account_org_values(customer, values)
        partners = self.sudo()
        with self.env.cr.savepoint():
            partners.write(vals)
            if not customer.key_account_approver_may_buy and partners.filtered(
                lambda partner: (
                    partner.key_account_role_approver and partner.key_account_role_buyer
                )
            ):
                raise UserError(
                    self.env._(
                        "%(customer)s does not let approvers buy: give a colleague the "
                        "buyer or the approver role, not both.",
                        customer=customer.name,
                    )
                )
            self._key_account_org_check_admins_left(customer, had_admin)
        return True

    def _key_account_org_set_disabled(self, disabled=True):
        """Disable (or enable again) the colleagues ``self`` in the portal:
        refused at once by every route (their open sessions end: core's
        revocation archives their users); enabling grants access again (core
        emails a new invitation). An administrator does not disable himself
        when he is the last one."""
        if not self:
            return True
        customer = self._key_account_org_check_admin(self[:1])
        self._key_account_org_check_members(customer)
        customer._key_account_lock_recipients()
        had_admin = bool(self._key_account_org_admins(customer))
        partners = self.sudo()
        with self.env.cr.savepoint():
            partners.write({"key_account_portal_disabled": bool(disabled)})
            self._key_account_org_check_admins_left(customer, had_admin)
        if disabled:
            partners._key_account_org_revoke_access()
        else:
            for partner in partners:
                if partner.email:
                    partner._key_account_org_grant_access(customer)
        return True

    # Departments
    @api.model
    def _key_account_org_save_department(self, customer, values, department=None):
        """Create (or rename, with ``department``) a department of
        ``customer``: ``values`` has ``name``, ``code``, ``head_id``."""
        customer = self._key_account_org_check_admin(customer)
        Department = self.env["key.account.department"].sudo()
        if department is not None:
            department = Department.browse(department.id).exists()
            if not department or department.customer_id != customer:
                raise AccessError(
                    self.env._("This department is not one of your company's.")
                )
        name = (values.get("name") or "").strip()
        if not name:
            raise UserError(self.env._("Enter the department's name."))
        head = self.env["res.partner"]
        if values.get("head_id"):
            try:
                head = self.browse(int(values["head_id"])).sudo().exists()
            except (TypeError, ValueError):
                head = self.browse()
            if not head:
                raise UserError(self.env._("Choose the head among your colleagues."))
            head._key_account_org_check_members(customer)
        vals = {
            "name": name,
            "code": (values.get("code") or "").strip() or False,
            "head_id": head.id,
        }
        same_name = Department.with_context(active_test=False).search(
            [("customer_id", "=", customer.id), ("name", "=", name)], limit=1
        )
        if same_name and same_name != department:
            raise UserError(
                self.env._(
                    "%(customer)s already has a department %(name)s.",
                    customer=customer.name,
                    name=name,
                )
            )
        if department:
            department.write(vals)
            return department
        return Department.create({**vals, "customer_id": customer.id})

    @api.model
    def _key_account_org_archive_department(self, department, archive=True):
        customer = self._key_account_org_check_admin(department.sudo().customer_id)
        department = department.sudo()
        if department.customer_id != customer:
            raise AccessError(
                self.env._("This department is not one of your company's.")
            )
        department.active = not archive
        return True

    # Delivery locations
    @api.model
    def _key_account_org_locations(self, customer):
        return (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("parent_id", "=", customer.id),
                    ("type", "=", "delivery"),
                    ("key_account_recipient", "=", False),
                ],
                order="name, id",
            )
        )

    @api.model
    def _key_account_org_save_location(self, customer, values, location=None):
        """Create (or change, with ``location``) a delivery address of
        ``customer`` (a res.partner of type delivery): ``values`` has
        ``name``, ``street``, ``city``, ``zip``, ``phone``."""
        customer = self._key_account_org_check_admin(customer)
        if location is not None:
            location = self.sudo().browse(location.id).exists()
            if (
                not location
                or location.parent_id != customer
                or location.type != "delivery"
                or location.key_account_recipient
            ):
                raise AccessError(
                    self.env._("This delivery location is not one of your company's.")
                )
        name = (values.get("name") or "").strip()
        street = (values.get("street") or "").strip()
        city = (values.get("city") or "").strip()
        if not name or not street or not city:
            raise UserError(self.env._("Enter the location's name, street and city."))
        vals = {
            "name": name,
            "street": street,
            "city": city,
            "zip": (values.get("zip") or "").strip() or False,
            "phone": (values.get("phone") or "").strip() or False,
        }
        if location:
            location.write(vals)
            return location
        return self.sudo().create(
            {**vals, "parent_id": customer.id, "type": "delivery"}
        )

    @api.model
    def _key_account_org_archive_location(self, location):
        location = self.sudo().browse(location.id).exists()
        customer = self._key_account_org_check_admin(location.parent_id or location)
        if location.parent_id != customer or location.type != "delivery":
            raise AccessError(
                self.env._("This delivery location is not one of your company's.")
            )
        location.active = False
        return True
