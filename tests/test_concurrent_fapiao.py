"""Issue 17: two accountants requesting a fapiao for the same invoice at once
get one request, not two.

Two real database connections: the fixtures (a key account, a product with
its tax classification, a posted invoice) are committed first and removed
again at the end.
"""

import random
import threading
import time

import psycopg2
import pytest
from stdnum.cn import uscc

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError

CONTEXT = {"tracking_disable": True, "tz": "Asia/Shanghai", "lang": "en_US"}


def _env(cr):
    return api.Environment(cr, SUPERUSER_ID, CONTEXT)


@pytest.fixture
def invoice_id(registry):
    with registry.cursor() as cr:
        env = _env(cr)
        company = env.ref("base.main_company")
        if not company.chart_template:
            env["account.chart.template"].try_loading(
                "generic_coa", company=company, install_demo=False
            )
        body = f"91310115{random.randrange(10**9):09d}"
        code = body + uscc.calc_check_digit(body)
        customer = env["res.partner"].create(
            {
                "name": "并发开票测试客户",
                "is_company": True,
                "is_key_account": True,
                "key_account_state": "approved",
                "key_account_type": "enterprise",
                "key_account_invoice_type": "vat_ordinary",
                "company_id": company.id,
                "company_registry": code,
                "vat": code,
            }
        )
        product = env["product.product"].create(
            {
                "name": "并发开票礼盒",
                "type": "consu",
                "taxes_id": [Command.clear()],
                "key_account_tax_code": "1030201010000000000",
                "key_account_tax_short_name": "茶叶",
            }
        )
        move = env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "company_id": company.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": 2,
                            "price_unit": 50,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        ids = {"move": move.id, "customer": customer.id, "product": product.id}
    yield ids["move"]
    with registry.cursor() as cr:
        env = _env(cr)
        move = env["account.move"].browse(ids["move"])
        requests = env["key.account.fapiao.request"].search(
            [("invoice_ids", "in", move.ids)]
        )
        requests.unlink()
        move.button_draft()
        move.with_context(force_delete=True).unlink()
        env["product.product"].browse(ids["product"]).product_tmpl_id.unlink()
        env["res.partner"].browse(ids["customer"]).unlink()


def _build_apart(registry, move_id, outcome):
    with registry.cursor() as cr:
        cr.execute("SET LOCAL lock_timeout = '20s'")
        env = _env(cr)
        try:
            request = env["key.account.fapiao.request"]._key_account_build(
                env["account.move"].browse(move_id)
            )
            cr.commit()
        except Exception as error:  # noqa: BLE001 - the test inspects it
            outcome["error"] = error
            cr.rollback()
            return
        outcome["request"] = request.id


def _requests(registry, move_id):
    with registry.cursor() as cr:
        return (
            _env(cr)["key.account.fapiao.request"]
            .search([("invoice_ids", "in", [move_id])])
            .ids
        )


def test_two_requests_for_one_invoice_at_once(registry, invoice_id):
    first = registry.cursor()
    try:
        env = _env(first)
        request = env["key.account.fapiao.request"]._key_account_build(
            env["account.move"].browse(invoice_id)
        )
        assert request.invoice_ids.ids == [invoice_id]
        # a second request while the first is not committed yet
        outcome = {}
        thread = threading.Thread(
            target=_build_apart, args=(registry, invoice_id, outcome)
        )
        thread.start()
        time.sleep(1)
        first.commit()
    finally:
        first.close()
    thread.join(30)
    assert not thread.is_alive()
    # the second transaction waited for the first and could not serialise
    # (Odoo retries such a request, see below), it created nothing
    error = outcome.get("error")
    assert isinstance(error, psycopg2.errors.SerializationFailure), repr(error)
    # retried, as Odoo retries a request that failed to serialise: refused
    outcome = {}
    _build_apart(registry, invoice_id, outcome)
    assert isinstance(outcome.get("error"), UserError), outcome
    assert "already on fapiao request" in str(outcome["error"])
    assert _requests(registry, invoice_id) == [request.id]
