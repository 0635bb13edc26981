"""Issue 10: the consolidated invoice of a contract period (月结) is never
created twice for the same delivered quantity, even by concurrent runs.

Two real database connections (not the test cursor of a TransactionCase): the
fixtures (a key account with a contract invoiced per period, an order of 2
recipients confirmed and delivered) are committed first and removed again at
the end.
"""

import random
import threading
import time
from datetime import datetime

import psycopg2
import pytest
import pytz
from dateutil.relativedelta import relativedelta
from stdnum.cn import uscc

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import UserError

CONTEXT = {"tracking_disable": True, "skip_sms": True, "tz": "Asia/Shanghai"}


def _env(cr):
    return api.Environment(cr, SUPERUSER_ID, CONTEXT)


@pytest.fixture
def fixture_ids(registry):
    """A delivered order of 2 recipients under a contract invoiced per
    period, committed; removed after the test."""
    with registry.cursor() as cr:
        env = _env(cr)
        company = env.ref("base.main_company")
        if not company.chart_template:
            env["account.chart.template"].try_loading(
                "generic_coa", company=company, install_demo=False
            )
        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        body = f"91310115{random.randrange(10**9):09d}"
        code = body + uscc.calc_check_digit(body)
        customer = env["res.partner"].create(
            {
                "name": "并发月结测试客户",
                "is_company": True,
                "is_key_account": True,
                "key_account_state": "approved",
                "key_account_type": "enterprise",
                "company_id": company.id,
                "company_registry": code,
                "vat": code,
            }
        )
        today = fields.Date.context_today(customer)
        contract = env["key.account.contract"].create(
            {
                "partner_id": customer.id,
                "company_id": company.id,
                "date_start": today - relativedelta(months=3),
                "date_end": today + relativedelta(years=1),
                "invoice_policy": "period",
            }
        )
        contract.action_confirm()
        product = env["product.product"].create(
            {
                "name": "并发月结礼盒",
                "type": "consu",
                "is_storable": True,
                "invoice_policy": "delivery",
                "taxes_id": [Command.clear()],
                "list_price": 10.0,
            }
        )
        env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 10
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
        recipients = env["res.partner"]._key_account_get_or_create_recipients(
            customer,
            [
                {
                    "name": f"月结员工{index}",
                    "phone": f"1360000{index:04d}",
                    "city": "上海市",
                    "street": f"张江路 {index} 号",
                }
                for index in (1, 2)
            ],
        )
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "company_id": company.id,
                "warehouse_id": warehouse.id,
                "key_account_contract_id": contract.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 2})
                ],
            }
        )
        env["key.account.allocation"].create(
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
        # delivered last month: the scheduled action's period
        moves.date = datetime.combine(
            today + relativedelta(day=1, days=-1), datetime.min.time()
        ) + relativedelta(hours=4)
        assert order.order_line.qty_delivered == 2
        ids = {
            "order": order.id,
            "contract": contract.id,
            "customer": customer.id,
            "product": product.id,
            "recipients": recipients.ids,
        }
    yield ids
    _cleanup(registry, ids)


def _cleanup(registry, ids):
    with registry.cursor() as cr:
        env = _env(cr)
        order = env["sale.order"].browse(ids["order"])
        product = env["product.product"].browse(ids["product"])
        invoices = order.invoice_ids
        invoices.filtered(lambda m: m.state == "posted").button_draft()
        invoices.unlink()
        pickings = order.picking_ids
        moves = pickings.move_ids
        if "stock.valuation.layer" in env:
            env["stock.valuation.layer"].sudo().search(
                [("product_id", "=", product.id)]
            ).unlink()
        moves.with_context(prefetch_fields=False).write({"state": "draft"})
        moves.move_line_ids.unlink()
        moves.unlink()
        pickings.unlink()
        order._action_cancel()
        order.unlink()
        env["stock.quant"].search([("product_id", "=", product.id)]).sudo().unlink()
        product.product_tmpl_id.unlink()
        contract = env["key.account.contract"].browse(ids["contract"])
        contract.write({"state": "cancelled"})
        contract.unlink()
        env["res.partner"].browse(ids["recipients"] + [ids["customer"]]).unlink()


def _period():
    """The month before today (in the fixtures' timezone): the scheduled
    action's period."""
    today = datetime.now(pytz.timezone(CONTEXT["tz"])).date()
    return today + relativedelta(day=1, months=-1), today + relativedelta(
        day=1, days=-1
    )


def _invoice_period(registry, contract_id, outcome):
    """Run the contract's period invoicing in a transaction of its own."""
    with registry.cursor() as cr:
        cr.execute("SET LOCAL lock_timeout = '20s'")
        env = api.Environment(cr, SUPERUSER_ID, dict(CONTEXT, lang="en_US"))
        try:
            invoices = (
                env["key.account.contract"]
                .browse(contract_id)
                ._key_account_create_period_invoices(*_period())
            )
            cr.commit()
        except Exception as error:  # noqa: BLE001 - the test inspects it
            outcome["error"] = error
            cr.rollback()
            return
        outcome["invoices"] = invoices.ids


def _invoices(registry, ids):
    with registry.cursor() as cr:
        order = _env(cr)["sale.order"].browse(ids["order"])
        return [
            (invoice.key_account_period_end, invoice.invoice_line_ids.quantity)
            for invoice in order.invoice_ids
        ]


def test_second_concurrent_period_run_fails_at_once(registry, fixture_ids):
    contract_id = fixture_ids["contract"]
    first = registry.cursor()
    try:
        env = _env(first)
        created = (
            env["key.account.contract"]
            .browse(contract_id)
            ._key_account_create_period_invoices(*_period())
        )
        assert len(created) == 1
        # a second run while the first holds the contract
        outcome = {}
        thread = threading.Thread(
            target=_invoice_period, args=(registry, contract_id, outcome)
        )
        start = time.monotonic()
        thread.start()
        thread.join(30)
        assert time.monotonic() - start < 10, "the second run does not wait"
        first.commit()
    finally:
        first.close()
    assert not thread.is_alive()
    error = outcome.get("error")
    assert isinstance(error, UserError), repr(error)
    assert "being invoiced" in str(error)

    # run again once the first committed: nothing new
    outcome = {}
    _invoice_period(registry, contract_id, outcome)
    assert outcome.get("invoices") == [], outcome
    assert _invoices(registry, fixture_ids) == [(_period()[1], 2.0)]


def test_run_that_read_before_the_first_committed_creates_nothing(
    registry, fixture_ids
):
    """A transaction that read the order before another run committed (its
    snapshot shows nothing invoiced) cannot invoice it again afterwards."""
    contract_id = fixture_ids["contract"]
    late = registry.cursor()
    try:
        late_env = _env(late)
        order = late_env["sale.order"].browse(fixture_ids["order"])
        assert order.order_line.qty_invoiced == 0  # snapshot taken
        outcome = {}
        _invoice_period(registry, contract_id, outcome)  # commits
        assert len(outcome.get("invoices", [])) == 1, outcome
        with pytest.raises(psycopg2.errors.SerializationFailure):
            late_env["key.account.contract"].browse(
                contract_id
            )._key_account_create_period_invoices(*_period())
        late.rollback()
    finally:
        late.close()
    assert _invoices(registry, fixture_ids) == [(_period()[1], 2.0)]


def test_scheduled_action_skips_a_contract_being_invoiced(registry, fixture_ids):
    contract_id = fixture_ids["contract"]
    holder = registry.cursor()
    try:
        holder.execute(
            "SELECT id FROM key_account_contract WHERE id = %s FOR UPDATE",
            [contract_id],
        )
        with registry.cursor() as cr:
            cr.execute("SET LOCAL lock_timeout = '20s'")
            invoices = (
                _env(cr)["key.account.contract"]
                .browse(contract_id)
                ._cron_key_account_period_invoicing()
            )
            assert not invoices, "the locked contract is left to its holder"
            cr.rollback()
    finally:
        holder.rollback()
        holder.close()
    with registry.cursor() as cr:
        invoices = (
            _env(cr)["key.account.contract"]
            .browse(contract_id)
            ._cron_key_account_period_invoicing()
        )
        mine = invoices.filtered(lambda m: m.key_account_contract_id.id == contract_id)
        assert mine == invoices
        assert mine.invoice_line_ids.quantity == 2
        assert mine.key_account_period_end == _period()[1]
        cr.commit()
    assert _invoices(registry, fixture_ids) == [(_period()[1], 2.0)]
