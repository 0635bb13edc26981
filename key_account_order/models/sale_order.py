# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

PACKAGING = [
    ("standard", "Standard"),
    ("gift_wrap", "Gift Wrapping"),
    ("custom", "Custom"),
]


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ("sale.order", "key.account.guard.mixin")

    key_account_allocation_ids = fields.One2many(
        comodel_name="key.account.allocation",
        inverse_name="order_id",
        string="Recipient Allocations",
        copy=False,
    )
    key_account_recipient_count = fields.Integer(
        string="Recipients",
        compute="_compute_key_account_recipient_count",
    )
    key_account_delivery_grouping = fields.Selection(
        selection=[
            ("recipient", "Per Recipient"),
            ("department", "Per Department"),
            ("branch", "Per Branch"),
        ],
        string="Delivery Grouping",
        default="recipient",
        required=True,
        help="How allocated lines are shipped: one delivery per recipient, or one "
        "batch per department or per branch to the address given in the batches.",
    )
    key_account_batch_ids = fields.One2many(
        comodel_name="key.account.delivery.batch",
        inverse_name="order_id",
        string="Delivery Batches",
        copy=True,
    )
    key_account_delivery_date_from = fields.Date(
        string="Delivery From",
        help="Start of the delivery window requested by the customer.",
    )
    key_account_delivery_date_to = fields.Date(
        string="Delivery To",
        help="End of the delivery window requested by the customer.",
    )
    key_account_packaging = fields.Selection(
        selection=PACKAGING,
        string="Packaging",
        default="standard",
    )
    key_account_packaging_note = fields.Char(
        string="Packaging Details",
        help="Packaging requirements, e.g. greeting card text or custom box.",
    )
    key_account_logistics_note = fields.Text(
        string="Logistics Notes",
        help="Instructions for the carrier: contact before delivery, gate, "
        "working hours...",
    )
    key_account_review_state = fields.Selection(
        selection=[
            ("none", "Not Required"),
            ("pending", "Pending Review"),
            ("approved", "Approved"),
            ("returned", "Sent Back"),
        ],
        string="Review Status",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    key_account_review_note = fields.Text(
        string="Review Note",
        readonly=True,
        copy=False,
        help="Reason given when the order was sent back to the customer.",
    )

    @api.depends("key_account_allocation_ids.recipient_id")
    def _compute_key_account_recipient_count(self):
        counts = {}
        if self.ids:
            counts = dict(
                self.env["key.account.allocation"]._read_group(
                    [("order_id", "in", self.ids)],
                    groupby=["order_id"],
                    aggregates=["recipient_id:count_distinct"],
                )
            )
        for order in self:
            order.key_account_recipient_count = counts.get(order, 0)

    # ------------------------------------------------------------------
    # Workflow fields: written only by the methods of the flow
    # ------------------------------------------------------------------
    @api.model
    def _key_account_workflow_fields(self):
        """Fields of the review pool and the confirmation queue: {name: the
        value a new order may carry}. Only the flow's methods change them
        (through ``sudo()``); a client's write or create is refused."""
        return {
            "key_account_review_state": "none",
            "key_account_review_note": False,
            "key_account_confirm_state": False,
            "key_account_confirm_error": False,
            "key_account_confirm_user_id": False,
            "key_account_confirm_job_uuid": False,
        }

    def _key_account_guarded_fields(self):
        # The guard mixin's check in create/write (key_account_base).
        return self._key_account_workflow_fields()

    def _key_account_guard_error(self, names):
        return AccessError(
            self.env._(
                "%(fields)s of a sale order change only through the order's "
                "actions (Submit for Review, Approve, Send Back, Confirm).",
                fields=self._key_account_field_labels(names),
            )
        )

    def _key_account_write_workflow(self, vals):
        """The flow's own path to its fields (after its rights checks)."""
        return self._key_account_write_guarded(vals)

    # ------------------------------------------------------------------
    # Confirmation steps (the flow is owned by key_account_contract's
    # ``action_confirm``; see readme/DESCRIPTION.md)
    # ------------------------------------------------------------------
    @api.model
    def _key_account_confirm_steps(self):
        """Before the contract: lock the orders (a second transaction
        confirming the same order fails at once with a clear message), the
        review gate, the recipient allocations."""
        steps = self._key_account_insert_confirm_steps(
            super()._key_account_confirm_steps(),
            [
                ("lock", "_key_account_lock_for_confirmation", None),
                (
                    "review_gate",
                    "_key_account_check_review_gate",
                    "_key_account_review_gate_reasons",
                ),
                (
                    "allocations",
                    "_key_account_check_allocations",
                    "_key_account_allocation_reasons",
                ),
            ],
            before="contract",
        )
        # after the contract's own check: the products it allows
        return self._key_account_insert_confirm_steps(
            steps,
            [
                (
                    "contract_products",
                    "_key_account_check_contract_products",
                    "_key_account_contract_product_reasons",
                )
            ],
            before="credit",
        )

    def _key_account_lock_for_confirmation(self):
        """Lock the orders' rows for this transaction, without waiting: an
        order another transaction is confirming (or changing) is refused."""
        if not self.ids:
            return
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM sale_order WHERE id IN %s "
                        "FOR NO KEY UPDATE NOWAIT",
                        tuple(self.ids),
                    )
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                self.env._(
                    "%(orders)s is being confirmed or changed by another user right "
                    "now. Reload the order in a moment to see the result, then "
                    "confirm it again if needed.",
                    orders=", ".join(self.mapped("name")),
                )
            ) from None

    def _key_account_check_allocations(self):
        """Step "allocations": the allocations of each line add up to its
        quantity."""
        self.order_line._key_account_check_allocated_qty()

    def _key_account_allocation_reasons(self):
        """{order: [reasons]} for the orders whose allocations do not add up
        (see ``_key_account_check_allocations``)."""
        errors = self.order_line._key_account_allocated_qty_errors()
        by_order = {}
        for line, error in errors.items():
            by_order.setdefault(line.order_id, []).append(error)
        return {
            order: [self.order_line._key_account_allocated_qty_message(order_errors)]
            for order, order_errors in by_order.items()
        }

    def _key_account_contract_product_reasons(self):
        """Step "contract_products": {order: [why it cannot be confirmed]} of
        the orders with a product their contract does not allow (the contract
        may have changed since the lines were made); nothing raised."""
        disallowed = self.order_line._key_account_contract_disallowed()
        return {
            order: [
                self.env._(
                    "%(order)s: %(products)s not part of contract %(contract)s; "
                    "remove them from the order, or give them a key-account price or "
                    "a product discount on the contract.",
                    order=order.name,
                    products=", ".join(lines.product_id.mapped("display_name")),
                    contract=order.key_account_contract_id.name,
                )
            ]
            for order, lines in disallowed.grouped("order_id").items()
        }

    def _key_account_check_contract_products(self):
        """Confirmation pipeline step: every product is one the order's
        contract allows."""
        reasons = self._key_account_contract_product_reasons()
        if reasons:
            raise UserError("\n".join(next(iter(reasons.values()))))

    def action_key_account_view_allocations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_order.key_account_allocation_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        return action
