# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import KeyAccountOrderCommon


@tagged("post_install", "-at_install")
class TestDeliveryGrouping(KeyAccountOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.hq = Partner.create(
            {
                "name": "集团总部收发室",
                "parent_id": cls.customer.id,
                "type": "delivery",
                "city": "上海市",
                "street": "陆家嘴环路 1 号",
            }
        )
        cls.factory = Partner.create(
            {
                "name": "苏州工厂行政部",
                "parent_id": cls.customer.id,
                "type": "delivery",
                "city": "苏州市",
                "street": "工业园区星湖街 8 号",
            }
        )

    def _batches(self, grouping):
        suffix = "分公司" if grouping == "branch" else ""
        return [
            Command.create({"name": f"市场部{suffix}", "partner_id": self.hq.id}),
            Command.create({"name": f"生产部{suffix}", "partner_id": self.factory.id}),
        ]

    def test_per_recipient_is_default(self):
        order = self._create_order([1, 1], departments=["市场部", "市场部"])
        self.assertEqual(order.key_account_delivery_grouping, "recipient")
        order.action_confirm()
        self.assertEqual(len(order.picking_ids), 2)
        self.assertEqual(
            order.picking_ids.partner_id, order.key_account_allocation_ids.recipient_id
        )

    def test_per_department(self):
        order = self._create_order(
            [1, 2, 3],
            departments=["市场部", "生产部", "市场部"],
            key_account_delivery_grouping="department",
            key_account_batch_ids=self._batches("department"),
        )
        order.action_confirm()
        self.assertEqual(len(order.picking_ids), 2)
        market = order.picking_ids.filtered(lambda p: p.partner_id == self.hq)
        factory = order.picking_ids.filtered(lambda p: p.partner_id == self.factory)
        self.assertEqual(sorted(market.move_ids.mapped("product_uom_qty")), [1, 3])
        self.assertEqual(
            len(market.move_ids), 2, "one move per recipient, not merged together"
        )
        self.assertEqual(factory.move_ids.product_uom_qty, 2)
        self.assertEqual(factory.partner_id.street, "工业园区星湖街 8 号")
        allocations = order.key_account_allocation_ids
        self.assertEqual(
            allocations.filtered(lambda a: a.department == "市场部").picking_id, market
        )

    def test_per_branch(self):
        order = self._create_order(
            [2, 2, 1],
            departments=["市场部", "生产部", "生产部"],
            key_account_delivery_grouping="branch",
            key_account_batch_ids=self._batches("branch"),
        )
        order.action_confirm()
        self.assertEqual(len(order.picking_ids), 2)
        factory = order.picking_ids.filtered(lambda p: p.partner_id == self.factory)
        self.assertEqual(sum(factory.move_ids.mapped("product_uom_qty")), 3)
        self.assertEqual(factory.group_id.partner_id, self.factory)

    def test_missing_batch_address(self):
        order = self._create_order(
            [1, 1],
            departments=["市场部", "财务部"],
            key_account_delivery_grouping="department",
            key_account_batch_ids=self._batches("department"),
        )
        with self.assertRaisesMessage(UserError, order.name, "财务部"):
            order.action_confirm()
        self.assertFalse(order.picking_ids)

    def test_department_batch_increase(self):
        order = self._create_order(
            [1, 1],
            departments=["市场部", "市场部"],
            key_account_delivery_grouping="department",
            key_account_batch_ids=self._batches("department"),
        )
        order.action_confirm()
        picking = order.picking_ids
        self.assertEqual(len(picking), 1)
        first, second = order.key_account_allocation_ids
        first.quantity = 3
        self.assertEqual(order.picking_ids, picking)
        self.assertEqual(first.move_ids.product_uom_qty, 3)
        self.assertEqual(second.move_ids.product_uom_qty, 1)
        self.assertEqual(len(picking.move_ids), 2)
