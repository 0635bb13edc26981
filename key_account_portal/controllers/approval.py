# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The customer's approvers in the portal: what waits for them, approve or
reject with a reason. Thin: the checks are ``sale.order._key_account_approve``
and ``_key_account_reject``."""

from odoo import _, http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .common import KeyAccountPortal

FLASH_KEY = "key_account_portal_approval_flash"


class KeyAccountPortalApproval(KeyAccountPortal):
    _ka_approval_step = 20

    @staticmethod
    def _ka_approval_flash(kind, text):
        flash = list(request.session.get(FLASH_KEY) or [])
        flash.append({"type": kind, "text": text})
        request.session[FLASH_KEY] = flash

    @http.route(
        ["/my/approvals", "/my/approvals/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def key_account_approvals(self, page=1, **kw):
        values = {
            "page_name": "key_account_approvals",
            "messages": request.session.pop(FLASH_KEY, None) or [],
        }
        try:
            self._ka_customer(role="approver")
        except AccessError as error:
            values["unavailable"] = error.args[0]
            return request.render("key_account_portal.portal_approvals", values)
        partner = request.env.user.partner_id
        Approval = request.env["key.account.approval"]
        total = Approval.sudo().search_count(
            Approval._key_account_waiting_domain(partner)
        )
        pager = portal_pager(
            url="/my/approvals", total=total, page=page, step=self._ka_approval_step
        )
        total, steps = Approval._key_account_waiting(
            partner, offset=pager["offset"], limit=self._ka_approval_step
        )
        values.update({"pager": pager, "steps": steps, "total": total})
        return request.render("key_account_portal.portal_approvals", values)

    @http.route(
        "/my/approvals/<int:approval_id>/decide",
        type="http",
        auth="user",
        website=False,
        methods=["POST"],
    )
    def key_account_approval_decide(
        self, approval_id, decision=None, reason=None, **kw
    ):
        try:
            customer = self._ka_customer(write=True, role="approver")
            step = request.env["key.account.approval"].sudo().browse(approval_id)
            if not step.exists() or step.customer_id != customer:
                raise AccessError(_("This approval is not one of your company's."))
            partner = request.env.user.partner_id
            order_sudo = step.order_id
            with request.env.cr.savepoint():
                if decision == "approve":
                    order_sudo._key_account_approve(partner, reason)
                    text = _("%(order)s approved.", order=order_sudo.name)
                elif decision == "reject":
                    order_sudo._key_account_reject(partner, reason)
                    text = _("%(order)s rejected.", order=order_sudo.name)
                else:
                    raise UserError(_("Choose Approve or Reject."))
        except (AccessError, UserError) as error:
            self._ka_approval_flash("danger", error.args[0])
        else:
            self._ka_approval_flash("success", text)
        return request.redirect("/my/approvals")
