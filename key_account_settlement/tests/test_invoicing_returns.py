# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Returns after a consolidated invoice (月结): the next period's run credits
them, linked to the order lines as core's refund of an order is, nets them
with the period's new deliveries as core's final invoicing does, and never
credits a return twice (a credit note made by hand from the invoice
counts)."""

from dateutil.relativedelta import relativedelta

from odoo.tests import Form, tagged

from .invoicing_common import KeyAccountInvoicingCommon


@tagged("post_install", "-at_install")
class TestInvoicingReturns(KeyAccountInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._create_contract(
            cls.customer, date_start=cls.today - relativedelta(months=3)
        )
        cls.contract.sudo().invoice_policy = "period"

    def _invoiced_last_month(self, count):
        """An order of ``count`` recipients, delivered and invoiced (posted)
        by last month's consolidated invoice."""
        order = self._confirmed_order(count)
        self._deliver_on(order.picking_ids, self.last_month_end)
        invoice = self._period_invoices(
            self.contract, self.last_month_start, self.last_month_end
        )
        self.assertEqual(invoice.invoice_line_ids.quantity, count)
        invoice.action_post()
        return order, invoice

    def _return(self, pickings, day):
        """Return every unit of ``pickings`` (to refund), received ``day``."""
        for picking in pickings:
            wizard = Form(
                self.env["stock.return.picking"].with_context(
                    active_id=picking.id, active_model="stock.picking"
                )
            ).save()
            wizard.product_return_moves.write({"to_refund": True})
            for line in wizard.product_return_moves:
                line.quantity = line.move_id.quantity
            returned = self.env["stock.picking"].browse(
                wizard.action_create_returns()["res_id"]
            )
            self._deliver_on(returned, day)

    def _this_month(self):
        return self._period_invoices(self.contract, self.month_start, self.today)

    def test_two_units_returned_after_invoicing_are_credited(self):
        order, invoice = self._invoiced_last_month(2)
        self._return(order.picking_ids, self.month_start)
        self.assertEqual(order.order_line.qty_to_invoice, -2)

        credit_note = self._this_month()
        self.assertEqual(len(credit_note), 1)
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.invoice_line_ids.quantity, 2)
        self.assertEqual(credit_note.amount_total, invoice.amount_total)
        self.assertEqual(credit_note.key_account_contract_id, self.contract)
        self.assertEqual(credit_note.key_account_period_start, self.month_start)
        self.assertEqual(credit_note.key_account_period_end, self.today)
        # linked to the order line, as core's refund of an order
        self.assertEqual(credit_note.invoice_line_ids.sale_line_ids, order.order_line)
        self.assertIn(credit_note, order.order_line.invoice_lines.move_id)
        self.assertEqual(order.order_line.qty_invoiced, 0)
        self.assertEqual(order.order_line.qty_to_invoice, 0)
        self.assertNotEqual(order.invoice_status, "to invoice")
        # run again: nothing credited twice
        self.assertFalse(self._this_month())

    def test_return_waits_for_the_period_it_was_received_in(self):
        order, _invoice = self._invoiced_last_month(2)
        self._return(order.picking_ids[:1], self.today + relativedelta(days=1))
        self.assertFalse(
            self._this_month(), "received after the end of the period: next one"
        )
        credit_note = self._period_invoices(
            self.contract, self.month_start, self.today + relativedelta(days=1)
        )
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.invoice_line_ids.quantity, 1)

    def test_partial_return_nets_with_the_period_deliveries(self):
        returned, _invoice = self._invoiced_last_month(3)
        new = self._confirmed_order(2)
        self._return(returned.picking_ids.sorted("id")[:1], self.month_start)
        self._deliver_on(new.picking_ids, self.month_start)

        invoice = self._this_month()
        self.assertEqual(len(invoice), 1, "one document for the period's net")
        self.assertEqual(invoice.move_type, "out_invoice")
        quantities = {
            line.sale_line_ids: line.quantity for line in invoice.invoice_line_ids
        }
        self.assertEqual(
            quantities, {returned.order_line: -1, new.order_line: 2}, "2 new - 1"
        )
        self.assertEqual(invoice.amount_total, self.product.list_price)
        self.assertEqual(returned.order_line.qty_invoiced, 2)
        self.assertEqual(new.order_line.qty_invoiced, 2)
        self.assertFalse(self._this_month())

    def test_returns_beyond_the_period_deliveries_make_a_credit_note(self):
        returned, _invoice = self._invoiced_last_month(3)
        new = self._confirmed_order(1)
        self._return(returned.picking_ids.sorted("id")[:2], self.month_start)
        self._deliver_on(new.picking_ids, self.month_start)

        credit_note = self._this_month()
        self.assertEqual(len(credit_note), 1)
        self.assertEqual(credit_note.move_type, "out_refund")
        quantities = {
            line.sale_line_ids: line.quantity for line in credit_note.invoice_line_ids
        }
        self.assertEqual(quantities, {returned.order_line: 2, new.order_line: -1})
        self.assertEqual(credit_note.amount_total, self.product.list_price)
        self.assertEqual(returned.order_line.qty_invoiced, 1)
        self.assertEqual(new.order_line.qty_invoiced, 1)

    def test_return_refunded_by_hand_is_not_credited_again(self):
        order, invoice = self._invoiced_last_month(2)
        self._return(order.picking_ids, self.month_start)
        # the accountant refunds one of the two units by hand, from the invoice
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "退货"})
        )
        by_hand = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        by_hand.invoice_line_ids.quantity = 1
        by_hand.action_post()
        self.assertEqual(order.order_line.qty_to_invoice, -1)

        credit_note = self._this_month()
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.invoice_line_ids.quantity, 1, "2 - 1 by hand")
        self.assertEqual(order.order_line.qty_invoiced, 0)
        self.assertFalse(self._this_month())

    def test_return_fully_refunded_by_hand_makes_nothing(self):
        order, invoice = self._invoiced_last_month(2)
        self._return(order.picking_ids, self.month_start)
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"journal_id": invoice.journal_id.id, "reason": "退货"})
        )
        reversal.refund_moves()
        self.assertEqual(order.order_line.qty_invoiced, 0)
        self.assertFalse(self._this_month(), "refunded already: no second credit")
