# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The public online application (企业注册)."""

import logging

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from ..models.res_partner_application import LICENCE_EXTENSIONS, TEXT_FIELDS
from .common import KeyAccountPortal

_logger = logging.getLogger(__name__)

# A field humans do not see and leave empty; robots fill it.
HONEYPOT_FIELD = "website"
# What the thanks page shows of the application the session just sent.
SESSION_KEY = "key_account_application"


class KeyAccountApplyPortal(KeyAccountPortal):
    def _ka_apply_render(self, form=None, errors=None, top_errors=None):
        partners = request.env["res.partner"]
        return request.render(
            "key_account_portal.portal_key_account_apply",
            {
                "page_name": "key_account_apply",
                "form": form or {},
                "error": errors or {},
                "top_errors": top_errors or [],
                "labels": partners._key_account_portal_application_labels(),
                "honeypot_field": HONEYPOT_FIELD,
                "licence_accept": ",".join(LICENCE_EXTENSIONS),
                **partners._key_account_portal_application_options(),
            },
        )

    @http.route(
        "/key-account/apply",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def key_account_apply(self, **kwargs):
        return self._ka_apply_render()

    @http.route(
        "/key-account/apply",
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def key_account_apply_submit(self, **post):
        partners = request.env["res.partner"]
        attempts = request.env["key.account.portal.application.attempt"].sudo()
        ip_address = request.httprequest.remote_addr
        form = {name: post.get(name) or "" for name in TEXT_FIELDS}
        code = partners._key_account_normalize_uscc(
            " ".join(form["credit_code"].split())
        )
        if post.get(HONEYPOT_FIELD):
            # A robot: it is told nothing, and nothing is created.
            _logger.info("Online application from %s refused (honeypot)", ip_address)
            attempts._key_account_portal_register(ip_address, False)
            return request.redirect("/key-account/apply/thanks")
        rate_error = attempts._key_account_portal_rate_error(ip_address, code)
        if rate_error:
            return self._ka_apply_render(form, top_errors=[rate_error])
        attempts._key_account_portal_register(ip_address, code)

        values, errors = partners._key_account_portal_application_check(post)
        licence_name = licence_data = None
        try:
            licence_name, licence_data = self._ka_read_upload(
                post.get("licence"), LICENCE_EXTENSIONS
            )
        except UserError as error:
            errors["licence"] = error.args[0]
        else:
            licence_error = partners._key_account_portal_licence_error(
                licence_name, licence_data
            )
            if licence_error:
                errors["licence"] = licence_error
        if errors:
            return self._ka_apply_render(
                form,
                errors,
                [
                    request.env._(
                        "Your application was not sent: correct the fields "
                        "marked in red below."
                    )
                ],
            )
        try:
            with request.env.cr.savepoint():
                customer = partners._key_account_portal_application_create(
                    values, licence_name, licence_data, ip_address
                )
        except (UserError, ValidationError) as error:
            return self._ka_apply_render(form, top_errors=[error.args[0]])
        request.session[SESSION_KEY] = {
            "name": customer.name,
            "code": customer.key_account_code,
            "email": customer.key_account_applicant_id.email,
        }
        return request.redirect("/key-account/apply/thanks")

    @http.route(
        "/key-account/apply/thanks",
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def key_account_apply_thanks(self, **kwargs):
        return request.render(
            "key_account_portal.portal_key_account_apply_thanks",
            {
                "page_name": "key_account_apply",
                "application": request.session.get(SESSION_KEY) or {},
            },
        )
