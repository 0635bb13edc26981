"""Recipient deliveries with mrp (kits) and stock_picking_batch installed.

Run against the second install of ``make test`` (key-account modules + mrp +
stock_picking_batch): ``pytest tests/with_mrp``.
"""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.key_account_order.tests.test_stock_follow import (
    KeyAccountStockCommon,
)


@tagged("post_install", "-at_install")
class TestRecipientKits(KeyAccountStockCommon):
    """A gift set sold as a kit (phantom BoM): 2 tea tins and 1 cup."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.kit = Product.create(
            {
                "name": "茶礼套装",
                "type": "consu",
                "is_storable": False,
                "list_price": 288.0,
                "invoice_policy": "order",
                "company_id": cls.company.id,
            }
        )
        cls.tea, cls.cup = Product.create(
            [
                {
                    "name": name,
                    "type": "consu",
                    "is_storable": True,
                    "company_id": cls.company.id,
                }
                for name in ("茶叶罐", "茶杯")
            ]
        )
        cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": cls.kit.product_tmpl_id.id,
                "product_qty": 1,
                "type": "phantom",
                "company_id": cls.company.id,
                "bom_line_ids": [
                    Command.create({"product_id": cls.tea.id, "product_qty": 2}),
                    Command.create({"product_id": cls.cup.id, "product_qty": 1}),
                ],
            }
        )
        for product in (cls.tea, cls.cup):
            cls.env["stock.quant"]._update_available_quantity(
                product, cls.warehouse.lot_stock_id, 1000
            )

    def _component_qty(self, moves, product):
        return sum(
            moves.filtered(
                lambda m: m.product_id == product and m.state not in ("cancel",)
            ).mapped("product_uom_qty")
        )

    def test_kit_components_keep_the_allocation(self):
        order = self._create_order([3, 2], product=self.kit)
        order.action_confirm()
        first, second = order.key_account_allocation_ids.sorted("id")
        self.assertEqual(len(order.picking_ids), 2)
        moves = first.picking_id.move_ids
        self.assertEqual(moves.product_id, self.tea | self.cup)
        self.assertEqual(moves.key_account_allocation_id, first)
        self.assertEqual(self._component_qty(moves, self.tea), 6)
        self.assertEqual(self._component_qty(moves, self.cup), 3)

        # One kit delivered: 2 tins and 1 cup; the rest goes to a backorder.
        picking = first.picking_id
        for move in picking.move_ids:
            move.quantity = 2 if move.product_id == self.tea else 1
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
        backorder = picking.backorder_ids
        self.assertEqual(backorder.move_ids.key_account_allocation_id, first)
        self.assertEqual(first.qty_delivered, 1)
        self.assertEqual(first.picking_id, backorder)

        # Another recipient's change procures nothing for the first one.
        second.quantity = 4
        self.assertEqual(self._component_qty(backorder.move_ids, self.tea), 4)
        self.assertEqual(
            self._component_qty(first.move_ids - picking.move_ids, self.tea), 4
        )
        self.assertEqual(self._component_qty(second.move_ids, self.tea), 8)
        self.assertEqual(self._component_qty(second.move_ids, self.cup), 4)

        # Reduced to 2 kits: the backorder keeps 1 kit of components.
        first.quantity = 2
        self.assertEqual(self._component_qty(backorder.move_ids, self.tea), 2)
        self.assertEqual(self._component_qty(backorder.move_ids, self.cup), 1)
        with self.assertRaisesMessage(UserError, first.recipient_id.name, "Return"):
            first.unlink()
        self._deliver(backorder)
        self.assertEqual(first.qty_delivered, 2)
        self.assertEqual(order.order_line.qty_delivered, 2)

    def test_cancelled_kit_delivery_relaunched_explicitly(self):
        order = self._create_order([2, 1], product=self.kit)
        order.action_confirm()
        first, second = order.key_account_allocation_ids.sorted("id")
        first.picking_id.action_cancel()
        second.quantity = 2
        self.assertFalse(self._active_moves(first))
        first.action_key_account_relaunch()
        moves = self._active_moves(first)
        self.assertEqual(self._component_qty(moves, self.tea), 4)
        self.assertEqual(self._component_qty(moves, self.cup), 2)
        self.assertEqual(first.picking_id, moves.picking_id)


@tagged("post_install", "-at_install")
class TestRecipientPickingBatch(KeyAccountStockCommon):
    """stock_picking_batch extends the picking search (no move is added to a
    picking of a wave) and the post-process (auto-batching): the batched
    assignment of recipient moves keeps both."""

    def test_hooks_of_other_addons_detected(self):
        Move = self.env["stock.move"]
        self.assertTrue(Move._key_account_batch_assign_supported())
        self.assertTrue(Move._key_account_post_process_needed())
        self.assertTrue(Move._key_account_batch_reserve_supported())
        self.assertIn(
            "stock_picking_batch",
            Move._key_account_method_modules("_search_picking_for_assignation_domain"),
        )
        self.assertIn("mrp", Move._key_account_method_modules("_key_assign_picking"))

    def test_wave_picking_gets_no_new_move(self):
        order = self._create_order([1, 1])
        order.action_confirm()
        first = order.key_account_allocation_ids.sorted("id")[0]
        picking = first.picking_id
        wave = self.env["stock.picking.batch"].create(
            {
                "is_wave": True,
                "company_id": self.company.id,
                "picking_ids": [Command.link(picking.id)],
            }
        )
        self.assertEqual(picking.batch_id, wave)
        first.quantity = 3
        new_moves = first.move_ids - picking.move_ids
        self.assertEqual(picking.move_ids.product_uom_qty, 1)
        self.assertEqual(new_moves.product_uom_qty, 2)
        self.assertNotEqual(new_moves.picking_id, picking)
        self.assertFalse(new_moves.picking_id.batch_id.is_wave)

    def test_auto_batch_of_recipient_deliveries(self):
        self.warehouse.out_type_id.write(
            {
                "auto_batch": True,
                "batch_group_by_partner": False,
                "batch_group_by_destination": True,
            }
        )
        order = self._create_order([1, 2, 3])
        order.action_confirm()
        pickings = order.picking_ids
        self.assertEqual(len(pickings), 3)
        self.assertEqual(set(pickings.mapped("state")), {"assigned"})
        self.assertEqual(len(pickings.batch_id), 1)
        self.assertEqual(pickings.batch_id.picking_ids, pickings)
