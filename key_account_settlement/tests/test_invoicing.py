# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Invoicing policy of the contract: per delivery (core's invoicing of
delivered quantities) or one consolidated invoice per contract and period
(月结), never twice for a delivered quantity; the buyer's invoicing data on
the invoice."""

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .invoicing_common import KeyAccountInvoicingCommon


@tagged("post_install", "-at_install")
class TestInvoicing(KeyAccountInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._create_contract(
            cls.customer, date_start=cls.today - relativedelta(months=3)
        )

    def _invoice_per_delivery(self, orders):
        """Create Invoice (delivered quantities) on ``orders``, as the
        wizard's form proposes it."""
        wizard = Form(
            self.env["sale.advance.payment.inv"].with_context(
                active_model="sale.order", active_ids=orders.ids
            )
        ).save()
        wizard.create_invoices()
        return orders.invoice_ids

    # ------------------------------------------------------------------
    # Per delivery
    # ------------------------------------------------------------------
    def test_per_delivery_invoice_has_one_line_per_product(self):
        order = self._confirmed_order(5)
        self.assertEqual(order.key_account_contract_id, self.contract)
        self.assertEqual(len(order.picking_ids), 5)
        self._deliver(order.picking_ids.sorted("id")[:3])
        invoice = self._invoice_per_delivery(order)
        self.assertEqual(len(invoice), 1)
        self.assertEqual(len(invoice.invoice_line_ids), 1, "one line, not 3 recipients")
        self.assertEqual(invoice.invoice_line_ids.quantity, 3)
        self.assertEqual(invoice.key_account_contract_id, self.contract)
        self._deliver(order.picking_ids.sorted("id")[3:])
        second = self._invoice_per_delivery(order) - invoice
        self.assertEqual(second.invoice_line_ids.quantity, 2)
        self.assertEqual(order.order_line.qty_invoiced, 5)

    def test_per_delivery_invoices_order_by_order(self):
        orders = self._confirmed_order(1) | self._confirmed_order(1)
        self._deliver(orders.picking_ids)
        invoices = self._invoice_per_delivery(orders)
        self.assertEqual(len(invoices), 2, "one invoice per order")
        self.assertEqual(invoices.key_account_contract_id, self.contract)

    def test_orders_of_different_contracts_never_share_an_invoice(self):
        with_contract = self._confirmed_order(1)
        without = self._create_order([1])
        without.key_account_contract_id = False
        without.action_confirm()
        self._deliver((with_contract | without).picking_ids)
        # consolidated billing asked for (the form's default for orders not
        # all under a contract): still one invoice per contract
        wizard = Form(
            self.env["sale.advance.payment.inv"].with_context(
                active_model="sale.order", active_ids=(with_contract | without).ids
            )
        )
        self.assertTrue(wizard.consolidated_billing)
        wizard.save().create_invoices()
        invoices = (with_contract | without).invoice_ids
        self.assertEqual(len(invoices), 2)
        self.assertEqual(
            with_contract.invoice_ids.key_account_contract_id, self.contract
        )
        self.assertFalse(without.invoice_ids.key_account_contract_id)

    def test_per_delivery_refused_for_period_contract(self):
        self.contract.sudo().invoice_policy = "period"
        order = self._confirmed_order(2)
        self._deliver(order.picking_ids)
        with self.assertRaisesMessage(UserError, order.name, self.contract.name):
            self._invoice_per_delivery(order)
        self.assertFalse(order.invoice_ids)

    # ------------------------------------------------------------------
    # Consolidated per period
    # ------------------------------------------------------------------
    def test_period_invoice_takes_deliveries_up_to_period_end(self):
        self.contract.sudo().invoice_policy = "period"
        first = self._confirmed_order(3)
        second = self._confirmed_order(2)
        self._deliver_on(first.picking_ids.sorted("id")[:2], self.last_month_end)
        self._deliver_on(second.picking_ids.sorted("id")[:1], self.last_month_start)
        # delivered after the period: waits for the next one
        self._deliver_on(first.picking_ids.sorted("id")[2:], self.month_start)

        invoice = self._period_invoices(
            self.contract, self.last_month_start, self.last_month_end
        )
        self.assertEqual(len(invoice), 1, "one invoice for the contract")
        self.assertEqual(invoice.key_account_contract_id, self.contract)
        self.assertEqual(invoice.key_account_period_start, self.last_month_start)
        self.assertEqual(invoice.key_account_period_end, self.last_month_end)
        self.assertEqual(sorted(invoice.invoice_line_ids.mapped("quantity")), [1, 2])
        self.assertEqual(
            invoice.invoice_line_ids.sale_line_ids,
            (first | second).order_line,
        )
        self.assertEqual(self.contract.period_invoiced_until, self.last_month_end)

        # run again for the same period: nothing new
        self.assertFalse(
            self._period_invoices(
                self.contract, self.last_month_start, self.last_month_end
            )
        )
        # next period: only the delivery done after the first period
        self._deliver_on(second.picking_ids.sorted("id")[1:], self.month_start)
        next_invoice = self._period_invoices(
            self.contract, self.month_start, self.today
        )
        self.assertEqual(
            sorted(next_invoice.invoice_line_ids.mapped("quantity")), [1, 1]
        )
        self.assertFalse(
            self._period_invoices(self.contract, self.month_start, self.today)
        )
        self.assertEqual(first.order_line.qty_invoiced, 3)
        self.assertEqual(second.order_line.qty_invoiced, 2)

    def test_period_invoice_subtracts_returns_and_ignores_undelivered(self):
        self.contract.sudo().invoice_policy = "period"
        order = self._confirmed_order(3)
        self._deliver_on(order.picking_ids.sorted("id")[:2], self.last_month_end)
        picking = order.picking_ids.sorted("id")[0]
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_id=picking.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.write({"quantity": 1, "to_refund": True})
        returned = self.env["stock.picking"].browse(
            wizard.action_create_returns()["res_id"]
        )
        self._deliver_on(returned, self.last_month_end)
        invoice = self._period_invoices(
            self.contract, self.last_month_start, self.last_month_end
        )
        self.assertEqual(
            invoice.invoice_line_ids.quantity, 1, "2 delivered, 1 returned"
        )

    def test_scheduled_action_invoices_the_past_month_once(self):
        self.contract.sudo().invoice_policy = "period"
        order = self._confirmed_order(2)
        self._deliver_on(order.picking_ids, self.last_month_end)
        Contract = self.env["key.account.contract"].sudo()
        invoices = Contract._cron_key_account_period_invoicing(date=self.today)
        mine = invoices.filtered(lambda m: m.key_account_contract_id == self.contract)
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine.invoice_line_ids.quantity, 2)
        self.assertEqual(mine.key_account_period_end, self.last_month_end)
        self.assertEqual(mine.state, "draft")
        again = Contract._cron_key_account_period_invoicing(date=self.today)
        self.assertFalse(
            again.filtered(lambda m: m.key_account_contract_id == self.contract)
        )
        self.assertEqual(order.invoice_ids, mine)

    def test_wizard_creates_the_period_invoice(self):
        self.contract.sudo().invoice_policy = "period"
        order = self._confirmed_order(1)
        self._deliver(order.picking_ids)
        action = self.contract.action_open_period_invoice_wizard()
        wizard = Form(
            self.env[action["res_model"]].with_context(**action["context"])
        ).save()
        self.assertEqual(wizard.contract_ids, self.contract)
        self.assertEqual(wizard.date_end, self.today)
        wizard.action_create_invoices()
        self.assertEqual(order.invoice_ids.key_account_period_end, self.today)
        result = wizard.action_create_invoices()
        self.assertEqual(result["tag"], "display_notification", "nothing left")
        self.assertIn("Nothing to invoice or credit", result["params"]["message"])
        self.assertEqual(len(order.invoice_ids), 1)

    def test_period_invoicing_refuses_delivery_contracts_and_users_without_billing(
        self,
    ):
        with self.assertRaisesMessage(UserError, self.contract.name, "per delivery"):
            self._period_invoices(self.contract, self.month_start, self.today)
        self.contract.sudo().invoice_policy = "period"
        with self.assertRaises(AccessError):
            self.contract.with_user(
                self.ka_manager
            )._key_account_create_period_invoices(self.month_start, self.today)

    # ------------------------------------------------------------------
    # The buyer's invoicing data
    # ------------------------------------------------------------------
    def test_invoice_keeps_the_buyer_data_it_was_issued_with(self):
        order = self._confirmed_order(1)
        self._deliver(order.picking_ids)
        invoice = self._invoice_per_delivery(order)
        customer = self.customer
        self.assertEqual(invoice.key_account_invoice_type, "vat_special")
        self.assertEqual(invoice.key_account_invoice_title, customer.name)
        self.assertEqual(invoice.key_account_invoice_vat, customer.vat)
        self.assertIn(customer.bank_ids.acc_number, invoice.key_account_invoice_bank)
        self.assertIn(customer.street, invoice.key_account_invoice_address)
        invoice.action_post()

        customer.sudo().write(
            {
                "key_account_invoice_title": "改名后的抬头",
                "key_account_invoice_type": "electronic",
                "street": "新地址 1 号",
            }
        )
        self.assertEqual(invoice.key_account_invoice_title, customer.name)
        self.assertEqual(invoice.key_account_invoice_type, "vat_special")
        self.assertNotIn("新地址", invoice.key_account_invoice_address)
        with self.assertRaisesMessage(UserError, invoice.name):
            invoice.key_account_invoice_title = "改名后的抬头"

        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.report_invoice", invoice.ids)[0]
            .decode()
        )
        self.assertIn(customer.name, html)
        self.assertIn(customer.vat, html)
        self.assertIn(customer.bank_ids.acc_number, html)
        self.assertIn("VAT Special Invoice", html, "the type issued, not the new one")

        credit_note = invoice._reverse_moves()
        self.assertEqual(credit_note.key_account_invoice_title, customer.name)
        self.assertEqual(credit_note.key_account_invoice_type, "vat_special")

    def test_invoice_to_an_invoice_address_prints_its_address(self):
        address = (
            self.env["res.partner"]
            .sudo()
            .create(
                {
                    "name": "财务部",
                    "type": "invoice",
                    "parent_id": self.customer.id,
                    "city": "深圳市",
                    "street": "深南大道 1 号",
                }
            )
        )
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": address.id,
                "invoice_line_ids": [
                    Command.create({"name": "礼盒", "quantity": 1, "price_unit": 10})
                ],
            }
        )
        self.assertEqual(invoice.key_account_invoice_title, self.customer.name)
        self.assertIn("深南大道 1 号", invoice.key_account_invoice_address)
        self.assertEqual(invoice.key_account_invoice_vat, self.customer.vat)

    def test_invoice_of_an_ordinary_customer_has_no_buyer_data(self):
        partner = self.env["res.partner"].create({"name": "Walk-in Customer"})
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_line_ids": [
                    Command.create({"name": "Gift", "quantity": 1, "price_unit": 10})
                ],
            }
        )
        self.assertFalse(invoice.key_account_invoice_title)
        self.assertFalse(invoice.key_account_invoice_type)
        # choosing the key account on the draft fills them in
        invoice.partner_id = self.customer
        self.assertEqual(invoice.key_account_invoice_title, self.customer.name)
        self.assertEqual(invoice.key_account_invoice_vat, self.customer.vat)
