# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import KeyAccountOrderCommon


@tagged("post_install", "-at_install")
class TestAllocation(KeyAccountOrderCommon):
    def test_allocations_must_add_up(self):
        order = self._create_order([2, 3])
        order.order_line.product_uom_qty = 6
        with self.assertRaisesMessage(UserError, order.name, "端午礼盒", "5.0", "6.0"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.picking_ids)

    def test_line_without_allocation_is_standard(self):
        address = self.env["res.partner"].create(
            {"name": "收货点", "parent_id": self.customer.id, "type": "delivery"}
        )
        order = (
            self.env["sale.order"]
            .with_company(self.company)
            .create(
                {
                    "partner_id": self.customer.id,
                    "partner_shipping_id": address.id,
                    "company_id": self.company.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 4}
                        )
                    ],
                }
            )
        )
        order.action_confirm()
        self.assertEqual(len(order.picking_ids), 1)
        self.assertEqual(order.picking_ids.partner_id, address)
        self.assertFalse(order.picking_ids.move_ids.key_account_allocation_id)
        self.assertEqual(order.procurement_group_id, order.picking_ids.group_id)

    def test_confirm_one_picking_per_recipient(self):
        order = self._create_order([1, 2, 3])
        order.action_confirm()
        allocations = order.key_account_allocation_ids
        self.assertEqual(len(order.picking_ids), 3)
        for allocation in allocations:
            picking = allocation.picking_id
            self.assertEqual(picking.partner_id, allocation.recipient_id)
            self.assertEqual(picking.move_ids.key_account_allocation_id, allocation)
            self.assertEqual(picking.move_ids.product_uom_qty, allocation.quantity)
            self.assertEqual(picking.move_ids.sale_line_id, order.order_line)
            self.assertEqual(picking.group_id.partner_id, allocation.recipient_id)
            self.assertEqual(picking.sale_id, order)
            self.assertEqual(picking.move_ids.reference, picking.name)
            self.assertEqual(picking.scheduled_date, picking.move_ids.date)
            self.assertTrue(picking.name.startswith(self.warehouse.code))
            self.assertIn(allocation.recipient_id, picking.message_partner_ids)
        self.assertEqual(len(set(order.picking_ids.mapped("name"))), 3)
        self.assertEqual(
            set(order.picking_ids.mapped("state")), {"assigned"}, "stock is reserved"
        )
        self.assertIn("3 delivery group(s)", "".join(order.message_ids.mapped("body")))

    def test_delivered_quantities_roll_up(self):
        order = self._create_order([2, 3])
        order.action_confirm()
        first, second = order.key_account_allocation_ids.sorted("quantity")
        self._deliver(first.picking_id)
        self.assertEqual(first.qty_delivered, 2)
        self.assertEqual(second.qty_delivered, 0)
        self.assertEqual(order.order_line.qty_delivered, 2)
        self._deliver(second.picking_id)
        self.assertEqual(second.qty_delivered, 3)
        self.assertEqual(order.order_line.qty_delivered, 5)

    def test_increase_after_confirmation(self):
        order = self._create_order([1, 2, 3])
        order.action_confirm()
        allocations = order.key_account_allocation_ids.sorted("quantity")
        others = allocations[1:]
        other_moves = others.move_ids
        other_qty = other_moves.mapped("product_uom_qty")
        allocations[0].quantity = 4
        self.assertEqual(order.order_line.product_uom_qty, 9)
        self.assertEqual(len(allocations[0].move_ids), 1, "no duplicate move")
        self.assertEqual(allocations[0].move_ids.product_uom_qty, 4)
        self.assertEqual(len(order.picking_ids), 3)
        self.assertEqual(others.move_ids, other_moves, "other recipients untouched")
        self.assertEqual(other_moves.mapped("product_uom_qty"), other_qty)
        self.assertEqual(len(self._outgoing_moves(order)), 3)

    def test_decrease_after_confirmation(self):
        order = self._create_order([1, 2, 3])
        order.action_confirm()
        allocations = order.key_account_allocation_ids.sorted("quantity")
        allocations[2].quantity = 1
        self.assertEqual(order.order_line.product_uom_qty, 4)
        self.assertEqual(allocations[2].move_ids.product_uom_qty, 1)
        self.assertEqual(allocations[2].move_ids.quantity, 1, "reservation follows")
        self.assertEqual(allocations[:2].move_ids.mapped("product_uom_qty"), [1, 2])

    def test_decrease_below_delivered_refused(self):
        order = self._create_order([3, 2])
        order.action_confirm()
        allocation = order.key_account_allocation_ids.sorted("quantity")[-1]
        self._deliver(allocation.picking_id)
        with self.assertRaisesMessage(UserError, allocation.recipient_id.name, "3.0"):
            allocation.quantity = 2
        self.assertEqual(order.order_line.product_uom_qty, 5)

    def test_new_recipient_after_confirmation(self):
        order = self._create_order([1, 1])
        order.action_confirm()
        pickings = order.picking_ids
        moves = self._outgoing_moves(order)
        recipient = self._create_recipients(1, start=50)
        new = self.env["key.account.allocation"].create(
            {
                "order_line_id": order.order_line.id,
                "recipient_id": recipient.id,
                "quantity": 2,
            }
        )
        self.assertEqual(order.order_line.product_uom_qty, 4)
        self.assertEqual(len(order.picking_ids), 3)
        self.assertEqual(new.picking_id.partner_id, recipient)
        self.assertEqual(order.picking_ids - pickings, new.picking_id)
        self.assertEqual(self._outgoing_moves(order) - moves, new.move_ids)

    def test_remove_recipient_after_confirmation(self):
        order = self._create_order([1, 2])
        order.action_confirm()
        allocation = order.key_account_allocation_ids.sorted("quantity")[0]
        picking = allocation.picking_id
        allocation.unlink()
        self.assertEqual(order.order_line.product_uom_qty, 2)
        self.assertEqual(picking.state, "cancel")

    def test_line_quantity_change_without_allocation_refused(self):
        order = self._create_order([1, 2])
        order.action_confirm()
        with self.assertRaisesMessage(UserError, "3.0", "5.0"):
            order.order_line.product_uom_qty = 5

    def test_recipient_change_after_launch_refused(self):
        order = self._create_order([1, 2])
        order.action_confirm()
        other = self._create_recipients(1, start=70)
        with self.assertRaisesMessage(UserError, "cannot change"):
            order.key_account_allocation_ids[0].recipient_id = other

    def test_delivery_requirements_on_pickings(self):
        order = self._create_order(
            [1],
            key_account_delivery_date_from="2026-06-01",
            key_account_delivery_date_to="2026-06-10",
            key_account_packaging="gift_wrap",
            key_account_packaging_note="附贺卡",
            key_account_logistics_note="送货前电话联系",
        )
        order.action_confirm()
        picking = order.picking_ids
        self.assertEqual(str(picking.key_account_delivery_date_from), "2026-06-01")
        self.assertEqual(str(picking.key_account_delivery_date_to), "2026-06-10")
        self.assertEqual(picking.key_account_packaging, "gift_wrap")
        self.assertEqual(picking.key_account_packaging_note, "附贺卡")
        self.assertEqual(picking.key_account_logistics_note, "送货前电话联系")


@tagged("post_install", "-at_install")
class TestAllocationInvoice(KeyAccountOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company, install_demo=False
        )

    def test_invoice_one_line_per_product(self):
        order = self._create_order([1, 2, 3, 4])
        order.action_confirm()
        invoice = order._create_invoices()
        product_lines = invoice.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )
        self.assertEqual(len(product_lines), 1)
        self.assertEqual(product_lines.quantity, 10)
        self.assertEqual(product_lines.product_id, self.product)
