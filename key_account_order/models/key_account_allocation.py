# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare

# Allocation fields that decide where its goods go: fixed once procured.
ROUTING_FIELDS = ("order_line_id", "recipient_id", "department", "branch")


class KeyAccountAllocation(models.Model):
    _name = "key.account.allocation"
    _description = "Key Account Recipient Allocation"
    # Import order: the rows of the customer's list, without joining the orders
    # (the allocations of one order are read in thousands).
    _order = "id"
    _check_company_auto = True
    _rec_names_search = ("recipient_id", "department", "branch")

    order_line_id = fields.Many2one(
        comodel_name="sale.order.line",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('order_id', '=', order_id), ('display_type', '=', False)]",
    )
    order_id = fields.Many2one(
        comodel_name="sale.order",
        compute="_compute_order_id",
        store=True,
        index=True,
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
        required=True,
        index=True,
        check_company=True,
        context={"key_account_show_recipients": True},
        domain="[('key_account_recipient', '=', True)]",
    )
    recipient_phone = fields.Char(related="recipient_id.phone", string="Phone")
    quantity = fields.Float(
        digits="Product Unit of Measure",
        required=True,
        default=1.0,
    )
    department = fields.Char(index=True)
    branch = fields.Char(index=True)
    group_key = fields.Char(
        string="Delivery Group",
        compute="_compute_group_key",
        help="Allocations of an order with the same delivery group are shipped "
        "in one delivery.",
    )
    procurement_group_id = fields.Many2one(
        comodel_name="procurement.group",
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
        copy=False,
    )
    discrepancy_note = fields.Text(copy=False)

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
        if grouping in ("department", "branch"):
            return f"{grouping}:{(self[grouping] or '').strip()}"
        return f"recipient:{self.recipient_id.id}"

    def _key_account_move_quantities(self, done_only):
        """{allocation id: quantity in the line's unit} of the allocations'
        customer moves (returns from the customer counted negative), computed
        with one _read_group."""
        result = defaultdict(float)
        if not self.ids:
            return result
        domain = [
            ("key_account_allocation_id", "in", self.ids),
            ("scrapped", "=", False),
        ]
        domain.append(
            ("state", "=", "done") if done_only else ("state", "!=", "cancel")
        )
        groups = (
            self.env["stock.move"]
            .sudo()
            ._read_group(
                domain,
                groupby=[
                    "key_account_allocation_id",
                    "product_uom",
                    "location_id",
                    "location_dest_id",
                    "to_refund",
                ],
                aggregates=["product_uom_qty:sum", "quantity:sum"],
            )
        )
        for allocation, uom, source, destination, to_refund, demand, done in groups:
            quantity = done if done_only else demand
            if destination.usage == "customer" and source.usage != "customer":
                sign = 1
            elif source.usage == "customer" and (to_refund or done_only):
                sign = -1
            else:
                continue
            to_uom = allocation.order_line_id.product_uom or uom
            result[allocation.id] += sign * uom._compute_quantity(
                quantity, to_uom, rounding_method="HALF-UP"
            )
        return result

    @api.depends("move_ids.state", "move_ids.quantity", "move_ids.product_uom_qty")
    def _compute_qty_delivered(self):
        delivered = self._key_account_move_quantities(done_only=True)
        for allocation in self:
            allocation.qty_delivered = delivered.get(allocation.id, 0.0)

    def _key_account_procured_qty(self):
        return self._key_account_move_quantities(done_only=False)

    # ------------------------------------------------------------------
    # Constraints and changes
    # ------------------------------------------------------------------
    @api.constrains("order_line_id", "order_id")
    def _check_order_line_id(self):
        for allocation in self:
            if allocation.order_line_id.order_id != allocation.order_id:
                raise ValidationError(
                    self.env._(
                        "The allocation of %(recipient)s must belong to the order "
                        "of its line %(line)s.",
                        recipient=allocation.recipient_id.display_name,
                        line=allocation.order_line_id.display_name,
                    )
                )
            if allocation.order_line_id.display_type:
                raise ValidationError(
                    self.env._(
                        "Only product lines can be allocated to recipients, not "
                        "the section or note %(line)s.",
                        line=allocation.order_line_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        allocations = super().create(vals_list)
        allocations._key_account_apply_confirmed_changes()
        return allocations

    def write(self, vals):
        routing = set(ROUTING_FIELDS) & set(vals)
        if routing:
            procured = self.filtered("move_ids")
            if procured:
                raise UserError(
                    self.env._(
                        "The delivery of %(recipients)s has already been launched: "
                        "its line, recipient, department or branch cannot change "
                        "any more. Set its quantity to what was delivered and "
                        "add a new allocation instead.",
                        recipients=", ".join(procured[:10].mapped("display_name")),
                    )
                )
        result = super().write(vals)
        if "quantity" in vals or routing:
            self._key_account_apply_confirmed_changes()
        return result

    def unlink(self):
        lines = self.order_line_id.filtered(lambda line: line.state == "sale")
        procured = self.filtered(lambda a: a.move_ids and a.state == "sale")
        if procured:
            # Reduce the pending deliveries to nothing first (refused when
            # something was delivered already).
            procured_qty = procured._key_account_procured_qty()
            procured._key_account_reduce_moves(
                {allocation: procured_qty[allocation.id] for allocation in procured}
            )
        result = super().unlink()
        lines.exists()._key_account_sync_line_qty()
        return result

    def _key_account_apply_confirmed_changes(self):
        """On a confirmed order, keep each line's quantity equal to its
        allocations and adjust the changed recipients' deliveries only."""
        lines = self.order_line_id.filtered(lambda line: line.state == "sale")
        if lines:
            lines._key_account_sync_line_qty()
            lines._key_account_launch_stock_rule()

    # ------------------------------------------------------------------
    # Deliveries
    # ------------------------------------------------------------------
    def _key_account_get_procurement_groups(self):
        """{allocation: procurement group} of the allocations' delivery
        groups. The missing groups are created with one create()."""
        orders = self.order_id
        groups = {}
        # Groups already used by allocations of the same delivery group.
        existing = self.search(
            [
                ("order_id", "in", orders.ids),
                ("procurement_group_id", "!=", False),
            ]
        )
        for allocation in existing:
            groups.setdefault(
                (allocation.order_id, allocation.group_key),
                allocation.procurement_group_id,
            )
        batches = {}
        for batch in orders.key_account_batch_ids:
            batches[(batch.order_id, batch.name.strip())] = batch.partner_id
        missing = {}
        errors = []
        for allocation in self:
            order = allocation.order_id
            key = (order, allocation.group_key)
            if key in groups or key in missing:
                continue
            grouping = order.key_account_delivery_grouping
            if grouping in ("department", "branch"):
                value = (allocation[grouping] or "").strip()
                partner = batches.get((order, value))
                if not partner:
                    errors.append(
                        self.env._(
                            "%(order)s: no delivery address for the %(grouping)s "
                            "'%(value)s' (recipient %(recipient)s).",
                            order=order.name,
                            grouping=dict(
                                order._fields[
                                    "key_account_delivery_grouping"
                                ]._description_selection(self.env)
                            )[grouping],
                            value=value or self.env._("(empty)"),
                            recipient=allocation.recipient_id.name,
                        )
                    )
                    continue
            else:
                partner = allocation.recipient_id
            missing[key] = {
                "name": order.name,
                "move_type": order.picking_policy,
                "sale_id": order.id,
                "partner_id": partner.id,
            }
        if errors:
            raise UserError(
                self.env._(
                    "Add a delivery batch with an address for each department or "
                    "branch on the Recipients tab:\n%(errors)s",
                    errors="\n".join(dict.fromkeys(errors)),
                )
            )
        if missing:
            new_groups = self.env["procurement.group"].create(list(missing.values()))
            groups.update(zip(missing, new_groups, strict=True))
        result = {}
        changes = {}
        for allocation in self:
            group = groups[(allocation.order_id, allocation.group_key)]
            result[allocation] = group
            if allocation.procurement_group_id != group:
                changes[allocation.id] = group.id
        self._key_account_set_links("procurement_group_id", changes)
        return result

    @api.model
    def _key_account_reduce_moves(self, quantities):
        """Take ``quantities`` ({allocation: quantity in the line's unit}) off
        the allocations' pending delivery moves; refused below what was
        delivered."""
        errors = []
        to_cancel = self.env["stock.move"]
        to_assign = self.env["stock.move"]
        for allocation, quantity in quantities.items():
            uom = allocation.order_line_id.product_uom
            if (
                float_compare(
                    allocation.quantity,
                    allocation.qty_delivered,
                    precision_rounding=uom.rounding,
                )
                < 0
            ):
                errors.append(
                    self.env._(
                        "%(recipient)s (%(product)s): %(delivered)s %(uom)s already "
                        "delivered, %(quantity)s %(uom)s requested.",
                        recipient=allocation.recipient_id.name,
                        product=allocation.product_id.display_name,
                        delivered=allocation.qty_delivered,
                        quantity=allocation.quantity,
                        uom=uom.name,
                    )
                )
                continue
            pending = allocation.move_ids.filtered(
                lambda m: (
                    m.state not in ("done", "cancel")
                    and m.location_dest_id.usage == "customer"
                )
            ).sorted("id", reverse=True)
            for move in pending:
                if quantity <= 0:
                    break
                move_qty = move.product_uom._compute_quantity(
                    move.product_uom_qty, uom, rounding_method="HALF-UP"
                )
                if (
                    float_compare(move_qty, quantity, precision_rounding=uom.rounding)
                    <= 0
                ):
                    to_cancel |= move
                    quantity -= move_qty
                else:
                    move.product_uom_qty = uom._compute_quantity(
                        move_qty - quantity, move.product_uom, rounding_method="HALF-UP"
                    )
                    to_assign |= move
                    quantity = 0
        if errors:
            raise UserError(
                self.env._(
                    "A recipient cannot receive less than what was already delivered "
                    "to them; create a return for the delivered goods instead:\n"
                    "%(errors)s",
                    errors="\n".join(errors),
                )
            )
        to_cancel.sudo()._action_cancel()
        to_assign.sudo()._action_assign()
        return True

    def _key_account_update_pickings(self):
        """Point each allocation to its open delivery (else its last one)."""
        moves = (
            self.env["stock.move"]
            .sudo()
            .search_fetch(
                [
                    ("key_account_allocation_id", "in", self.ids),
                    ("picking_id", "!=", False),
                    ("location_dest_id.usage", "=", "customer"),
                ],
                ["key_account_allocation_id", "picking_id", "state"],
                order="id",
            )
        )
        pickings = {}
        for move in moves:
            allocation_id = move.key_account_allocation_id.id
            if move.state != "cancel" or allocation_id not in pickings:
                pickings[allocation_id] = move.picking_id
        self._key_account_set_links(
            "picking_id",
            {
                allocation.id: pickings[allocation.id].id
                for allocation in self
                if allocation.id in pickings
                and allocation.picking_id != pickings[allocation.id]
            },
        )

    def _key_account_set_links(self, fname, values):
        """Write ``values`` ({allocation id: record id}) into the technical
        link ``fname`` (procurement group or delivery) in one UPDATE.

        Thousands of allocations each get another value: one ORM write per
        allocation would cost one write() call each. Nothing is computed from
        these two fields, so the cache is simply invalidated.
        """
        assert fname in ("procurement_group_id", "picking_id")
        if not values:
            return
        self.env.cr.execute(
            SQL(
                """UPDATE key_account_allocation AS allocation
                      SET %(column)s = link.value, write_uid = %(uid)s,
                          write_date = (now() at time zone 'UTC')
                     FROM unnest(%(ids)s, %(values)s) AS link(id, value)
                    WHERE allocation.id = link.id""",
                column=SQL.identifier(fname),
                uid=self.env.uid,
                ids=list(values),
                values=list(values.values()),
            )
        )
        self.browse(list(values)).invalidate_recordset(
            [fname, "write_uid", "write_date"]
        )

    @api.depends("recipient_id", "order_line_id")
    def _compute_display_name(self):
        for allocation in self:
            allocation.display_name = (
                f"{allocation.recipient_id.name or ''} - "
                f"{allocation.product_id.display_name or ''}"
            )
