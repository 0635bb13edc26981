# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class KeyAccountAllocation(models.Model):
    _name = "key.account.allocation"
    _description = "Key Account Recipient Allocation"
    _order = "order_id, order_line_id, id"
    _check_company_auto = True
    _rec_names_search = ("recipient_id", "department", "branch")

    order_line_id = fields.Many2one(
        comodel_name="sale.order.line",
        string="Order Line",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('order_id', '=', order_id), ('display_type', '=', False)]",
    )
    order_id = fields.Many2one(
        comodel_name="sale.order",
        string="Order",
        compute="_compute_order_id",
        store=True,
        index=True,
        precompute=True,
        readonly=False,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="order_line_id.company_id",
        store=True,
        index=True,
        precompute=True,
    )
    state = fields.Selection(related="order_id.state", string="Order Status")
    product_id = fields.Many2one(
        related="order_line_id.product_id",
        store=True,
        index=True,
        precompute=True,
    )
    product_uom = fields.Many2one(
        related="order_line_id.product_uom", string="Unit of Measure"
    )
    recipient_id = fields.Many2one(
        comodel_name="res.partner",
        string="Recipient",
        required=True,
        index=True,
        check_company=True,
        context={"key_account_show_recipients": True},
        domain="[('key_account_recipient', '=', True)]",
    )
    recipient_phone = fields.Char(related="recipient_id.phone", string="Phone")
    quantity = fields.Float(
        string="Quantity",
        digits="Product Unit of Measure",
        required=True,
        default=1.0,
    )
    department = fields.Char(string="Department", index=True)
    branch = fields.Char(string="Branch", index=True)
    group_key = fields.Char(
        string="Delivery Group",
        compute="_compute_group_key",
        help="Allocations of an order with the same delivery group are shipped "
        "in one delivery.",
    )
    procurement_group_id = fields.Many2one(
        comodel_name="procurement.group",
        string="Procurement Group",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    picking_id = fields.Many2one(
        comodel_name="stock.picking",
        string="Delivery",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    move_ids = fields.One2many(
        comodel_name="stock.move",
        inverse_name="key_account_allocation_id",
        string="Stock Moves",
        readonly=True,
    )
    qty_delivered = fields.Float(
        string="Delivered",
        digits="Product Unit of Measure",
        compute="_compute_qty_delivered",
    )
    acceptance_state = fields.Selection(
        selection=[
            ("pending", "Pending"),
            ("accepted", "Accepted"),
            ("discrepancy", "Discrepancy"),
        ],
        string="Acceptance",
        default="pending",
        required=True,
        copy=False,
        index=True,
    )
    discrepancy_type = fields.Selection(
        selection=[
            ("quantity", "Quantity"),
            ("damage", "Damage"),
            ("other", "Other"),
        ],
        string="Discrepancy Type",
        copy=False,
    )
    discrepancy_note = fields.Text(string="Discrepancy Note", copy=False)

    _sql_constraints = (
        (
            "quantity_positive",
            "CHECK(quantity > 0)",
            "The allocated quantity of a recipient must be positive.",
        ),
    )

    @api.depends("order_line_id")
    def _compute_order_id(self):
        for allocation in self:
            allocation.order_id = allocation.order_line_id.order_id

    @api.depends(
        "order_id.key_account_delivery_grouping", "recipient_id", "department", "branch"
    )
    def _compute_group_key(self):
        for allocation in self:
            allocation.group_key = allocation._key_account_group_key()

    def _key_account_group_key(self):
        """Delivery group of the allocation within its order."""
        self.ensure_one()
        grouping = self.order_id.key_account_delivery_grouping or "recipient"
        if grouping == "department":
            return f"department:{self.department or ''}"
        if grouping == "branch":
            return f"branch:{self.branch or ''}"
        return f"recipient:{self.recipient_id.id}"

    def _compute_qty_delivered(self):
        delivered = {}
        if self.ids:
            for allocation, uom, quantity in self.env["stock.move"]._read_group(
                [
                    ("key_account_allocation_id", "in", self.ids),
                    ("state", "=", "done"),
                ],
                groupby=["key_account_allocation_id", "product_uom"],
                aggregates=["product_uom_qty:sum"],
            ):
                delivered.setdefault(allocation.id, []).append((uom, quantity))
        for allocation in self:
            total = 0.0
            for uom, quantity in delivered.get(allocation.id, []):
                total += uom._compute_quantity(
                    quantity, allocation.product_uom or uom, rounding_method="HALF-UP"
                )
            allocation.qty_delivered = total

    @api.depends("recipient_id", "order_line_id")
    def _compute_display_name(self):
        for allocation in self:
            allocation.display_name = (
                f"{allocation.recipient_id.name or ''} - "
                f"{allocation.product_id.display_name or ''}"
            )
