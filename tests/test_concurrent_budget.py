"""Issue 16: two buyers submitting at once cannot both take the last of a
department budget.

Two real database connections (not a TransactionCase's test cursor), with
committed fixtures removed again at the end. The department 行政部 of a key
account has 1,500 left this month; two buyers' orders of 1,000 each fit
alone, not together. The first submission reserves its amount and holds its
transaction open; the second submits meanwhile. It must not go through
blind to the first: it waits on the budget's row, then fails with a
serialization error (Odoo retries such a request), and its retry, which
sees the first reservation, waits for the customer's approver instead of
reaching the review pool. One order reaches the review pool.
"""

import random
import threading
import time

import psycopg2
import pytest
from dateutil.relativedelta import relativedelta
from stdnum.cn import uscc

from odoo import SUPERUSER_ID, Command, api, fields


def _uscc():
    body = f"91310115{random.randrange(10**8, 10**9):09d}"
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def budget_setup(registry):
    """Two buyers' quotations of 1,000 each, a budget of 1,500."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        company = env.ref("base.main_company")
        code = _uscc()
        customer = env["res.partner"].create(
            {
                "name": "并发预算测试客户",
                "is_company": True,
                "is_key_account": True,
                "company_id": company.id,
                "company_registry": code,
                "vat": code,
                "key_account_state": "approved",
            }
        )
        department = env["key.account.department"].create(
            {"name": "行政部", "customer_id": customer.id}
        )
        contacts = env["res.partner"].create(
            [
                {
                    "name": name,
                    "parent_id": customer.id,
                    "email": f"budget-{index}-{code}@example.com",
                    **roles,
                }
                for index, (name, roles) in enumerate(
                    [
                        ("管理员", {"key_account_role_admin": True}),
                        ("审批人", {"key_account_role_approver": True}),
                        ("采购员一", {"key_account_role_buyer": True}),
                        ("采购员二", {"key_account_role_buyer": True}),
                    ]
                )
            ]
        )
        contacts[2:].key_account_department_id = department
        department.head_id = contacts[1]
        buyers = env["res.users"].create(
            [
                {
                    "login": f"budget-buyer-{index}-{code}",
                    "partner_id": contact.id,
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": [Command.set(env.ref("base.group_portal").ids)],
                }
                for index, contact in enumerate(contacts[2:])
            ]
        )
        today = fields.Date.context_today(customer)
        budget = env["key.account.budget"].create(
            {
                "department_id": department.id,
                "period_type": "month",
                "date_from": today.replace(day=1),
                "amount": 1500.0,
                "currency_id": company.currency_id.id,
            }
        )
        product = env["product.product"].create(
            {"name": "并发预算礼盒", "type": "service", "list_price": 1000.0}
        )
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
        contract = env["key.account.contract"].create(
            {
                "partner_id": customer.id,
                "company_id": company.id,
                "date_start": today - relativedelta(days=1),
                "date_end": today + relativedelta(years=1),
                "credit_limit": 100000.0,
            }
        )
        contract.action_confirm()
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
        ids = {
            "orders": orders.ids,
            "buyers": buyers.ids,
            "budget": budget.id,
            "department": department.id,
            "contract": contract.id,
            "product": product.id,
            "customer": customer.id,
            "contacts": contacts.ids,
        }
    yield ids
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        orders = tuple(ids["orders"])
        cr.execute(
            "DELETE FROM key_account_budget_entry WHERE order_id IN %s", [orders]
        )
        cr.execute("DELETE FROM key_account_approval WHERE order_id IN %s", [orders])
        env["sale.order"].browse(ids["orders"])._action_cancel()
        env["sale.order"].browse(ids["orders"]).unlink()
        env["key.account.budget"].browse(ids["budget"]).unlink()
        env["res.users"].browse(ids["buyers"]).unlink()
        cr.execute("DELETE FROM key_account_contract WHERE id = %s", [ids["contract"]])
        env["product.product"].browse(ids["product"]).product_tmpl_id.unlink()
        cr.execute(
            "DELETE FROM key_account_department WHERE id = %s", [ids["department"]]
        )
        cr.execute("DELETE FROM res_partner WHERE id IN %s", [tuple(ids["contacts"])])
        cr.execute("DELETE FROM res_partner WHERE id = %s", [ids["customer"]])


def _submit_apart(registry, buyer_id, order_id, outcome):
    """Submit ``order_id`` as the buyer, in a transaction of its own."""
    with registry.cursor() as cr:
        cr.execute("SET LOCAL lock_timeout = '20s'")
        env = api.Environment(cr, buyer_id, {"lang": "en_US"})
        try:
            env["sale.order"].sudo().browse(order_id)._key_account_portal_submit()
        except Exception as error:  # noqa: BLE001 - the test inspects it
            outcome["error"] = error
            cr.rollback()
            return
        outcome["submitted"] = True


def test_two_buyers_cannot_both_take_the_last_of_a_budget(registry, budget_setup):
    (first_order, second_order) = budget_setup["orders"]
    (first_buyer, second_buyer) = budget_setup["buyers"]
    first = registry.cursor()
    try:
        env = api.Environment(first, first_buyer, {})
        env["sale.order"].sudo().browse(first_order)._key_account_portal_submit()
        outcome = {}
        thread = threading.Thread(
            target=_submit_apart,
            args=(registry, second_buyer, second_order, outcome),
        )
        thread.start()
        time.sleep(1.5)
        first.commit()
    finally:
        first.close()
    thread.join(30)
    assert not thread.is_alive()
    # the second waited for the first, then failed on the budget's row
    assert isinstance(outcome.get("error"), psycopg2.errors.SerializationFailure), repr(
        outcome
    )
    # its retry, as Odoo runs it, sees the first reservation
    retry = {}
    _submit_apart(registry, second_buyer, second_order, retry)
    assert retry.get("submitted"), repr(retry)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        orders = env["sale.order"].browse(budget_setup["orders"])
        assert orders.mapped("key_account_review_state") == ["pending", "none"]
        assert orders.mapped("key_account_approval_state") == ["none", "pending"]
        budget = env["key.account.budget"].browse(budget_setup["budget"])
        assert budget.reserved == 2000.0
        assert budget.left == -500.0
        # the one that reached the review pool took what was left
        entries = env["key.account.budget.entry"].search(
            [("budget_id", "=", budget.id)]
        )
        assert sorted(entries.mapped("kind")) == ["reserve", "reserve"]
