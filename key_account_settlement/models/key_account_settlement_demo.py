# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Demo data steps that need the settlement's own methods (called by
``demo/key_account_settlement_demo.xml``): posted invoices and a payment of
last month, last month's statements (one sent, one disputed) and a credited
rebate settlement. Dates are relative to the day the demo data is loaded.

Everything goes through the models' methods (state guards included); the
records made here get XML ids so that users and tests find them."""

from datetime import timedelta

from odoo import Command, api, fields, models

MODULE = "key_account_settlement"


class KeyAccountSettlementDemo(models.AbstractModel):
    _name = "key.account.settlement.demo"
    _description = "Key Account Settlement Demo Data"

    @api.model
    def _demo_set_xmlid(self, name, record):
        self.env["ir.model.data"]._update_xmlids(
            [{"xml_id": f"{MODULE}.{name}", "record": record, "noupdate": True}]
        )

    @api.model
    def _demo_invoice(self, contract, product, day, quantity):
        """A posted customer invoice of ``contract`` dated ``day``."""
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": contract.partner_id.id,
                "company_id": contract.company_id.id,
                "invoice_date": day,
                "key_account_contract_id": contract.id,
                "invoice_payment_term_id": contract.payment_term_id.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": quantity,
                            "price_unit": product.list_price,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        invoice.action_post()
        return invoice

    @api.model
    def _demo_post_period_invoice(self, order_ids):
        """Post the draft consolidated invoice of the demo orders."""
        orders = self.env["sale.order"].browse(order_ids)
        invoices = orders.invoice_ids.filtered(lambda m: m.state == "draft")
        invoices.action_post()
        if invoices:
            self._demo_set_xmlid(
                "key_account_period_invoice_demo_invoice", invoices[:1]
            )
        return True

    @api.model
    def _demo_statement_invoices(
        self, sent_contract_id, disputed_contract_id, product_id
    ):
        """Last month: an invoice of the first customer, partly paid, and two
        invoices of the second customer."""
        sent_contract = self.env["key.account.contract"].browse(sent_contract_id)
        disputed_contract = self.env["key.account.contract"].browse(
            disputed_contract_id
        )
        product = self.env["product.product"].browse(product_id)
        date_from = self.env["key.account.statement"]._default_period()[0]
        invoice = self._demo_invoice(
            sent_contract, product, date_from + timedelta(days=4), 20
        )
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {"amount": 3000.0, "payment_date": date_from + timedelta(days=19)}
        )._create_payments()
        self._demo_invoice(disputed_contract, product, date_from + timedelta(days=2), 8)
        disputed_invoice = self._demo_invoice(
            disputed_contract, product, date_from + timedelta(days=9), 12
        )
        self._demo_set_xmlid(
            "key_account_statement_demo_disputed_invoice", disputed_invoice
        )
        return True

    @api.model
    def _demo_statements(self, sent_partner_id, disputed_partner_id):
        """Last month's statements of both customers, sent (without email);
        the second one disputed on the invoice named
        ``key_account_statement_demo_disputed_invoice``."""
        Statement = self.env["key.account.statement"]
        partners = self.env["res.partner"].browse(
            [sent_partner_id, disputed_partner_id]
        )
        date_from, date_to = Statement._default_period()
        company = self.env.ref("base.main_company")
        statements = Statement._generate(company, date_from, date_to, partners)
        sent = statements.filtered(lambda s: s.partner_id.id == sent_partner_id)
        disputed = statements - sent
        statements._send(email=False)
        disputed_invoice = self.env.ref(
            f"{MODULE}.key_account_statement_demo_disputed_invoice"
        )
        disputed.action_customer_dispute(
            disputed.line_ids.filtered(lambda line: line.move_id == disputed_invoice),
            "第二张发票数量与签收单不符：签收 10 箱，发票开了 12 箱。"
            " (Second invoice: 10 boxes signed for, 12 invoiced.)",
        )
        self._demo_set_xmlid("key_account_statement_demo_sent", sent)
        self._demo_set_xmlid("key_account_statement_demo_disputed", disputed)
        return True

    @api.model
    def _demo_rebate(self, contract_id, product_id):
        """An invoice in the contract's first (ended) rebate period, the rebate
        run, the settlement approved and its credit note posted: credited."""
        contract = self.env["key.account.contract"].browse(contract_id)
        product = self.env["product.product"].browse(product_id)
        self._demo_invoice(
            contract, product, contract.date_start + timedelta(days=9), 250
        )
        Settlement = self.env["key.account.rebate.settlement"]
        settlements = Settlement._run_rebates(
            fields.Date.context_today(self) - timedelta(days=1), contracts=contract
        )
        settlement = settlements.sorted("date_from")[:1]
        settlement.action_approve()
        settlement.credit_move_id.action_post()
        self._demo_set_xmlid("key_account_rebate_settlement_demo_credited", settlement)
        return True
