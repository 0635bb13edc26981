# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Finance self-service (finance or administrator roles): core's portal
invoices of the key account (only these roles see them in the lists),
the receivables and the rebate progress, read from the settlement's
services through ``res.partner._key_account_portal_receivables`` and
``_key_account_portal_rebate_progress``."""

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request
from odoo.osv import expression

from .common import FINANCE_READ_ROLES, KeyAccountPortal


class KeyAccountPortalFinance(KeyAccountPortal):
    # Core's invoices (account portal) --------------------------------
    def _get_invoices_domain(self, m_type=None):
        """Core's /my/invoices list and its /my/home counter: a contact of a
        key account without the finance or administrator role sees none of
        its company's invoices."""
        domain = super()._get_invoices_domain(m_type)
        user = request.env.user
        if (
            user.share
            and not user._is_public()
            and user.partner_id._key_account_portal_access()
            and not self._ka_has_role(FINANCE_READ_ROLES)
        ):
            domain = expression.AND(
                [
                    domain,
                    [
                        (
                            "partner_id.commercial_partner_id",
                            "!=",
                            user.partner_id.commercial_partner_id.id,
                        )
                    ],
                ]
            )
        return domain

    # Receivables ----------------------------------------------------
    @http.route(
        "/my/key-account/receivables",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def key_account_receivables(self, **kw):
        try:
            customer = self._ka_customer(role=FINANCE_READ_ROLES)
        except AccessError:
            return request.redirect("/my")
        rows = request.env["res.partner"]._key_account_portal_receivables(customer)
        values = self._prepare_portal_layout_values()
        values.update(page_name="key_account_receivables", customer=customer, rows=rows)
        return request.render("key_account_portal.portal_my_receivables", values)

    # Rebates --------------------------------------------------------
    @http.route(
        "/my/key-account/rebates",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def key_account_rebates(self, **kw):
        try:
            customer = self._ka_customer(role=FINANCE_READ_ROLES)
        except AccessError:
            return request.redirect("/my")
        progress = request.env["res.partner"]._key_account_portal_rebate_progress(
            customer
        )
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="key_account_rebates", customer=customer, progress=progress
        )
        return request.render("key_account_portal.portal_my_rebates", values)
