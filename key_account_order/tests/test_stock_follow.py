# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import KeyAccountOrderCommon


class KeyAccountStockCommon(KeyAccountOrderCommon):
    """Helpers to drive warehouse events on recipient deliveries."""

    def _validate(self, picking, quantity, backorder=True):
        """Validate ``picking`` (one move) with ``quantity`` done; the rest
        goes to a backorder, or is cancelled when ``backorder`` is False."""
        picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        context = {"skip_backorder": True, "skip_sms": True}
        if not backorder:
            context["picking_ids_not_to_backorder"] = picking.ids
        picking.with_context(**context).button_validate()
        self.assertEqual(picking.state, "done")
        return picking.backorder_ids

    def _active_moves(self, allocation):
        return allocation.move_ids.filtered(lambda m: m.state != "cancel")

    def _demand(self, moves):
        """Demand of ``moves`` in the product's unit (what done moves
        moved)."""
        return sum(
            move.product_uom._compute_quantity(move.quantity, move.product_id.uom_id)
            if move.state == "done"
            else move.product_qty
            for move in moves
        )

    def _order_demand(self, order):
        """What the warehouse is asked to deliver for the order: every
        customer move of its lines, with or without allocation."""
        moves = order.order_line.move_ids.filtered(
            lambda m: m.state != "cancel" and m.location_dest_id.usage == "customer"
        )
        return self._demand(moves)

    def _return(self, picking, quantity):
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_model="stock.picking", active_id=picking.id
            )
        ).save()
        wizard.product_return_moves.quantity = quantity
        return_picking = self.env["stock.picking"].browse(
            wizard.action_create_returns()["res_id"]
        )
        self._deliver(return_picking)
        return return_picking


@tagged("post_install", "-at_install")
class TestAllocationFollowsMoves(KeyAccountStockCommon):
    def _three_by_ten(self):
        order = self._create_order([10, 10, 10])
        order.action_confirm()
        return order, *order.key_account_allocation_ids.sorted("id")

    def test_backorder_keeps_allocation_no_duplicate_delivery(self):
        """Finding 1: A delivered 4 of 10, then C goes from 10 to 15: the
        customer demand is 35, A's remaining 6 are not procured again."""
        order, first, _second, third = self._three_by_ten()
        picking = first.picking_id
        backorder = self._validate(picking, 4)
        self.assertTrue(backorder)
        self.assertEqual(backorder.move_ids.key_account_allocation_id, first)
        self.assertEqual(first.qty_delivered, 4)
        self.assertEqual(first.picking_id, backorder, "link follows the backorder")

        third.quantity = 15
        self.assertEqual(order.order_line.product_uom_qty, 35)
        self.assertEqual(self._order_demand(order), 35)
        self.assertEqual(self._demand(self._active_moves(first)), 10)
        self.assertEqual(self._demand(self._active_moves(third)), 15)
        self.assertEqual(len(order.picking_ids), 4, "3 deliveries and 1 backorder")

        # The backorder delivers the rest: A is complete, acceptance can follow.
        self._deliver(backorder)
        self.assertEqual(first.qty_delivered, 10)
        self.assertEqual(first.picking_id, backorder)
        self.assertEqual(order.order_line.qty_delivered, 10)
        backorder.action_key_account_accept()
        self.assertEqual(first.acceptance_state, "accepted")

    def test_reduce_after_partial_delivery_takes_from_backorder(self):
        order, first, second, _third = self._three_by_ten()
        backorder = self._validate(first.picking_id, 4)
        first.quantity = 6
        self.assertEqual(backorder.move_ids.product_uom_qty, 2)
        self.assertEqual(self._demand(self._active_moves(first)), 6)
        self.assertEqual(self._demand(self._active_moves(second)), 10)
        self.assertEqual(self._order_demand(order), 26)

    def test_other_recipient_change_never_procures_cancelled_delivery(self):
        order, first, second, _third = self._three_by_ten()
        picking = first.picking_id
        picking.action_cancel()
        pickings = order.picking_ids
        second.quantity = 12
        self.assertFalse(self._active_moves(first), "A's delivery stays cancelled")
        # Nor does writing the line's quantity (unchanged: it is the sum).
        order.order_line.write({"product_uom_qty": 32})
        self.assertFalse(self._active_moves(first))
        self.assertEqual(order.picking_ids, pickings)
        self.assertEqual(self._order_demand(order), 22)
        self.assertEqual(first.picking_id, picking)

        # Neither does an increase of A itself relaunch what was cancelled.
        first.quantity = 11
        self.assertEqual(self._demand(self._active_moves(first)), 1)

    def test_cancelled_backorder_not_recreated_by_line_change(self):
        order, first, second, _third = self._three_by_ten()
        self._validate(first.picking_id, 4, backorder=False)
        second.quantity = 9
        self.assertEqual(self._demand(self._active_moves(first)), 4)
        self.assertEqual(self._order_demand(order), 23)

    def test_relaunch_cancelled_delivery_is_explicit(self):
        order, first, second, _third = self._three_by_ten()
        self._validate(first.picking_id, 4, backorder=False)
        first.action_key_account_relaunch()
        relaunched = self._active_moves(first).filtered(lambda m: m.state != "done")
        self.assertEqual(self._demand(relaunched), 6)
        self.assertEqual(first.picking_id, relaunched.picking_id)
        self.assertEqual(relaunched.picking_id.partner_id, first.recipient_id)
        self.assertEqual(self._demand(self._active_moves(second)), 10)
        # Nothing is missing any more: a second relaunch does nothing.
        first.action_key_account_relaunch()
        self.assertEqual(self._order_demand(order), 30)

    def test_relaunch_needs_sales_rights(self):
        _order, first, _second, _third = self._three_by_ten()
        first.picking_id.action_cancel()
        stock_user = new_test_user(
            self.env,
            login="ka_stock_only",
            groups="stock.group_stock_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.assertRaises(AccessError):
            first.with_user(stock_user).action_key_account_relaunch()
        self.assertFalse(self._active_moves(first))

    def test_order_cancel_reset_and_confirm_relaunches(self):
        order = self._create_order([2, 3])
        order.action_confirm()
        first_pickings = order.picking_ids
        order._action_cancel()
        self.assertEqual(set(first_pickings.mapped("state")), {"cancel"})
        order.action_draft()
        order.action_confirm()
        for allocation in order.key_account_allocation_ids:
            active = self._active_moves(allocation)
            self.assertEqual(len(active), 1)
            self.assertEqual(active.product_uom_qty, allocation.quantity)
            self.assertEqual(allocation.picking_id, active.picking_id)
            self.assertNotIn(allocation.picking_id, first_pickings)
        self.assertEqual(self._order_demand(order), 5)

    def test_return_not_redelivered_by_another_change(self):
        order, first, second, _third = self._three_by_ten()
        self._deliver(first.picking_id)
        self._return(first.picking_id, 3)
        self.assertEqual(first.qty_delivered, 7)
        second.quantity = 11
        self.assertFalse(
            self._active_moves(first).filtered(lambda m: m.state != "done"),
            "the returned goods are not shipped again",
        )
        self.assertEqual(first.qty_delivered, 7)
        self.assertEqual(order.order_line.qty_delivered, 7)

    def test_sale_unit_other_than_product_unit(self):
        """Sold in dozens, stocked in units: the backorder keeps the
        allocation and quantities are compared in the line's unit."""
        dozen = self.env.ref("uom.product_uom_dozen")
        order = self._create_order([2, 1])
        order.order_line.product_uom = dozen
        order.action_confirm()
        first, second = order.key_account_allocation_ids.sorted("id")
        self.assertEqual(self._demand(self._active_moves(first)), 24)
        move = first.picking_id.move_ids
        backorder = self._validate(
            first.picking_id,
            self.product.uom_id._compute_quantity(12, move.product_uom),
        )
        self.assertEqual(backorder.move_ids.key_account_allocation_id, first)
        self.assertAlmostEqual(first.qty_delivered, 1.0)
        second.quantity = 2
        self.assertEqual(self._demand(self._active_moves(first)), 24)
        self.assertEqual(self._demand(self._active_moves(second)), 24)
        first.quantity = 1.5
        self.assertEqual(self._demand(self._active_moves(first)), 18)
        with self.assertRaisesMessage(UserError, first.recipient_id.name):
            first.quantity = 0.5

    def test_two_step_partial_pick_keeps_allocation(self):
        self.warehouse.delivery_steps = "pick_ship"
        order = self._create_order([5, 5])
        order.action_confirm()
        first, second = order.key_account_allocation_ids.sorted("id")
        pick = first.move_ids.picking_id
        self.assertEqual(pick.picking_type_id, self.warehouse.pick_type_id)
        self.assertEqual(first.picking_id, pick)
        pick_backorder = self._validate(pick, 2)
        self.assertEqual(pick_backorder.move_ids.key_account_allocation_id, first)
        ship = first.move_ids.filtered(
            lambda m: m.location_dest_id.usage == "customer"
        ).picking_id
        self.assertEqual(ship.move_ids.product_uom_qty, 2)
        second.quantity = 6
        # A: 2 being shipped, 3 still to pick, nothing procured again.
        self.assertEqual(
            self._demand(
                self._active_moves(first).filtered(lambda m: m.state != "done")
            ),
            5,
        )
        self.assertEqual(
            len(self._active_moves(first).filtered(lambda m: m.state != "done")), 2
        )
        first.quantity = 4
        self.assertEqual(pick_backorder.move_ids.product_uom_qty, 2)
        self._deliver(ship)
        self.assertEqual(first.qty_delivered, 2)


@tagged("post_install", "-at_install")
class TestAllocationDeliveredGuard(KeyAccountStockCommon):
    def test_delete_partly_delivered_allocation_refused(self):
        """Finding 2: A delivered 4 of 10 cannot be deleted."""
        order = self._create_order([10, 10])
        order.action_confirm()
        first, _second = order.key_account_allocation_ids.sorted("id")
        picking = first.picking_id
        backorder = self._validate(picking, 4)
        with self.assertRaisesMessage(
            UserError, first.recipient_id.name, "4.0", picking.name, "Return"
        ):
            first.unlink()
        self.assertTrue(first.exists())
        self.assertEqual(backorder.move_ids.state, "assigned")
        self.assertEqual(order.order_line.product_uom_qty, 20)

    def test_reduce_below_delivered_says_how_to_return(self):
        order = self._create_order([10, 10])
        order.action_confirm()
        first = order.key_account_allocation_ids.sorted("id")[0]
        picking = first.picking_id
        self._validate(picking, 4)
        with self.assertRaisesMessage(
            UserError, first.recipient_id.name, "4.0", "3.0", picking.name, "Return"
        ):
            first.quantity = 3
        self.assertEqual(first.quantity, 10)

    def test_reduce_below_delivered_refused_on_cancelled_order(self):
        order = self._create_order([3, 2])
        order.action_confirm()
        first = order.key_account_allocation_ids.sorted("id")[0]
        self._deliver(first.picking_id)
        order._action_cancel()
        self.assertEqual(order.state, "cancel")
        with self.assertRaisesMessage(UserError, first.recipient_id.name, "3.0"):
            first.quantity = 1
        with self.assertRaisesMessage(UserError, first.recipient_id.name, "3.0"):
            first.unlink()

    def test_delete_after_full_return_allowed(self):
        order = self._create_order([2, 3])
        order.action_confirm()
        first = order.key_account_allocation_ids.sorted("id")[0]
        picking = first.picking_id
        self._deliver(picking)
        self._return(picking, 2)
        self.assertEqual(first.qty_delivered, 0)
        first.unlink()
        self.assertEqual(order.order_line.product_uom_qty, 3)


@tagged("post_install", "-at_install")
class TestAllocationTechnicalLinks(KeyAccountStockCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env,
            login="ka_links_salesman",
            groups="sales_team.group_sale_salesman_all_leads,stock.group_stock_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def test_links_written_only_by_the_system(self):
        order = self._create_order([1, 1])
        order.action_confirm()
        first, second = order.key_account_allocation_ids.sorted("id")
        as_user = first.with_user(self.salesman)
        for vals in (
            {"picking_id": second.picking_id.id},
            {"procurement_group_id": second.procurement_group_id.id},
            {"move_ids": [Command.link(second.move_ids.id)]},
            {"qty_delivered": 1},
        ):
            with self.assertRaisesMessage(AccessError, "set by the system"):
                as_user.write(vals)
        with self.assertRaises(AccessError):
            self.env["key.account.allocation"].with_user(self.salesman).create(
                {
                    "order_line_id": order.order_line.id,
                    "recipient_id": first.recipient_id.id,
                    "quantity": 1,
                    "picking_id": first.picking_id.id,
                }
            )
        with self.assertRaisesMessage(AccessError, "cannot be changed"):
            second.move_ids.with_user(self.salesman).write(
                {"key_account_allocation_id": first.id}
            )
        other_order = self._create_order([1])
        other_order.action_confirm()
        with self.assertRaisesMessage(AccessError, "own sale order line"):
            self.env["stock.move"].with_user(self.salesman).create(
                {
                    "name": "forged",
                    "product_id": self.product.id,
                    "product_uom_qty": 1,
                    "location_id": self.warehouse.lot_stock_id.id,
                    "location_dest_id": first.picking_id.location_dest_id.id,
                    "sale_line_id": other_order.order_line.id,
                    "key_account_allocation_id": first.id,
                }
            )
        self.assertEqual(second.move_ids.key_account_allocation_id, second)
        self.assertNotEqual(first.picking_id, second.picking_id)
        # Context keys sent by a client switch nothing off.
        with self.assertRaises(AccessError):
            as_user.with_context(key_account_system=True, su=True).write(
                {"picking_id": second.picking_id.id}
            )
        # The user's own business changes still work.
        as_user.quantity = 2
        self.assertEqual(first.move_ids.product_uom_qty, 2)

    def test_client_context_cannot_skip_quant_reservation(self):
        order = self._create_order([5])
        order.action_confirm()
        pickings = order.picking_ids
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "=", self.product.id),
                ("location_id", "=", self.warehouse.lot_stock_id.id),
            ]
        )
        reserved = sum(quants.mapped("reserved_quantity"))
        pickings.do_unreserve()
        self.assertEqual(sum(quants.mapped("reserved_quantity")), reserved - 5)
        pickings.with_context(key_account_reserved_in_batch=True).action_assign()
        self.assertEqual(sum(pickings.move_ids.mapped("quantity")), 5)
        self.assertEqual(sum(quants.mapped("reserved_quantity")), reserved)

    def test_order_state_named_for_what_it_holds(self):
        order = self._create_order([1])
        allocation = order.key_account_allocation_ids
        self.assertNotIn("state", allocation._fields)
        self.assertEqual(allocation.order_state, "draft")
        order.action_confirm()
        self.assertEqual(allocation.order_state, "sale")


@tagged("post_install", "-at_install")
class TestBatchedAssignmentHooks(KeyAccountStockCommon):
    """The batched picking assignment keeps core's extension points, and
    steps aside for core where another addon replaces a step."""

    def test_hooks_of_installed_addons_detected(self):
        Move = self.env["stock.move"]
        batch_installed = bool(
            self.env["ir.module.module"].search_count(
                [("name", "=", "stock_picking_batch"), ("state", "=", "installed")]
            )
        )
        self.assertEqual(Move._key_account_method_modules("_assign_picking"), {"stock"})
        self.assertTrue(Move._key_account_batch_assign_supported())
        self.assertTrue(Move._key_account_batch_reserve_supported())
        self.assertIn(
            "sale_stock",
            Move._key_account_method_modules("_assign_picking_post_process"),
        )
        self.assertEqual(Move._key_account_post_process_needed(), batch_installed)

    def test_caller_defaults_do_not_reach_pickings(self):
        """As core's assignment, the batch cleans the context's default_*
        keys before creating pickings."""
        order = self._create_order([1, 2])
        order.with_context(default_note="<p>not for pickings</p>").action_confirm()
        self.assertEqual(len(order.picking_ids), 2)
        self.assertFalse(any(order.picking_ids.mapped("note")))

    def test_search_domain_extension_honoured(self):
        """An addon that keeps some pickings out of the assignment (as
        stock_picking_batch keeps waves) is obeyed by the batch."""
        Move = type(self.env["stock.move"])
        core_domain = Move._search_picking_for_assignation_domain

        def domain(move):
            return core_domain(move) + [("origin", "!=", "held")]

        order = self._create_order([1, 1])
        order.action_confirm()
        first, second = order.key_account_allocation_ids.sorted("id")
        held = first.picking_id
        held.origin = "held"
        with patch.object(Move, "_search_picking_for_assignation_domain", domain):
            first.quantity = 3
            second.quantity = 2
        new_move = first.move_ids - held.move_ids
        self.assertEqual(held.move_ids.product_uom_qty, 1)
        self.assertEqual(new_move.product_uom_qty, 2)
        self.assertNotEqual(new_move.picking_id, held)
        self.assertEqual(new_move.picking_id.partner_id, first.recipient_id)
        self.assertEqual(len(second.move_ids.picking_id), 1, "added to its picking")
        self.assertEqual(first.picking_id, new_move.picking_id)

    def test_core_assignment_when_another_addon_overrides_it(self):
        Move = type(self.env["stock.move"])
        core_modules = Move._key_account_method_modules

        def modules(model, name):
            found = core_modules(model, name)
            return found | {"another_addon"} if name == "_assign_picking" else found

        core_assign = Move._assign_picking
        calls = []

        def assign(moves):
            calls.append(moves)
            return core_assign(moves)

        order = self._create_order([1, 2, 3])
        with (
            patch.object(Move, "_key_account_method_modules", modules),
            patch.object(Move, "_assign_picking", assign),
        ):
            self.assertFalse(
                self.env["stock.move"]._key_account_batch_assign_supported()
            )
            order.action_confirm()
        assigned_by_core = self.env["stock.move"].concat(*calls)
        self.assertEqual(
            set(assigned_by_core.ids),
            set(order.key_account_allocation_ids.move_ids.ids),
            "core assigned every recipient move",
        )
        self.assertEqual(len(order.picking_ids), 3)
        for allocation in order.key_account_allocation_ids:
            self.assertEqual(allocation.picking_id.partner_id, allocation.recipient_id)
            self.assertEqual(
                allocation.picking_id.move_ids.key_account_allocation_id, allocation
            )
