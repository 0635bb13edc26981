# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo.tests import tagged

from .common import KeyAccountOrderCommon


@tagged("post_install", "-at_install")
class TestBatchReservation(KeyAccountOrderCommon):
    """Recipient moves are reserved together (one quant search, one move line
    create): the result must be what core's one-by-one reservation gives."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = cls.warehouse.lot_stock_id
        cls.shelf_a, cls.shelf_b = cls.env["stock.location"].create(
            [
                {"name": "A 货架", "location_id": cls.stock.id},
                {"name": "B 货架", "location_id": cls.stock.id},
            ]
        )
        cls.scarce = cls.env["product.product"].create(
            {
                "name": "限量茶礼",
                "type": "consu",
                "is_storable": True,
                "list_price": 388.0,
                "invoice_policy": "order",
                "company_id": cls.company.id,
            }
        )

    def _put_in_stock(self, product, quantities):
        """``quantities``: {location: quantity on hand}."""
        for location, quantity in quantities.items():
            self.env["stock.quant"]._update_available_quantity(
                product, location, quantity
            )

    def _quants(self, product):
        return self.env["stock.quant"].search(
            [
                ("product_id", "=", product.id),
                ("location_id", "child_of", self.stock.id),
            ]
        )

    def _assert_reservations_consistent(self, product):
        """What the quants hold reserved is exactly what the open move lines
        reserve, per location, and no quant is reserved beyond its stock."""
        self.env.flush_all()
        self.env.invalidate_all()
        on_lines = defaultdict(float)
        for line in self.env["stock.move.line"].search(
            [
                ("product_id", "=", product.id),
                ("state", "not in", ("done", "cancel")),
            ]
        ):
            on_lines[line.location_id] += line.quantity_product_uom
        on_quants = defaultdict(float)
        for quant in self._quants(product):
            self.assertLessEqual(
                quant.reserved_quantity, quant.quantity, quant.location_id.name
            )
            on_quants[quant.location_id] += quant.reserved_quantity
        self.assertEqual(
            {loc: qty for loc, qty in on_lines.items() if qty},
            {loc: qty for loc, qty in on_quants.items() if qty},
        )

    def test_full_stock_every_recipient_reserved(self):
        reserved_before = sum(self._quants(self.product).mapped("reserved_quantity"))
        order = self._create_order([1, 2, 3, 4])
        order.action_confirm()
        moves = self._outgoing_moves(order)
        self.assertEqual(len(moves), 4)
        self.assertEqual(set(moves.mapped("state")), {"assigned"})
        self.assertEqual(set(order.picking_ids.mapped("state")), {"assigned"})
        for move in moves:
            self.assertEqual(len(move.move_line_ids), 1)
            self.assertEqual(move.quantity, move.product_uom_qty)
            self.assertEqual(move.move_line_ids.picking_id, move.picking_id)
        self.assertAlmostEqual(
            sum(self._quants(self.product).mapped("reserved_quantity")),
            reserved_before + 10,
        )
        self._assert_reservations_consistent(self.product)

    def test_scarce_stock_over_two_locations(self):
        self._put_in_stock(self.scarce, {self.shelf_a: 1.5, self.shelf_b: 2.5})
        order = self._create_order([1, 2, 3], product=self.scarce)
        order.action_confirm()
        moves = self._outgoing_moves(order)
        self.assertAlmostEqual(sum(moves.mapped("quantity")), 4.0)
        for move in moves:
            self.assertLessEqual(move.quantity, move.product_uom_qty)
        # Reserved in order, as core does one move after the other: every
        # move is full, short or empty, and at most one is short.
        self.assertLessEqual(moves.mapped("state").count("partially_available"), 1)
        for move in moves:
            expected = (
                "assigned"
                if move.quantity == move.product_uom_qty
                else "partially_available"
                if move.quantity
                else "confirmed"
            )
            self.assertEqual(
                move.state, expected, move.key_account_allocation_id.display_name
            )
        self.assertEqual(
            set(moves.move_line_ids.location_id), {self.shelf_a, self.shelf_b}
        )
        self._assert_reservations_consistent(self.scarce)

        # Stock arrives: checking availability completes every delivery.
        self._put_in_stock(self.scarce, {self.shelf_a: 10})
        order.picking_ids.action_assign()
        self.assertEqual(set(moves.mapped("state")), {"assigned"})
        self.assertAlmostEqual(sum(moves.mapped("quantity")), 6.0)
        self._assert_reservations_consistent(self.scarce)

        # Unreserving gives everything back to the quants.
        order.picking_ids.do_unreserve()
        self.assertFalse(any(self._quants(self.scarce).mapped("reserved_quantity")))
        self._assert_reservations_consistent(self.scarce)

    def test_deliver_after_batch_reservation(self):
        self._put_in_stock(self.scarce, {self.shelf_a: 2, self.shelf_b: 2})
        order = self._create_order([2, 2], product=self.scarce)
        order.action_confirm()
        self._deliver(order.picking_ids)
        self.assertEqual(order.order_line.qty_delivered, 4)
        self.assertFalse(any(self._quants(self.scarce).mapped("quantity")))
        self._assert_reservations_consistent(self.scarce)

    def test_tracked_product_left_to_core(self):
        """Lot-tracked goods keep core's reservation (lots, removal dates)."""
        tracked = self.env["product.product"].create(
            {
                "name": "批次茶礼",
                "type": "consu",
                "is_storable": True,
                "tracking": "lot",
                "list_price": 288.0,
                "invoice_policy": "order",
                "company_id": self.company.id,
            }
        )
        lot = self.env["stock.lot"].create(
            {
                "name": "LOT-2026",
                "product_id": tracked.id,
                "company_id": self.company.id,
            }
        )
        self.env["stock.quant"]._update_available_quantity(
            tracked, self.shelf_a, 5, lot_id=lot
        )
        order = self._create_order([2, 3], product=tracked)
        order.action_confirm()
        moves = self._outgoing_moves(order)
        self.assertEqual(set(moves.mapped("state")), {"assigned"})
        self.assertEqual(moves.move_line_ids.lot_id, lot)
        self._assert_reservations_consistent(tracked)

    def test_order_of_reservation_kept(self):
        """Moves are reserved in the order given (the scheduler's priority
        and date): a plain delivery between two recipients is served before
        the second recipient when stock runs short."""
        order = self._create_order([1, 1], product=self.scarce)
        order.action_confirm()
        first, second = self._outgoing_moves(order).sorted("id")
        self.assertEqual(set((first | second).mapped("state")), {"confirmed"})
        plain = self.env["stock.move"].create(
            {
                "name": "门店补货",
                "product_id": self.scarce.id,
                "product_uom_qty": 1,
                "product_uom": self.scarce.uom_id.id,
                "location_id": self.stock.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "picking_type_id": self.warehouse.out_type_id.id,
                "company_id": self.company.id,
            }
        )
        plain._action_confirm()
        self.assertEqual(plain.state, "confirmed")
        self._put_in_stock(self.scarce, {self.shelf_a: 2})
        (first | plain | second)._action_assign()
        self.assertEqual(first.state, "assigned")
        self.assertEqual(plain.state, "assigned")
        self.assertEqual(second.state, "confirmed")
        self._assert_reservations_consistent(self.scarce)

    def test_two_step_delivery(self):
        """Pick then ship (Odoo 18 pushes the shipment when the pick is
        done): one pick per recipient, reserved in batch, then one shipment
        per recipient, delivered to the recipient."""
        self.warehouse.delivery_steps = "pick_ship"
        self._put_in_stock(self.scarce, {self.shelf_a: 10})
        order = self._create_order([1, 2, 3], product=self.scarce)
        order.action_confirm()
        allocations = order.key_account_allocation_ids
        picks = order.picking_ids
        self.assertEqual(len(picks), 3)
        self.assertEqual(picks.picking_type_id, self.warehouse.pick_type_id)
        self.assertEqual(set(picks.partner_id), set(allocations.recipient_id))
        self.assertEqual(set(picks.mapped("state")), {"assigned"})
        self.assertAlmostEqual(sum(picks.move_ids.mapped("quantity")), 6.0)
        self._assert_reservations_consistent(self.scarce)

        self._deliver(picks)
        ships = order.picking_ids - picks
        self.assertEqual(len(ships), 3)
        self.assertEqual(ships.picking_type_id, self.warehouse.out_type_id)
        self.assertEqual(set(ships.partner_id), set(allocations.recipient_id))
        self.assertEqual(set(ships.mapped("state")), {"assigned"})
        self.assertFalse(any(allocations.mapped("qty_delivered")))
        for allocation in allocations:
            self.assertEqual(allocation.picking_id.partner_id, allocation.recipient_id)
            self.assertIn(allocation.picking_id, ships)
        self._deliver(ships)
        self.assertEqual(order.order_line.qty_delivered, 6)
        for allocation in allocations:
            self.assertEqual(allocation.qty_delivered, allocation.quantity)
            ship = ships.filtered(
                lambda p, a=allocation: p.partner_id == a.recipient_id
            )
            self.assertEqual(ship.move_ids.key_account_allocation_id, allocation)
        # The customer accepts the shipments, not the internal picks.
        ships.action_key_account_accept()
        self.assertEqual(set(allocations.mapped("acceptance_state")), {"accepted"})
        self._assert_reservations_consistent(self.scarce)
