# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo.tests import tagged

from .common import KeyAccountPortalCommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestPortalFollowQueryCount(KeyAccountPortalCommon):
    """The order page and the recipient list read as many queries for an
    order of 1,000 recipients as for one of 100."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_100 = cls._create_order_with_deliveries(100, start=1000)
        cls.order_1000 = cls._create_order_with_deliveries(1000, start=2000)

    @classmethod
    def _create_order_with_deliveries(cls, count, start):
        """An order of ``count`` recipients, each pointing to a delivery of
        its own (created in one batch and linked by the delivery engine's
        own link writer: confirming 1,000 deliveries would take a minute)."""
        order = cls._create_portal_order(
            cls.customer_a, [1] * count, start=start, confirm=False
        )
        allocations = order.key_account_allocation_ids.sorted("id")
        picking_type = cls.warehouse.out_type_id
        customers = cls.env.ref("stock.stock_location_customers")
        pickings = cls.env["stock.picking"].create(
            [
                {
                    "picking_type_id": picking_type.id,
                    "partner_id": allocation.recipient_id.id,
                    "location_id": picking_type.default_location_src_id.id,
                    "location_dest_id": customers.id,
                    "origin": order.name,
                }
                for allocation in allocations
            ]
        )
        allocations._key_account_set_links(
            "picking_id",
            dict(zip(allocations.ids, pickings.ids, strict=True)),
        )
        return order

    def _count_queries(self, url):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return self.env.cr.sql_log_count - before, response.text

    def test_query_count_flat(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        pages = {
            "order": "/my/key-account/orders/{id}",
            "recipients": "/my/key-account/orders/{id}/recipients",
            "recipients page 2": "/my/key-account/orders/{id}/recipients/page/2",
            "search": "/my/key-account/orders/{id}/recipients?search=收件人",
        }
        for label, pattern in pages.items():
            with self.subTest(page=label):
                small = pattern.format(id=self.order_100.id)
                big = pattern.format(id=self.order_1000.id)
                # Warm up: templates compiled, caches of the registry filled.
                self._count_queries(small)
                self._count_queries(big)
                queries_100, text_100 = self._count_queries(small)
                queries_1000, text_1000 = self._count_queries(big)
                _logger.info(
                    "%s: %s queries for 100 recipients, %s for 1,000",
                    label,
                    queries_100,
                    queries_1000,
                )
                self.assertEqual(text_100.count("o_ka_recipient_row"), 50)
                self.assertEqual(text_1000.count("o_ka_recipient_row"), 50)
                self.assertEqual(
                    queries_100,
                    queries_1000,
                    f"{label}: {queries_100} queries for 100 recipients, "
                    f"{queries_1000} for 1,000",
                )
