# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The department budgets in the portal: read per role, set by the
customer's administrator. Thin: ``key.account.budget`` decides."""

from odoo import _, http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .common import KeyAccountPortal

FLASH_KEY = "key_account_portal_budget_flash"


class KeyAccountPortalBudget(KeyAccountPortal):
    _ka_budget_step = 20

    @http.route(
        ["/my/budgets", "/my/budgets/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def key_account_budgets(self, page=1, **kw):
        values = {
            "page_name": "key_account_budgets",
            "messages": request.session.pop(FLASH_KEY, None) or [],
        }
        try:
            customer = self._ka_customer(role=("admin", "finance", "buyer"))
        except AccessError as error:
            values["unavailable"] = error.args[0]
            return request.render("key_account_portal.portal_budgets", values)
        partner = request.env.user.partner_id
        Budget = request.env["key.account.budget"]
        total = Budget.sudo().search_count(Budget._key_account_portal_domain(partner))
        pager = portal_pager(
            url="/my/budgets", total=total, page=page, step=self._ka_budget_step
        )
        total, budgets = Budget._key_account_portal_budgets(
            partner, offset=pager["offset"], limit=self._ka_budget_step
        )
        is_admin = "admin" in partner._key_account_portal_roles()
        values.update(
            {
                "pager": pager,
                "budgets": budgets,
                "is_admin": is_admin,
                "period_types": Budget._fields["period_type"]._description_selection(
                    request.env
                ),
                "departments": customer.sudo().key_account_department_ids
                if is_admin
                else None,
            }
        )
        return request.render("key_account_portal.portal_budgets", values)

    @http.route(
        "/my/budgets/save",
        type="http",
        auth="user",
        website=False,
        methods=["POST"],
    )
    def key_account_budget_save(self, **post):
        messages = []
        try:
            self._ka_customer(write=True, role="admin")
            with request.env.cr.savepoint():
                budget = request.env[
                    "key.account.budget"
                ]._key_account_portal_set_budget(request.env.user.partner_id, post)
        except (AccessError, UserError) as error:
            messages.append({"type": "danger", "text": error.args[0]})
        else:
            messages.append(
                {
                    "type": "success",
                    "text": _("Budget %(budget)s saved.", budget=budget.display_name),
                }
            )
        request.session[FLASH_KEY] = messages
        return request.redirect("/my/budgets")
