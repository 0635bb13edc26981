# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Demo data steps that need the settlement's own methods: the consolidated
invoice of the period posted, posted invoices and a payment of last month,
last month's statements (one sent, one disputed) and a credited rebate
settlement. Dates are relative to the day the demo data is loaded.

Not a model: nothing here is in the registry of a database. The module's
``post_init_hook`` (``key_account_settlement/__init__.py``) imports this file
and calls ``load`` only when the module's demo data was loaded, after the demo
XML files made the records these steps start from.

Everything goes through the models' methods (state guards included); the
records made here get XML ids so that users and tests find them."""

from datetime import timedelta

from odoo import Command, fields

MODULE = "key_account_settlement"


def load(env):
    """Run the demo steps, in the order of the story."""
    _post_period_invoice(
        env,
        env.ref(f"{MODULE}.key_account_period_invoice_demo_order_1")
        | env.ref(f"{MODULE}.key_account_period_invoice_demo_order_2"),
    )
    huachen_contract = env.ref("key_account_contract.key_account_contract_huachen")
    rebate_contract = env.ref(f"{MODULE}.key_account_rebate_settlement_demo_contract")
    product = env.ref(f"{MODULE}.key_account_period_invoice_demo_product")
    _statement_invoices(env, huachen_contract, rebate_contract, product)
    _rebate(env, rebate_contract, product)
    _statements(
        env,
        env.ref("key_account_base.key_account_partner_huachen"),
        env.ref("key_account_base.key_account_partner_pujiang"),
    )


def _set_xmlid(env, name, record):
    env["ir.model.data"]._update_xmlids(
        [{"xml_id": f"{MODULE}.{name}", "record": record, "noupdate": True}]
    )


def _invoice(env, contract, product, day, quantity):
    """A posted customer invoice of ``contract`` dated ``day``."""
    invoice = env["account.move"].create(
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


def _post_period_invoice(env, orders):
    """Post the draft consolidated invoice of the demo orders."""
    invoices = orders.invoice_ids.filtered(lambda m: m.state == "draft")
    invoices.action_post()
    if invoices:
        _set_xmlid(env, "key_account_period_invoice_demo_invoice", invoices[:1])


def _statement_invoices(env, sent_contract, disputed_contract, product):
    """Last month: an invoice of the first customer, partly paid, and two
    invoices of the second customer."""
    date_from = env["key.account.statement"]._default_period()[0]
    invoice = _invoice(env, sent_contract, product, date_from + timedelta(days=4), 20)
    env["account.payment.register"].with_context(
        active_model="account.move", active_ids=invoice.ids
    ).create(
        {"amount": 3000.0, "payment_date": date_from + timedelta(days=19)}
    )._create_payments()
    _invoice(env, disputed_contract, product, date_from + timedelta(days=2), 8)
    disputed_invoice = _invoice(
        env, disputed_contract, product, date_from + timedelta(days=9), 12
    )
    _set_xmlid(env, "key_account_statement_demo_disputed_invoice", disputed_invoice)


def _statements(env, sent_partner, disputed_partner):
    """Last month's statements of both customers, sent (without email); the
    second one disputed on the invoice named
    ``key_account_statement_demo_disputed_invoice``."""
    Statement = env["key.account.statement"]
    date_from, date_to = Statement._default_period()
    company = env.ref("base.main_company")
    statements = Statement._generate(
        company, date_from, date_to, sent_partner | disputed_partner
    )
    sent = statements.filtered(lambda s: s.partner_id == sent_partner)
    disputed = statements - sent
    statements._send(email=False)
    disputed_invoice = env.ref(f"{MODULE}.key_account_statement_demo_disputed_invoice")
    disputed.action_customer_dispute(
        disputed.line_ids.filtered(lambda line: line.move_id == disputed_invoice),
        "第二张发票数量与签收单不符：签收 10 箱，发票开了 12 箱。"
        " (Second invoice: 10 boxes signed for, 12 invoiced.)",
    )
    _set_xmlid(env, "key_account_statement_demo_sent", sent)
    _set_xmlid(env, "key_account_statement_demo_disputed", disputed)


def _rebate(env, contract, product):
    """An invoice in the contract's first (ended) rebate period, the rebate
    run, the settlement approved and its credit note posted: credited."""
    _invoice(env, contract, product, contract.date_start + timedelta(days=9), 250)
    settlements = env["key.account.rebate.settlement"]._run_rebates(
        fields.Date.context_today(contract) - timedelta(days=1), contracts=contract
    )
    settlement = settlements.sorted("date_from")[:1]
    settlement.action_approve()
    settlement.credit_move_id.action_post()
    _set_xmlid(env, "key_account_rebate_settlement_demo_credited", settlement)
