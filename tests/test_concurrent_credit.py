"""Issue 10: concurrent confirmations cannot both pass the credit hold.

Two real database connections (not a TransactionCase's test cursor), with
committed fixtures removed again at the end. A key account's contract allows
1,500 of credit; two quotations of 1,000 each fit alone, not together. The
first transaction confirms one and holds it; the second confirms the other
meanwhile. It must not pass: it waits for the first, then fails on the
customer's row (serialization), and its retry, which sees the first order
confirmed, is refused by the credit hold. One order ends up confirmed.
"""

import random
import threading
import time

import psycopg2
import pytest
from dateutil.relativedelta import relativedelta
from stdnum.cn import uscc

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import UserError


def _uscc():
    body = f"91310115{random.randrange(10**8, 10**9):09d}"
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def order_ids(registry):
    """Two quotations of one key account whose contract allows 1,500."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        company = env.ref("base.main_company")
        code = _uscc()
        customer = env["res.partner"].create(
            {
                "name": "并发信用测试客户",
                "is_company": True,
                "is_key_account": True,
                "company_id": company.id,
                "company_registry": code,
                "vat": code,
                "key_account_state": "approved",
            }
        )
        product = env["product.product"].create(
            {"name": "并发信用礼盒", "type": "service", "list_price": 1000.0}
        )
        # a key-account price: the contract allows it (removed with the product)
        env.ref("key_account_contract.pricelist_key_account").item_ids = [
            Command.create(
                {
                    "applied_on": "1_product",
                    "product_tmpl_id": product.product_tmpl_id.id,
                    "compute_price": "percentage",
                    "percent_price": 0.0,
                }
            )
        ]
        today = fields.Date.context_today(customer)
        contract = env["key.account.contract"].create(
            {
                "partner_id": customer.id,
                "company_id": company.id,
                "date_start": today - relativedelta(days=1),
                "date_end": today + relativedelta(years=1),
                "credit_limit": 1500.0,
            }
        )
        contract.action_confirm()
        assert contract.state == "active"
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "key_account_contract_id": contract.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": 1,
                                "price_unit": 1000.0,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
                for _index in range(2)
            ]
        )
        assert all(order.amount_total == 1000.0 for order in orders)
        ids = (orders.ids, contract.id, customer.id, product.id)
    yield ids[0]
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        orders = env["sale.order"].browse(ids[0])
        orders._action_cancel()
        orders.unlink()
        contract = env["key.account.contract"].browse(ids[1])
        cr.execute("DELETE FROM key_account_contract WHERE id = %s", [contract.id])
        env["product.product"].browse(ids[3]).product_tmpl_id.unlink()
        cr.execute("DELETE FROM res_partner WHERE id = %s", [ids[2]])


def test_concurrent_confirmations_cannot_both_pass_credit(
    registry, order_ids, confirm_apart
):
    first_id, second_id = order_ids
    first = registry.cursor()
    try:
        env = api.Environment(first, SUPERUSER_ID, {})
        env["sale.order"].browse(first_id).action_confirm()
        # The second transaction starts while the first one is still open.
        outcome = {}
        thread = threading.Thread(target=confirm_apart, args=(second_id, outcome))
        thread.start()
        time.sleep(1.5)
        first.commit()
    finally:
        first.close()
    thread.join(30)
    assert not thread.is_alive()
    assert not outcome.get("confirmed"), "both orders passed the credit hold"
    error = outcome.get("error")
    # Either refused outright, or stopped by the serialization of the
    # customer's row (Odoo retries such a request) ...
    assert isinstance(error, UserError | psycopg2.errors.SerializationFailure), repr(
        error
    )
    # ... and the retry, as Odoo would run it, is refused by the credit hold.
    retry = {}
    confirm_apart(second_id, retry)
    assert not retry.get("confirmed")
    assert isinstance(retry.get("error"), UserError), repr(retry.get("error"))
    assert "credit hold" in str(retry["error"])

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        states = env["sale.order"].browse(order_ids).mapped("state")
        assert sorted(states) == ["draft", "sale"]
