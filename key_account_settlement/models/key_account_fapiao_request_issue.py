# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the issue of its fapiao changes on a request, the customer's
request from the portal (to approve) and its approval, the red fapiao
request of a credit note."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

INVOICING_GROUP = "account.group_account_invoice"


class KeyAccountFapiaoRequest(models.Model):
    _inherit = "key.account.fapiao.request"

    origin_fapiao_id = fields.Many2one(
        comodel_name="key.account.fapiao",
        string="Reversed Fapiao",
        readonly=True,
        copy=False,
        index=True,
        check_company=True,
        help="For a red fapiao request: the issued fapiao it reverses.",
    )
    origin_fapiao_number = fields.Char(
        related="origin_fapiao_id.fapiao_number", string="Reversed Fapiao Number"
    )
    red_confirmation_number = fields.Char(
        string="Red-Letter Confirmation Number",
        readonly=True,
        copy=False,
        help="红字确认单编号 of the tax system, required for a red 专票.",
    )
    requested_by_id = fields.Many2one(
        comodel_name="res.partner",
        readonly=True,
        copy=False,
        help="The customer's contact who asked for the fapiao in the portal.",
    )

    def _issue_update_state(self):
        """Each request is issued when its fapiao are (voided ones aside),
        cancelled when they are all voided. One write per new state."""
        by_state = defaultdict(lambda: self.browse())
        for request in self.sudo():
            fapiaos = request.fapiao_ids
            if not fapiaos or request.state in ("cancelled", "to_approve"):
                continue
            live = fapiaos.filtered(lambda f: f.state != "voided")
            if not live:
                state = "cancelled"
            elif all(f.state in ("issued", "red_reversed") for f in live):
                state = "issued"
            else:
                continue
            if request.state != state:
                by_state[state] |= request
        for state, requests in by_state.items():
            requests.sudo().with_context(tracking_disable=True).write({"state": state})

    @api.model
    def _check_invoicing_user(self, what):
        if not (self.env.su or self.env.user.has_group(INVOICING_GROUP)):
            raise AccessError(self.env._("Only invoicing users %(what)s.", what=what))

    def action_approve_customer_request(self):
        """Staff approve the customer's request: it becomes a draft request,
        built and exported as any other."""
        self._check_invoicing_user(self.env._("approve a customer's fapiao request"))
        wrong = self.filtered(lambda r: r.state != "to_approve")
        if wrong:
            raise UserError(
                self.env._(
                    "Fapiao request %(name)s is not waiting for approval.",
                    name=wrong[0].display_name,
                )
            )
        for request in self:
            request.sudo().write({"state": "draft"})
            request.message_post(
                body=self.env._(
                    "Customer's request approved by %(user)s.", user=self.env.user.name
                )
            )
        return True
