# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""An order delivered to many recipients invoices with a number of queries
that does not grow with the recipients: one invoice line per product."""

from odoo import Command
from odoo.tests import tagged

from .invoicing_common import KeyAccountInvoicingCommon


@tagged("post_install", "-at_install")
class TestInvoicingScaling(KeyAccountInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.key_account_background_threshold = 0
        cls.other = cls._create_key_account("深圳礼品采购有限公司")
        cls.contracts = cls._create_contract(cls.customer) | cls._create_contract(
            cls.other
        )
        cls.small = cls._delivered_order(cls.customer, 20)
        cls.large = cls._delivered_order(cls.other, 200)

    @classmethod
    def _delivered_order(cls, customer, count):
        """An order of ``customer``: one line over ``count`` recipients,
        confirmed and delivered (the deliveries validated in one batch)."""
        recipients = cls.env["res.partner"]._key_account_get_or_create_recipients(
            customer,
            [
                cls._recipient_vals(index, name=f"{customer.name}{index}")
                for index in range(count)
            ],
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "company_id": cls.company.id,
                "warehouse_id": cls.warehouse.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.product.id, "product_uom_qty": count}
                    )
                ],
            }
        )
        cls.env["key.account.allocation"].create(
            [
                {
                    "order_line_id": order.order_line.id,
                    "recipient_id": recipient.id,
                    "quantity": 1,
                }
                for recipient in recipients
            ]
        )
        order.action_confirm()
        moves = order.picking_ids.move_ids
        for move in moves:
            move.quantity = move.product_uom_qty
        moves.picked = True
        order.picking_ids._action_done()
        assert len(order.picking_ids) == count
        assert order.order_line.qty_delivered == count
        return order

    def _count(self, function):
        """Queries of ``function()`` with a cold record cache (a new request)."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        invoices = function()
        self.env.flush_all()
        return self.cr.sql_log_count - before, invoices

    def _per_delivery(self, order):
        def run():
            self.env["sale.advance.payment.inv"].with_context(
                active_model="sale.order", active_ids=order.ids
            ).create({"advance_payment_method": "delivered"}).create_invoices()
            return order.invoice_ids

        return self._count(run)

    def _consolidated(self, order):
        contract = order.key_account_contract_id
        return self._count(
            lambda: contract._key_account_create_period_invoices(
                self.month_start, self.today
            )
        )

    def _assert_flat(self, invoice_way):
        # warm-up (registry caches), then undone
        _queries, invoices = invoice_way(self.small)
        invoices.unlink()
        counts = {}
        for order in (self.small, self.large):
            counts[order], invoices = invoice_way(order)
            self.assertEqual(len(invoices), 1)
            self.assertEqual(len(invoices.invoice_line_ids), 1)
            self.assertEqual(
                invoices.invoice_line_ids.quantity, order.order_line.product_uom_qty
            )
        self.assertEqual(
            counts[self.large],
            counts[self.small],
            "queries of invoicing 200 recipients vs 20",
        )

    def test_per_delivery_queries_do_not_grow_with_recipients(self):
        self._assert_flat(self._per_delivery)

    def test_consolidated_queries_do_not_grow_with_recipients(self):
        self.contracts.sudo().invoice_policy = "period"
        self._assert_flat(self._consolidated)
