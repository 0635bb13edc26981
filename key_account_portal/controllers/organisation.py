# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The customer's organisation in the portal (administrator): colleagues
and their roles, departments, delivery locations. Thin: each route checks
the administrator role, then calls the ``res.partner._key_account_org_*``
engine (which checks again)."""

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from .common import KeyAccountPortal

ROLE_FIELDS = ("admin", "buyer", "approver", "finance")


class KeyAccountPortalOrganisation(KeyAccountPortal):
    def _ka_org_values(self, customer, page, **values):
        Partner = request.env["res.partner"].sudo()
        colleagues = Partner._key_account_org_contacts(customer)
        values.update(
            self._prepare_portal_layout_values(),
            page_name=page,
            customer=customer,
            colleagues=colleagues,
            roles=colleagues._key_account_portal_roles_map(),
            departments=request.env["key.account.department"]
            .sudo()
            .with_context(active_test=False)
            .search([("customer_id", "=", customer.id)]),
            locations=Partner._key_account_org_locations(customer),
            me=request.env.user.partner_id,
            not_approved=customer.sudo().key_account_state != "approved",
        )
        return values

    def _ka_org_render(self, template, page, **values):
        try:
            customer = self._ka_customer(role="admin")
        except AccessError:
            return request.redirect("/my")
        return request.render(template, self._ka_org_values(customer, page, **values))

    def _ka_org_post(self, action, template, page, redirect):
        """Check the administrator (account approved), run ``action
        (customer)`` in a savepoint; a refusal is shown on the page with
        nothing written."""
        try:
            customer = self._ka_customer(write=True, role="admin")
        except AccessError:
            # not an administrator, or the account is not approved (the
            # pages say so): nothing is written, nothing of the record shown
            return request.redirect("/my/organisation")
        try:
            with request.env.cr.savepoint():
                action(customer)
        except (AccessError, MissingError):
            # another company's record: nothing of it is shown
            request.env.invalidate_all()
            return request.redirect("/my/organisation")
        except UserError as error:
            request.env.invalidate_all()
            return self._ka_org_render(template, page, error=error.args[0])
        except (TypeError, ValueError):
            request.env.invalidate_all()
            return self._ka_org_render(
                template,
                page,
                error=_("The form is incomplete: reload the page and send it again."),
            )
        return request.redirect(redirect)

    @staticmethod
    def _ka_org_colleague(partner_id):
        return request.env["res.partner"].browse(int(partner_id))

    @staticmethod
    def _ka_org_role_values(post):
        values = {role: bool(post.get(f"role_{role}")) for role in ROLE_FIELDS}
        if "department_id" in post:
            values["department_id"] = post.get("department_id") or False
        if "order_limit" in post:
            values["order_limit"] = post.get("order_limit")
        return values

    # Colleagues ------------------------------------------------------
    @http.route(
        "/my/organisation", type="http", auth="user", website=True, methods=["GET"]
    )
    def key_account_organisation(self, saved=None, **kw):
        return self._ka_org_render(
            "key_account_portal.portal_my_organisation",
            "key_account_organisation",
            saved=saved,
        )

    @http.route(
        "/my/organisation/invite",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def key_account_organisation_invite(self, **post):
        values = {
            "name": post.get("name"),
            "email": post.get("email"),
            **self._ka_org_role_values(post),
        }

        def invite(customer):
            request.env["res.partner"]._key_account_org_invite(customer, values)

        return self._ka_org_post(
            invite,
            "key_account_portal.portal_my_organisation",
            "key_account_organisation",
            "/my/organisation?saved=invited",
        )

    @http.route(
        "/my/organisation/colleagues/<int:partner_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def key_account_organisation_colleague(self, partner_id, **kw):
        try:
            customer = self._ka_customer(role="admin")
            colleague = self._ka_org_colleague(partner_id).sudo().exists()
            colleague._key_account_org_check_members(customer)
        except (AccessError, MissingError):
            return request.redirect("/my/organisation")
        if not colleague:
            return request.redirect("/my/organisation")
        return request.render(
            "key_account_portal.portal_my_organisation_colleague",
            self._ka_org_values(
                customer, "key_account_organisation", colleague=colleague
            ),
        )

    @http.route(
        "/my/organisation/colleagues/<int:partner_id>/roles",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def key_account_organisation_roles(self, partner_id, **post):
        values = self._ka_org_role_values(post)

        def set_roles(customer):
            self._ka_org_colleague(partner_id)._key_account_org_set_roles(values)

        return self._ka_org_post(
            set_roles,
            "key_account_portal.portal_my_organisation",
            "key_account_organisation",
            "/my/organisation?saved=roles",
        )

    @http.route(
        [
            "/my/organisation/colleagues/<int:partner_id>/disable",
            "/my/organisation/colleagues/<int:partner_id>/enable",
        ],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def key_account_organisation_disable(self, partner_id, **post):
        disabled = request.httprequest.path.endswith("/disable")

        def set_disabled(customer):
            self._ka_org_colleague(partner_id)._key_account_org_set_disabled(disabled)

        return self._ka_org_post(
            set_disabled,
            "key_account_portal.portal_my_organisation",
            "key_account_organisation",
            "/my/organisation?saved=%s" % ("disabled" if disabled else "enabled"),
        )

    # Departments -----------------------------------------------------
    @http.route(
        "/my/organisation/departments",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def key_account_organisation_departments(self, saved=None, **kw):
        return self._ka_org_render(
            "key_account_portal.portal_my_organisation_departments",
            "key_account_departments",
            saved=saved,
        )

    @http.route(
        "/my/organisation/departments/save",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def key_account_organisation_department_save(self, department_id=None, **post):
        def save(customer):
            department = None
            if department_id:
                department = request.env["key.account.department"].browse(
                    int(department_id)
                )
            request.env["res.partner"]._key_account_org_save_department(
                customer, post, department=department
            )

        return self._ka_org_post(
            save,
            "key_account_portal.portal_my_organisation_departments",
            "key_account_departments",
            "/my/organisation/departments?saved=1",
        )

    @http.route(
        "/my/organisation/departments/<int:department_id>/archive",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def key_account_organisation_department_archive(self, department_id, **post):
        def archive(customer):
            department = request.env["key.account.department"].browse(department_id)
            request.env["res.partner"]._key_account_org_archive_department(
                department, archive=not post.get("restore")
            )

        return self._ka_org_post(
            archive,
            "key_account_portal.portal_my_organisation_departments",
            "key_account_departments",
            "/my/organisation/departments?saved=1",
        )

    # Delivery locations ----------------------------------------------
    @http.route(
        "/my/organisation/locations",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def key_account_organisation_locations(self, saved=None, **kw):
        return self._ka_org_render(
            "key_account_portal.portal_my_organisation_locations",
            "key_account_locations",
            saved=saved,
        )

    @http.route(
        "/my/organisation/locations/save",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def key_account_organisation_location_save(self, location_id=None, **post):
        def save(customer):
            location = None
            if location_id:
                location = request.env["res.partner"].browse(int(location_id))
            request.env["res.partner"]._key_account_org_save_location(
                customer, post, location=location
            )

        return self._ka_org_post(
            save,
            "key_account_portal.portal_my_organisation_locations",
            "key_account_locations",
            "/my/organisation/locations?saved=1",
        )

    @http.route(
        "/my/organisation/locations/<int:location_id>/archive",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def key_account_organisation_location_archive(self, location_id, **post):
        def archive(customer):
            request.env["res.partner"]._key_account_org_archive_location(
                request.env["res.partner"].browse(location_id)
            )

        return self._ka_org_post(
            archive,
            "key_account_portal.portal_my_organisation_locations",
            "key_account_locations",
            "/my/organisation/locations?saved=1",
        )
