# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import tagged

from .common import KeyAccountOrderCommon

# Budget of SQL queries per recipient added to an order at confirmation: the
# issue's ceiling, and what the batched engine actually needs (groups, moves,
# pickings, names, followers and reservations are all done in batches: about
# 0.2 query per recipient at N=1000). Reserving or assigning pickings one
# recipient at a time again would cost 5 or more.
MAX_QUERIES_PER_RECIPIENT = 12
MAX_MARGINAL_QUERIES_PER_RECIPIENT = 1


@tagged("post_install", "-at_install")
class TestConfirmScaling(KeyAccountOrderCommon):
    """Confirming an order allocated over more recipients costs a flat number
    of queries per recipient (deterministic: queries, not time)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # stock_picking_batch, when installed, batches new warehouses'
        # deliveries per contact: one batch per recipient, that addon's own
        # work per picking, not the confirmation's.
        if "auto_batch" in cls.warehouse.out_type_id._fields:
            cls.warehouse.out_type_id.auto_batch = False

    def _confirm_queries(self, size, start):
        recipients = self._create_recipients(size, start=start)
        order = self._create_order(
            [1] * size, recipients=recipients, user_id=self.ka_user.id
        )
        order = order.with_user(self.ka_user)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        order.action_confirm()
        order.env.flush_all()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(len(order.picking_ids), size)
        return queries

    def test_queries_per_recipient_flat(self):
        self._confirm_queries(3, start=1000)  # warm the registry caches
        small = self._confirm_queries(20, start=2000)
        large = self._confirm_queries(80, start=3000)
        marginal = (large - small) / 60
        if "bom_line_id" in self.env["stock.move"]._fields:
            # mrp looks every confirmed move's product up for a kit BoM, one
            # search per move (stock.move.action_explode), as in standard Odoo.
            marginal -= 1
        self.assertLessEqual(
            marginal,
            MAX_QUERIES_PER_RECIPIENT,
            f"{small} queries for 20 recipients, {large} for 80",
        )
        self.assertLessEqual(
            marginal,
            MAX_MARGINAL_QUERIES_PER_RECIPIENT,
            f"{small} queries for 20 recipients, {large} for 80: something is "
            "done once per recipient again",
        )
        self.assertLessEqual(
            large / 80,
            small / 20,
            f"{small} queries for 20 recipients, {large} for 80",
        )
