# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Context key of the approval flow's own writes (sale_order_approval.py).
APPROVAL_FLOW = "key_account_approval_flow"


class KeyAccountApproval(models.Model):
    """One step of the customer's approval of one submission of an order:
    the history of who approved or rejected what, when and why. The
    approvers are fixed when the order is submitted; a later change of the
    rules does not re-route it. Written only by the approval flow of
    sale.order (``_key_account_approval_submit``, ``_key_account_approve``,
    ``_key_account_reject``), never deleted."""

    _name = "key.account.approval"
    _description = "Customer Approval Step"
    _order = "order_id, submission, step, id"

    order_id = fields.Many2one(
        comodel_name="sale.order",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    customer_id = fields.Many2one(
        comodel_name="res.partner",
        string="Key Account",
        required=True,
        index=True,
        readonly=True,
    )
    submission = fields.Integer(
        required=True,
        readonly=True,
        help="Which submission of the order this step belongs to (1, 2... as "
        "the order is submitted again after a rejection or a change).",
    )
    step = fields.Integer(required=True, readonly=True)
    name = fields.Char(string="Rule", required=True, readonly=True)
    rule_id = fields.Many2one(
        comodel_name="key.account.approval.rule",
        string="Approval Rule",
        readonly=True,
        ondelete="set null",
    )
    approver_ids = fields.Many2many(
        comodel_name="res.partner",
        relation="key_account_approval_approver_rel",
        column1="approval_id",
        column2="partner_id",
        string="Approvers",
        readonly=True,
    )
    buyer_id = fields.Many2one(comodel_name="res.partner", readonly=True, index=True)
    amount = fields.Monetary(
        string="Amount Submitted", currency_field="currency_id", readonly=True
    )
    currency_id = fields.Many2one(comodel_name="res.currency", readonly=True)
    state = fields.Selection(
        selection=[
            ("waiting", "Waiting for an Earlier Step"),
            ("pending", "Pending"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("superseded", "Superseded"),
        ],
        required=True,
        default="pending",
        readonly=True,
        index=True,
    )
    decided_by_id = fields.Many2one(comodel_name="res.partner", readonly=True)
    date = fields.Datetime(string="Decided On", readonly=True)
    reason = fields.Text(readonly=True)

    def _key_account_check_flow(self):
        if not (self.env.su and self.env.context.get(APPROVAL_FLOW)):
            raise AccessError(
                self.env._(
                    "Approval steps are written by the order's approval flow only "
                    "(submit, approve, reject in the portal)."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._key_account_check_flow()
        return super().create(vals_list)

    def write(self, vals):
        self._key_account_check_flow()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if self:
            raise UserError(
                self.env._(
                    "The approval history of %(order)s is kept: approval steps "
                    "are never deleted.",
                    order=", ".join(self.order_id.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # The portal's list of what waits for an approver
    # ------------------------------------------------------------------
    @api.model
    def _key_account_waiting_domain(self, partner):
        return [
            ("customer_id", "=", partner.commercial_partner_id.id),
            ("state", "=", "pending"),
            ("approver_ids", "in", partner.ids),
        ]

    @api.model
    def _key_account_waiting(self, partner, offset=0, limit=20):
        """``(total, steps)``: the pending steps ``partner`` decides on, a
        page of them, with what the list shows read in batches."""
        Approval = self.sudo()
        domain = self._key_account_waiting_domain(partner)
        total = Approval.search_count(domain)
        steps = Approval.search(domain, order="id", offset=offset, limit=limit)
        steps.order_id.fetch(["name", "amount_total", "currency_id", "date_order"])
        steps.buyer_id.fetch(["name"])
        return total, steps
