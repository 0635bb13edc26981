# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the issue of its fapiao changes on a request, the customer's
request from the portal (to approve) and its approval, the red fapiao
request of a credit note."""

from collections import defaultdict

from odoo import fields, models


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

    def action_approve_customer_request(self):
        """Staff approve the customer's request: it becomes a draft request
        with its fapiao, built from its invoices as any other (the build's
        checks and split apply; nothing is written if it fails)."""
        self._key_account_check_invoicing_user(self.env._("Approval"))
        self._key_account_check_state(("to_approve",), self.env._("Approval"))
        for request in self.sudo():
            invoices = request.invoice_ids
            request._key_account_write_guarded(
                {"invoice_ids": [fields.Command.clear()]}
            )
            built = (
                request.with_env(self.env)
                ._key_account_build(
                    invoices,
                    statement=request.statement_id or None,
                    fapiao_type=request.fapiao_type,
                    note=request.note,
                )
                .sudo()
            )
            vals = {
                name: built[name]
                for name in (
                    "fapiao_type",
                    "buyer_title",
                    "buyer_tax_id",
                    "buyer_address",
                    "buyer_phone",
                    "buyer_bank",
                    "buyer_account",
                    "buyer_address_phone",
                    "buyer_bank_account",
                    "amount_untaxed",
                    "amount_tax",
                    "amount_total",
                )
            }
            fapiaos = built.fapiao_ids
            built._key_account_write_guarded({"invoice_ids": [fields.Command.clear()]})
            fapiaos._key_account_write_guarded({"request_id": request.id})
            built.unlink()
            request._key_account_write_guarded(
                dict(
                    vals,
                    state="draft",
                    invoice_ids=[fields.Command.set(invoices.ids)],
                )
            )
            request.with_env(self.env).message_post(
                body=self.env._(
                    "Customer's request approved by %(user)s: %(count)s fapiao built.",
                    user=self.env.user.name,
                    count=len(fapiaos),
                )
            )
        return True
