# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare, float_is_zero, float_round

from odoo.addons.key_account_base.models.key_account_guard_mixin import NOT_ON_CREATE

# Allocation fields that decide where its goods go: fixed once procured.
ROUTING_FIELDS = ("order_line_id", "recipient_id", "department", "branch")
# Technical links, written by the delivery engine only.
SYSTEM_FIELDS = frozenset(
    ("procurement_group_id", "picking_id", "move_ids", "qty_delivered")
)


class KeyAccountAllocation(models.Model):
    _name = "key.account.allocation"
    _description = "Key Account Recipient Allocation"
    _inherit = "key.account.guard.mixin"
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
    order_state = fields.Selection(related="order_id.state", string="Order Status")
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
        help="The recipient's current delivery: the open one (the backorder "
        "after a partial delivery, the pick of a multi-step delivery), else the "
        "last one done. Every delivery of the recipient is in the stock moves.",
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

    def _key_account_moves(self):
        """{allocation id: its moves (cancelled ones left out)}, with one
        search for all the allocations."""
        result = defaultdict(lambda: self.env["stock.move"].sudo())
        if not self.ids:
            return result
        moves = (
            self.env["stock.move"]
            .sudo()
            .search_fetch(
                [
                    ("key_account_allocation_id", "in", self.ids),
                    ("state", "!=", "cancel"),
                    ("scrapped", "=", False),
                ],
                [
                    "key_account_allocation_id",
                    "product_id",
                    "product_uom",
                    "product_uom_qty",
                    "quantity",
                    "state",
                    "location_id",
                    "location_dest_id",
                    "location_final_id",
                    "to_refund",
                    "picking_id",
                ],
                # move_dest_ids (multi-step only) is read on demand, for all
                # the moves at once.
                order="id",
            )
        )
        for move in moves:
            result[move.key_account_allocation_id.id] |= move
        return result

    @api.model
    def _key_account_move_sign(self, move, done_only):
        """How ``move`` counts in the quantity of its allocation: +1 towards
        the recipient, -1 back from them, 0 not at all.

        Delivered (``done_only``): done moves to the customer, less done
        returns. Procured: the moves heading to the recipient at the last
        step reached so far (the shipment, or a pick not followed yet by its
        shipment), less the returns that update the order (to refund)."""
        source = move.location_id.usage
        destination = move.location_dest_id.usage
        if done_only:
            if move.state != "done":
                return 0
            if destination == "customer" and source != "customer":
                return 1
            return -1 if source == "customer" else 0
        if destination == "customer" and source != "customer":
            return 1
        if source == "customer":
            return -1 if move.to_refund else 0
        if (
            move.state != "done"
            and move.location_final_id.usage == "customer"
            and not move.move_dest_ids.filtered(lambda m: m.state != "cancel")
        ):
            return 1
        return 0

    def _key_account_quantity(self, moves, done_only):
        """Quantity of the allocation (in its line's unit) given its
        ``moves``: what was delivered (``done_only``) or what its moves ask
        for. Kits (components moved instead of the sold product) count in
        whole kits, as sale_mrp does for the order line."""
        self.ensure_one()
        line_uom = self.order_line_id.product_uom
        moves = moves.filtered(lambda m: self._key_account_move_sign(m, done_only) != 0)
        if "bom_line_id" in moves._fields and any(
            move.product_id != self.product_id for move in moves
        ):
            return self._key_account_kit_quantity(moves, done_only)
        total = 0.0
        for move in moves:
            # A done move counts what it moved (validated without backorder,
            # the rest of its demand is not on its way any more).
            quantity = (
                move.quantity
                if done_only or move.state == "done"
                else move.product_uom_qty
            )
            total += self._key_account_move_sign(
                move, done_only
            ) * move.product_uom._compute_quantity(
                quantity, line_uom, rounding_method="HALF-UP"
            )
        return total

    def _key_account_kit_bom(self, moves):
        product = self.product_id
        return moves.bom_line_id.bom_id.filtered(
            lambda b: (
                b.type == "phantom"
                and (
                    b.product_id == product
                    or (
                        b.product_tmpl_id == product.product_tmpl_id
                        and not b.product_id
                    )
                )
            )
        )[:1]

    def _key_account_kit_quantity(self, moves, done_only):
        bom = self._key_account_kit_bom(moves)
        if not bom:
            return 0.0
        line_uom = self.order_line_id.product_uom
        filters = {
            "incoming_moves": lambda m: self._key_account_move_sign(m, done_only) > 0,
            "outgoing_moves": lambda m: self._key_account_move_sign(m, done_only) < 0,
        }
        kit_qty = line_uom._compute_quantity(self.quantity, bom.product_uom_id)
        if done_only:
            moves = moves.filtered(lambda m: m.state == "done")
        quantity = moves._compute_kit_quantities(self.product_id, kit_qty, bom, filters)
        return bom.product_uom_id._compute_quantity(quantity, line_uom)

    def _key_account_move_quantities(self, done_only):
        """{allocation id: quantity in the line's unit}: delivered
        (``done_only``) or procured, see ``_key_account_move_sign``."""
        moves = self._key_account_moves()
        return {
            allocation.id: allocation._key_account_quantity(
                moves[allocation.id], done_only
            )
            for allocation in self
        }

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

    # ------------------------------------------------------------------
    # Guard: the technical links of an allocation are set by the delivery
    # engine (through sudo or ``_key_account_set_links``), never by a user:
    # RPC reaches fields that views show read-only. The guard mixin's check
    # in create/write (key_account_base).
    # ------------------------------------------------------------------
    @api.model
    def _key_account_guarded_fields(self):
        return dict(
            super()._key_account_guarded_fields(),
            **dict.fromkeys(SYSTEM_FIELDS, NOT_ON_CREATE),
        )

    def _key_account_guard_error(self, names):
        system = [name for name in names if name in SYSTEM_FIELDS]
        if not system:
            return super()._key_account_guard_error(names)
        return AccessError(
            self.env._(
                "%(fields)s of a recipient allocation are set by the system "
                "when its deliveries are launched, split or cancelled; they "
                "cannot be written. Change the allocated quantity, or use "
                "Relaunch Delivery on the allocation.",
                fields=self._key_account_field_labels(system),
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        allocations = super().create(vals_list)
        allocations._key_account_apply_confirmed_changes(
            {allocation: allocation.quantity for allocation in allocations}
        )
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
        previous = {}
        if "quantity" in vals:
            previous = {allocation: allocation.quantity for allocation in self}
        old_lines = self.order_line_id if "order_line_id" in vals else None
        result = super().write(vals)
        decreased = self.filtered(
            lambda a: (
                a in previous
                and float_compare(
                    a.quantity,
                    previous[a],
                    precision_rounding=a.order_line_id.product_uom.rounding,
                )
                < 0
            )
        )
        if decreased:
            # Whatever the order's state: what was delivered stays allocated.
            decreased._key_account_check_delivered()
        if previous or routing:
            self._key_account_apply_confirmed_changes(
                {
                    allocation: allocation.quantity - quantity
                    for allocation, quantity in previous.items()
                },
                old_lines=old_lines,
            )
        return result

    def unlink(self):
        self._key_account_check_delivered(unlink=True)
        lines = self.order_line_id.filtered(lambda line: line.state == "sale")
        # What is still on its way to the recipients is cancelled.
        pending = (
            self.env["stock.move"]
            .sudo()
            .search(
                [
                    ("key_account_allocation_id", "in", self.ids),
                    ("state", "not in", ("done", "cancel")),
                ]
            )
        )
        if pending:
            pending._action_cancel()
        result = super().unlink()
        lines.exists()._key_account_sync_line_qty()
        return result

    def _key_account_check_delivered(self, unlink=False):
        """Refuse to reduce (or delete) allocations below what their
        recipients received, saying what was delivered and how to take it
        back: the Return button of the delivery."""
        delivered = self._key_account_move_quantities(done_only=True)
        moves = None
        errors = []
        for allocation in self:
            uom = allocation.order_line_id.product_uom
            qty_delivered = delivered.get(allocation.id, 0.0)
            target = 0.0 if unlink else allocation.quantity
            if (
                float_compare(target, qty_delivered, precision_rounding=uom.rounding)
                >= 0
            ):
                continue
            if moves is None:
                moves = self._key_account_moves()
            deliveries = (
                moves[allocation.id]
                .filtered(
                    lambda m: (
                        m.state == "done" and m.location_dest_id.usage == "customer"
                    )
                )
                .picking_id
            )
            values = {
                "recipient": allocation.recipient_id.name,
                "product": allocation.product_id.display_name,
                "delivered": qty_delivered,
                "quantity": allocation.quantity,
                "uom": uom.name,
                "deliveries": ", ".join(deliveries.mapped("name")) or "-",
            }
            if unlink:
                errors.append(
                    self.env._(
                        "%(recipient)s (%(product)s): %(delivered)s %(uom)s already "
                        "delivered (%(deliveries)s).",
                        **values,
                    )
                )
            else:
                errors.append(
                    self.env._(
                        "%(recipient)s (%(product)s): %(delivered)s %(uom)s already "
                        "delivered (%(deliveries)s), %(quantity)s %(uom)s requested.",
                        **values,
                    )
                )
        if not errors:
            return
        if unlink:
            message = self.env._(
                "These recipient allocations cannot be deleted: goods were already "
                "delivered to them. To take the goods back, open the delivery, "
                "click Return and validate the return; once nothing is delivered "
                "any more, the allocation can be deleted.\n%(errors)s",
                errors="\n".join(errors),
            )
        else:
            message = self.env._(
                "A recipient cannot receive less than what was already delivered "
                "to them. To take goods back, open the delivery, click Return and "
                "validate the return; the delivered quantity then drops and the "
                "allocation can be reduced.\n%(errors)s",
                errors="\n".join(errors),
            )
        raise UserError(message)

    def _key_account_apply_confirmed_changes(self, changes=None, old_lines=None):
        """On a confirmed order, keep each line's quantity equal to its
        allocations and deliver the changes of ``self`` only: ``changes`` is
        {allocation: quantity added (negative: taken off), in the line's
        unit}. Nothing else is procured: not another recipient's quantity,
        not a delivery that was cancelled (see action_key_account_relaunch)."""
        lines = (
            self.order_line_id | (old_lines or self.env["sale.order.line"])
        ).filtered(lambda line: line.state == "sale")
        if not lines:
            return
        lines.exists()._key_account_sync_line_qty()
        launchable = lines._key_account_launchable()
        changes = {
            allocation: delta
            for allocation, delta in (changes or {}).items()
            if allocation.order_line_id in launchable
            and not float_is_zero(
                delta, precision_rounding=allocation.order_line_id.product_uom.rounding
            )
        }
        if changes:
            self.browse([a.id for a in changes])._key_account_deliver_changes(changes)

    def _key_account_deliver_changes(self, changes):
        """Procure the increases and take the decreases off the pending
        moves of ``changes`` ({allocation: delta in the line's unit})."""
        decreases = {a: -delta for a, delta in changes.items() if delta < 0}
        increases = [(a, delta) for a, delta in changes.items() if delta > 0]
        if decreases:
            self.browse([a.id for a in decreases])._key_account_check_delivered()
            self._key_account_reduce_moves(decreases)
        if increases:
            self.order_line_id._key_account_run_procurements(increases)
        self._key_account_update_pickings()
        # As core does: trigger the scheduler through the open pickings.
        pickings = self.move_ids.picking_id.filtered(
            lambda p: p.state not in ("cancel", "done")
        )
        if pickings:
            pickings.action_confirm()
        return True

    def action_key_account_relaunch(self):
        """Launch again what the allocations' recipients miss: deliveries
        cancelled in the warehouse, backorders cancelled, returns that are
        to be replaced. The explicit counterpart of the rule that no change
        ever recreates a cancelled delivery as a side effect."""
        if not self.env.user.has_group("sales_team.group_sale_salesman"):
            raise AccessError(
                self.env._(
                    "Only salespeople can relaunch the delivery of a recipient "
                    "allocation."
                )
            )
        self.check_access("write")
        not_confirmed = self.filtered(lambda a: a.order_state != "sale")
        if not_confirmed:
            raise UserError(
                self.env._(
                    "Only the deliveries of confirmed orders can be relaunched "
                    "(%(orders)s is not confirmed).",
                    orders=", ".join(not_confirmed.order_id.mapped("name")),
                )
            )
        launchable = self.order_line_id._key_account_launchable()
        allocations = self.filtered(lambda a: a.order_line_id in launchable)
        procured = allocations._key_account_procured_qty()
        changes = {
            allocation: allocation.quantity - procured.get(allocation.id, 0.0)
            for allocation in allocations
        }
        changes = {
            allocation: delta
            for allocation, delta in changes.items()
            if float_compare(
                delta,
                0,
                precision_rounding=allocation.order_line_id.product_uom.rounding,
            )
            > 0
        }
        if changes:
            allocations._key_account_deliver_changes(changes)
            for order in allocations.order_id:
                order.message_post(
                    body=self.env._(
                        "Recipient deliveries relaunched: %(recipients)s.",
                        recipients=", ".join(
                            a.recipient_id.name for a in changes if a.order_id == order
                        ),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return True

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
        the allocations' pending moves towards their recipients (the
        shipment, or the pick not shipped yet), the latest first. The caller
        has checked that nothing delivered is taken back."""
        allocations = self.browse([allocation.id for allocation in quantities])
        moves_by_allocation = allocations._key_account_moves()
        to_cancel = self.env["stock.move"].sudo()
        to_assign = self.env["stock.move"].sudo()
        for allocation, quantity in quantities.items():
            uom = allocation.order_line_id.product_uom
            pending = (
                moves_by_allocation[allocation.id]
                .filtered(
                    lambda m: (
                        m.state not in ("done", "cancel")
                        and self._key_account_move_sign(m, False) > 0
                    )
                )
                # What is not picked yet goes first, the latest first.
                .sorted(lambda m: (m.location_dest_id.usage == "customer", -m.id))
            )
            if not pending:
                continue
            if "bom_line_id" in pending._fields and any(
                move.product_id != allocation.product_id for move in pending
            ):
                # A kit: every component shrinks in proportion.
                left = allocation._key_account_kit_quantity(pending, False)
                if float_compare(quantity, left, precision_rounding=uom.rounding) >= 0:
                    to_cancel |= pending
                    continue
                ratio = (left - quantity) / left if left else 0.0
                for move in pending:
                    move.product_uom_qty = float_round(
                        move.product_uom_qty * ratio,
                        precision_rounding=move.product_uom.rounding,
                    )
                to_assign |= pending
                continue
            for move in pending:
                if float_compare(quantity, 0, precision_rounding=uom.rounding) <= 0:
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
        to_cancel._action_cancel()
        (to_assign - to_cancel)._action_assign()
        return True

    def _key_account_update_pickings(self):
        """Point each allocation to its current delivery: the open shipment
        to the recipient (a backorder after a partial delivery), else the
        open step before it (the pick of a multi-step delivery), else the
        last done delivery, else the last cancelled one."""
        moves = (
            self.env["stock.move"]
            .sudo()
            .search_fetch(
                [
                    ("key_account_allocation_id", "in", self.ids),
                    ("picking_id", "!=", False),
                    "|",
                    ("location_dest_id.usage", "=", "customer"),
                    ("location_final_id.usage", "=", "customer"),
                ],
                [
                    "key_account_allocation_id",
                    "picking_id",
                    "state",
                    "location_id",
                    "location_dest_id",
                ],
                order="id",
            )
        )
        best = {}
        for move in moves:
            if move.location_id.usage == "customer":
                continue
            to_customer = move.location_dest_id.usage == "customer"
            if move.state not in ("done", "cancel"):
                rank = 3 if to_customer else 2
            elif move.state == "done":
                if not to_customer:
                    continue
                rank = 1
            else:
                rank = 0
            allocation_id = move.key_account_allocation_id.id
            if rank >= best.get(allocation_id, (-1, None))[0]:
                best[allocation_id] = (rank, move.picking_id)
        self._key_account_set_links(
            "picking_id",
            {
                allocation.id: best[allocation.id][1].id
                for allocation in self
                if allocation.id in best
                and allocation.picking_id != best[allocation.id][1]
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
