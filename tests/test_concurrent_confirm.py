"""Issue 8, finding 10: two transactions confirming the same order.

Two real database connections (not the test cursor of a TransactionCase): the
fixtures are committed first, and removed again at the end. The first
transaction confirms the order and holds it; the second, started meanwhile,
must fail at once with a clear, translated error instead of waiting for the
first and then failing on a unique violation of ``mail_followers``. Exactly
one set of deliveries results.
"""

import threading
import time

import pytest

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError


@pytest.fixture
def order_id(registry):
    """A quotation of 2 recipients, committed; removed after the test."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        company = env.ref("base.main_company")
        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        customer = env["res.partner"].create(
            {"name": "并发确认测试客户", "is_company": True}
        )
        product = env["product.product"].create(
            {"name": "并发确认礼盒", "type": "consu", "is_storable": True}
        )
        env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 10
        )
        recipients = env["res.partner"]._key_account_get_or_create_recipients(
            customer,
            [
                {
                    "name": f"并发员工{index}",
                    "phone": f"1350000{index:04d}",
                    "city": "上海市",
                    "street": f"世纪大道 {index} 号",
                }
                for index in (1, 2)
            ],
        )
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "company_id": company.id,
                "warehouse_id": warehouse.id,
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
        ids = (order.id, customer.id, product.id, recipients.ids)
    yield ids[0]
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        order = env["sale.order"].browse(ids[0])
        pickings = order.picking_ids
        order._action_cancel()
        pickings.move_ids.move_line_ids.unlink()
        pickings.move_ids.with_context(prefetch_fields=False).write({"state": "draft"})
        pickings.move_ids.unlink()
        pickings.unlink()
        order.unlink()
        product = env["product.product"].browse(ids[2])
        env["stock.quant"].search([("product_id", "=", product.id)]).sudo().unlink()
        product.product_tmpl_id.unlink()
        env["res.partner"].browse(ids[3] + [ids[1]]).unlink()


def test_second_concurrent_confirmation_fails_cleanly(
    registry, order_id, confirm_apart
):
    first = registry.cursor()
    try:
        env = api.Environment(first, SUPERUSER_ID, {})
        env["sale.order"].browse(order_id).action_confirm()
        # The second transaction starts while the first holds the order.
        outcome = {}
        thread = threading.Thread(target=confirm_apart, args=(order_id, outcome))
        thread.start()
        time.sleep(1.0)
        first.commit()
    finally:
        first.close()
    thread.join(30)
    assert not thread.is_alive()
    assert not outcome.get("confirmed")
    error = outcome.get("error")
    assert isinstance(error, UserError), repr(error)
    assert "being confirmed or changed" in str(error)

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        order = env["sale.order"].browse(order_id)
        assert order.state == "sale"
        assert len(order.picking_ids) == 2
        assert sorted(order.picking_ids.move_ids.mapped("product_uom_qty")) == [1, 1]


def test_background_job_retries_a_locked_order(registry, order_id):
    """The job of a queued order that another transaction holds asks
    queue_job to retry later (with its backoff) instead of failing."""
    from odoo.addons.queue_job.exception import RetryableJobError

    holder = registry.cursor()
    try:
        holder.execute("SELECT id FROM sale_order WHERE id = %s FOR UPDATE", [order_id])
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            order = env["sale.order"].browse(order_id)
            order._key_account_write_workflow({"key_account_confirm_state": "queued"})
            with pytest.raises(RetryableJobError):
                order._key_account_confirm_job(SUPERUSER_ID)
            cr.rollback()
    finally:
        holder.rollback()
        holder.close()
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        order = env["sale.order"].browse(order_id)
        assert order.state == "draft"
        assert not order.picking_ids
