# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import Form, tagged

from .test_import import KeyAccountImportCommon


@tagged("post_install", "-at_install")
class TestRecipientReturns(KeyAccountImportCommon):
    def test_return_one_recipients_delivery(self):
        order = self._create_allocated_order(quantities=(2, 3))
        order.action_confirm()
        allocations = order.key_account_allocation_ids.sorted("quantity")
        self._deliver(allocations.picking_id)
        line = order.order_line
        self.assertEqual(line.qty_delivered, 5)
        self.assertEqual(allocations.mapped("qty_delivered"), [2, 3])

        picking = allocations[1].picking_id
        wizard_form = Form(
            self.env["stock.return.picking"].with_context(
                active_model="stock.picking", active_id=picking.id
            )
        )
        with wizard_form.product_return_moves.edit(0) as return_line:
            return_line.quantity = 1
        action = wizard_form.save().action_create_returns()
        return_picking = self.env["stock.picking"].browse(action["res_id"])
        self.assertEqual(
            return_picking.move_ids.key_account_allocation_id, allocations[1]
        )
        self.assertEqual(return_picking.partner_id, allocations[1].recipient_id)
        self._deliver(return_picking)

        self.assertEqual(allocations[1].qty_delivered, 2)
        self.assertEqual(allocations[0].qty_delivered, 2, "other recipient untouched")
        self.assertEqual(line.qty_delivered, 4)

    def test_return_of_storable_goods_from_stock(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        product = self.env["product.product"].create(
            {
                "name": "月饼礼盒",
                "default_code": "KA-MOONCAKE",
                "type": "consu",
                "is_storable": True,
                "company_id": self.company.id,
            }
        )
        self.env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 10
        )
        order = self._create_allocated_order(
            quantities=(1, 4), product=product, warehouse_id=warehouse.id
        )
        order.action_confirm()
        allocations = order.key_account_allocation_ids.sorted("quantity")
        self._deliver(allocations.picking_id)
        self.assertEqual(
            product.with_context(warehouse_id=warehouse.id).qty_available, 5
        )
        picking = allocations[1].picking_id
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_model="stock.picking", active_id=picking.id
            )
        ).save()
        wizard.product_return_moves.quantity = 4
        return_picking = self.env["stock.picking"].browse(
            wizard.action_create_returns()["res_id"]
        )
        self._deliver(return_picking)
        self.assertEqual(
            product.with_context(warehouse_id=warehouse.id).qty_available, 9
        )
        self.assertEqual(allocations[1].qty_delivered, 0)
        self.assertEqual(allocations[0].qty_delivered, 1)
        self.assertEqual(order.order_line.qty_delivered, 1)
