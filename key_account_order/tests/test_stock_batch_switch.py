# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The stock speed-up layer has one switch: off, core's assignment and
reservation give the same deliveries; on, the batched path, fewer queries."""

from unittest.mock import patch

from odoo.tests import tagged

from .common import KeyAccountOrderCommon

SWITCH = "key_account_order.stock_batch"


@tagged("post_install", "-at_install")
class TestStockBatchSwitch(KeyAccountOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "auto_batch" in cls.warehouse.out_type_id._fields:
            cls.warehouse.out_type_id.auto_batch = False
        cls.recipients = cls._create_recipients(6, start=7000)

    def _confirm(self, switch):
        """Confirm an order over the same recipients with the layer
        ``switch`` ("1", "0" or None: the parameter absent); returns (order,
        queries, moves core's ``_assign_picking`` assigned)."""
        self.env["ir.config_parameter"].sudo().set_param(SWITCH, switch or False)
        order = self._create_order([1, 2, 1, 3, 1, 2], recipients=self.recipients)
        Move = type(self.env["stock.move"])
        core_assign = Move._assign_picking
        assigned = []

        def assign(moves):
            assigned.append(moves)
            return core_assign(moves)

        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        with patch.object(Move, "_assign_picking", assign):
            order.action_confirm()
            self.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        return order, queries, self.env["stock.move"].concat(*assigned)

    def _deliveries(self, order):
        """What the customer gets, whatever path made it."""
        return sorted(
            (
                allocation.recipient_id.id,
                allocation.picking_id.partner_id.id,
                allocation.picking_id.picking_type_id.id,
                allocation.picking_id.state,
                tuple(allocation.picking_id.move_ids.mapped("product_uom_qty")),
                tuple(allocation.picking_id.move_ids.mapped("quantity")),
                bool(allocation.picking_id.name and allocation.picking_id.name != "/"),
                allocation.procurement_group_id == allocation.picking_id.group_id,
            )
            for allocation in order.key_account_allocation_ids
        )

    def test_off_is_core_path_with_the_same_deliveries(self):
        self._confirm(None)  # warm the caches
        batched, batched_queries, batched_core = self._confirm(None)
        self.assertFalse(batched_core, "the layer assigned every recipient move")
        core, core_queries, assigned_by_core = self._confirm("0")
        self.assertEqual(
            set(assigned_by_core.ids),
            set(core.key_account_allocation_ids.move_ids.ids),
            "switched off, core assigns every recipient move",
        )
        self.assertEqual(len(core.picking_ids), 6)
        self.assertEqual(len(batched.picking_ids), 6)
        self.assertEqual(self._deliveries(core), self._deliveries(batched))
        self.assertLess(batched_queries, core_queries)
        on, _queries, on_core = self._confirm("1")
        self.assertFalse(on_core)
        self.assertEqual(self._deliveries(on), self._deliveries(batched))

    def test_switch_values(self):
        Move = self.env["stock.move"]
        self.assertTrue(Move._key_account_stock_batch_enabled(), "on by default")
        for value in ("0", "false", "Off"):
            self.env["ir.config_parameter"].sudo().set_param(SWITCH, value)
            self.assertFalse(Move._key_account_stock_batch_enabled(), value)
        self.env["ir.config_parameter"].sudo().set_param(SWITCH, "1")
        self.assertTrue(Move._key_account_stock_batch_enabled())
