# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from .statement import KeyAccountPortalStatement


class KeyAccountPortalFapiao(KeyAccountPortalStatement):
    """The customer's fapiao in the portal: their files, and the request
    for the fapiao of a confirmed statement. The finance role only."""

    def _ka_fapiao_check(self, fapiao_id):
        """The fapiao ``fapiao_id`` (sudo) of the user's key account, in one
        of the user's companies, issued; else AccessError/MissingError."""
        customer = self._ka_customer(role="finance")
        fapiao = request.env["key.account.fapiao"].browse(fapiao_id).exists()
        if not fapiao:
            raise MissingError(_("This fapiao does not exist."))
        fapiao.check_access("read")
        fapiao_sudo = fapiao.sudo()
        if (
            fapiao_sudo.partner_id != customer
            or fapiao_sudo.company_id not in request.env.user.company_ids
            or not fapiao_sudo._key_account_portal_visible(request.env.user.partner_id)
        ):
            raise AccessError(_("This fapiao is not one of your company's."))
        return fapiao_sudo

    @http.route(
        "/my/key-account/fapiao/<int:fapiao_id>/files/<int:attachment_id>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def key_account_fapiao_file(self, fapiao_id, attachment_id, **kw):
        try:
            fapiao_sudo = self._ka_fapiao_check(fapiao_id)
        except (AccessError, MissingError):
            return request.not_found()
        attachment = fapiao_sudo.attachment_ids.filtered(
            lambda a: a.id == attachment_id
        )
        if not attachment:
            return request.not_found()
        return (
            request.env["ir.binary"]
            ._get_stream_from(attachment)
            .get_response(as_attachment=True)
        )

    @http.route(
        "/my/key-account/statements/<int:statement_id>/fapiao-request",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def key_account_statement_fapiao_request(self, statement_id, **kw):
        try:
            statement_sudo = self._ka_statement_check(statement_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        try:
            self._ka_customer(write=True, role="finance")
            with request.env.cr.savepoint():
                statement_sudo._key_account_fapiao_customer_request(
                    request.env.user.partner_id
                )
        except (AccessError, UserError) as error:
            request.env.invalidate_all()
            return self._ka_statement_page(statement_sudo, error=error.args[0])
        return request.redirect(
            f"/my/key-account/statements/{statement_sudo.id}?fapiao=requested"
        )
