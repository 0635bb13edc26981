# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What of a statement is fapiao-issued, and the customer's request for
the fapiao of a confirmed statement (from the portal, approved by staff)."""

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

ISSUED_STATES = ("issued", "red_reversed")
PENDING_STATES = ("requested", "exported")
TO_REQUEST_STATES = ("to_request", "voided")


class KeyAccountStatement(models.Model):
    _inherit = "key.account.statement"

    fapiao_issued_amount = fields.Monetary(
        string="Fapiao Issued",
        compute="_compute_fapiao_amounts",
        help="Invoices less credit notes of the statement whose fapiao are issued.",
    )
    fapiao_pending_amount = fields.Monetary(
        string="Fapiao Requested",
        compute="_compute_fapiao_amounts",
        help="Invoices less credit notes of the statement on a fapiao request not "
        "issued yet.",
    )
    fapiao_to_request_amount = fields.Monetary(
        string="Fapiao to Request",
        compute="_compute_fapiao_amounts",
        help="Invoices less credit notes of the statement without fapiao.",
    )
    fapiao_request_ids = fields.One2many(
        "key.account.fapiao.request", "statement_id", string="Fapiao Requests"
    )

    def _compute_fapiao_amounts(self):
        """One grouped read for all the statements read."""
        for statement in self:
            statement.fapiao_issued_amount = 0.0
            statement.fapiao_pending_amount = 0.0
            statement.fapiao_to_request_amount = 0.0
        statements = self.filtered(lambda s: isinstance(s.id, int))
        if not statements:
            return
        groups = (
            self.env["key.account.statement.line"]
            .sudo()
            ._read_group(
                [
                    ("statement_id", "in", statements.ids),
                    ("line_type", "in", ("invoice", "credit_note")),
                ],
                ["statement_id", "move_id"],
                ["debit:sum", "credit:sum"],
            )
        )
        moves = self.env["account.move"].union(*(move for __, move, __, __ in groups))
        moves.sudo().fetch(["key_account_fapiao_state"])
        for statement, move, debit, credit in groups:
            statement = statement.with_env(self.env)
            state = move.sudo().key_account_fapiao_state
            amount = debit - credit
            if state in ISSUED_STATES:
                statement.fapiao_issued_amount += amount
            elif state in PENDING_STATES:
                statement.fapiao_pending_amount += amount
            elif state in TO_REQUEST_STATES:
                statement.fapiao_to_request_amount += amount

    def _fapiao_request_invoices(self):
        """The posted invoices and credit notes of this statement without a
        fapiao (or whose fapiao was voided)."""
        self.ensure_one()
        return self.sudo().line_ids.move_id.filtered(
            lambda m: (
                m.move_type in ("out_invoice", "out_refund")
                and m.state == "posted"
                and m.key_account_fapiao_state in TO_REQUEST_STATES
            )
        )

    def _key_account_fapiao_customer_request(self, contact):
        """The customer's contact ``contact`` asks for the fapiao of this
        confirmed statement: a request to approve, or the request already
        made (a second click creates nothing). Callers check that the
        contact may (the portal's finance role)."""
        self.ensure_one()
        _ = self.env._
        statement = self.sudo()
        # two contacts asking at once: one request
        self.env.cr.execute(
            SQL(
                "SELECT id FROM key_account_statement WHERE id = %s FOR UPDATE", self.id
            )
        )
        if statement.state != "confirmed":
            raise UserError(
                _(
                    "Statement %(statement)s is not confirmed: confirm it before "
                    "asking for its fapiao.",
                    statement=statement.name,
                )
            )
        existing = statement.fapiao_request_ids.filtered(
            lambda r: r.state != "cancelled" and not r.origin_fapiao_id
        )
        if existing:
            return existing[:1]
        invoices = statement._fapiao_request_invoices()
        if not invoices:
            raise UserError(
                _(
                    "Every invoice of statement %(statement)s is already on a fapiao "
                    "or its request.",
                    statement=statement.name,
                )
            )
        partner = statement.partner_id
        Request = self.env["key.account.fapiao.request"].sudo()
        request = Request.with_context(mail_create_nolog=True).create(
            {
                "name": Request._key_account_next_names(
                    statement.company_id, "key.account.fapiao.request", 1
                )[0],
                "company_id": statement.company_id.id,
                "partner_id": partner.id,
                "statement_id": statement.id,
                "invoice_ids": [fields.Command.set(invoices.ids)],
                "fapiao_type": partner.key_account_invoice_type or "electronic",
                "buyer_title": partner.key_account_invoice_title or partner.name,
                "buyer_tax_id": partner.vat,
                "currency_id": statement.currency_id.id,
                "state": "to_approve",
                "requested_by_id": contact.id,
            }
        )
        request.message_post(
            body=_(
                "%(contact)s asked in the portal for the fapiao of statement "
                "%(statement)s.",
                contact=contact.name,
                statement=statement.name,
            )
        )
        return request
