# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import KeyAccountContractCommon


@tagged("post_install", "-at_install")
class TestContractOrder(KeyAccountContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company, install_demo=False
        )
        (cls.product_a | cls.product_b).taxes_id = False
        cls.customer = cls._create_key_account("KA Order Customer")
        cls.buyer = cls.env["res.partner"].create(
            {"name": "KA Buyer", "parent_id": cls.customer.id, "type": "contact"}
        )
        cls.contract = cls._create_contract(
            cls.customer,
            credit_limit=5000.0,
            committed_amount=10000.0,
            discount_line_ids=[
                Command.create({"categ_id": cls.categ_a.id, "discount": 20.0})
            ],
        )

    def _order_form(self, partner):
        form = Form(self.env["sale.order"])
        form.partner_id = partner
        with form.order_line.new() as line:
            line.product_id = self.product_a
            line.product_uom_qty = 10.0
        return form

    def test_contract_terms_applied(self):
        form = self._order_form(self.buyer)
        self.assertEqual(form.key_account_contract_id, self.contract)
        self.assertEqual(form.pricelist_id, self.contract.pricelist_id)
        self.assertEqual(form.payment_term_id, self.payment_term)
        self.assertEqual(form.key_account_payment_method, "acceptance_bill")
        order = form.save()
        self.assertEqual(order.order_line.price_unit, 128.0)
        self.assertEqual(order.amount_untaxed, 1280.0)

    def test_retail_customer_without_contract(self):
        retail = self.env["res.partner"].create({"name": "KA Walk-in"})
        order = self._order_form(retail).save()
        self.assertFalse(order.key_account_contract_id)
        self.assertEqual(order.order_line.price_unit, 200.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_confirmation_refused(self):
        order = self._order_form(self.customer).save()
        other = self._create_contract(self._create_key_account("KA Someone Else"))
        order.key_account_contract_id = other
        with self.assertRaisesMessage(UserError, other.name, "KA Someone Else"):
            order.action_confirm()
        order.key_account_contract_id = self.contract
        self.contract.action_terminate()
        with self.assertRaisesMessage(UserError, self.contract.name):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_confirmation_refused_after_end_date(self):
        order = self._order_form(self.customer).save()
        # the daily action has not expired it yet: the dates still refuse
        self.contract.date_end = self.today - relativedelta(days=1)
        self.assertEqual(self.contract.state, "active")
        with self.assertRaisesMessage(UserError, self.contract.name, "not active"):
            order.action_confirm()

    def test_contract_change_applies_terms(self):
        other_term = self.env["account.payment.term"].create(
            {"name": "KA 90 days", "company_id": self.company.id}
        )
        form = Form(self.env["sale.order"])
        form.partner_id = self.customer
        self.assertEqual(form.key_account_contract_id, self.contract)
        form.key_account_contract_id = self.env["key.account.contract"]
        self.assertNotEqual(form.pricelist_id, self.contract.pricelist_id)
        self.contract.write(
            {"payment_term_id": other_term.id, "payment_method": "cash_on_delivery"}
        )
        form.key_account_contract_id = self.contract
        self.assertEqual(form.pricelist_id, self.contract.pricelist_id)
        self.assertEqual(form.payment_term_id, other_term)
        self.assertEqual(form.key_account_payment_method, "cash_on_delivery")

    def test_execution(self):
        order = self._order_form(self.customer).save()
        order.action_confirm()
        contract = self.contract
        self.assertEqual(contract.sale_order_count, 1)
        self.assertEqual(contract.amount_ordered, 1280.0)
        self.assertEqual(contract.amount_remaining, 10000.0 - 1280.0)
        self.assertEqual(contract.amount_delivered, 0.0)
        self.assertEqual(contract.credit_available, 5000.0 - 1280.0)

        picking = order.picking_ids
        self.assertEqual(len(picking), 1)
        picking.move_ids.quantity = 4.0
        picking.with_context(skip_backorder=True).button_validate()
        self.assertEqual(picking.state, "done")
        contract.invalidate_recordset()
        self.assertEqual(contract.amount_delivered, 4 * 128.0)

        invoice = order._create_invoices()
        self.assertEqual(invoice.key_account_contract_id, contract)
        invoice.action_post()
        contract.invalidate_recordset()
        self.assertEqual(contract.invoice_count, 1)
        self.assertEqual(contract.amount_invoiced, 512.0)
        self.assertEqual(contract.amount_paid, 0.0)

        wizard = Form(
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            )
        ).save()
        wizard.action_create_payments()
        contract.invalidate_recordset()
        self.assertEqual(contract.amount_paid, 512.0)
        self.assertEqual(contract.credit_available, 5000.0 - (1280.0 - 512.0))

        refund = invoice._reverse_moves()
        self.assertEqual(refund.key_account_contract_id, contract)
        refund.action_post()
        contract.invalidate_recordset()
        self.assertEqual(contract.amount_invoiced, 0.0)
        self.assertEqual(contract.invoice_count, 2)
        action = contract.action_view_invoices()
        self.assertEqual(
            self.env["account.move"].search(action["domain"]), invoice | refund
        )
        action = contract.action_view_sale_orders()
        self.assertEqual(self.env["sale.order"].search(action["domain"]), order)

    def test_execution_foreign_currency(self):
        """A contract in another currency than the company's reports its
        execution in its own currency (not in the company's)."""
        foreign = self.env.ref("base.EUR")
        if foreign == self.company.currency_id:
            foreign = self.env.ref("base.USD")
        foreign.active = True
        self.env["res.currency.rate"].create(
            {
                "name": self.today - relativedelta(days=10),
                "currency_id": foreign.id,
                "company_id": self.company.id,
                "rate": 0.5,  # 1 unit of the company currency = 0.5 foreign
            }
        )
        customer = self._create_key_account("KA Dollar Customer")
        contract = self._create_contract(
            customer, currency_id=foreign.id, committed_amount=100000.0
        )
        order = self._order_form(customer).save()
        self.assertEqual(order.currency_id, foreign)
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = 10.0
        picking.with_context(skip_backorder=True).button_validate()
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertNotEqual(invoice.amount_untaxed_signed, invoice.amount_untaxed)
        Form(
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            )
        ).save().action_create_payments()
        contract.invalidate_recordset()
        self.assertTrue(order.amount_untaxed)
        self.assertEqual(contract.amount_ordered, order.amount_untaxed)
        self.assertEqual(contract.amount_delivered, order.amount_untaxed)
        self.assertEqual(contract.amount_invoiced, order.amount_untaxed)
        self.assertEqual(contract.amount_paid, order.amount_total)
        self.assertEqual(contract.amount_remaining, 100000.0 - order.amount_untaxed)

    def test_execution_batch(self):
        second = self._create_contract(self._create_key_account("KA Batch"))
        order = self._order_form(second.partner_id).save()
        order.action_confirm()
        contracts = self.contract | second
        contracts.invalidate_recordset()
        self.assertEqual(contracts.mapped("amount_ordered"), [0.0, 1600.0])

    def test_execution_queries_do_not_grow(self):
        contracts = self.contract
        for index in range(4):
            contract = self._create_contract(
                self._create_key_account(f"KA Volume {index}")
            )
            self._order_form(contract.partner_id).save().action_confirm()
            contracts |= contract

        def queries(records):
            records.invalidate_recordset()
            start = self.env.cr.sql_log_count
            records.mapped("amount_ordered")
            records.mapped("credit_available")
            return self.env.cr.sql_log_count - start

        queries(contracts)  # warm-up (pending flushes)
        self.assertEqual(queries(contracts[:1]), queries(contracts))
        self.assertEqual(contracts[1:].mapped("amount_ordered"), [1600.0] * 4)
