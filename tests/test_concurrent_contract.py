"""Two transactions activating contracts of one customer at once (issue 8).

Each transaction checks that the customer has no other live contract over the
period, but reads only what was committed when it started: both checks pass.
The database must still end with at most one active contract, and the
transaction that loses must get a clear message, not a technical error.

These tests use two real database connections on committed fixtures (no
mocks, no savepoints of one test transaction), and remove what they committed.
"""

import random
import threading
import time

import pytest
from dateutil.relativedelta import relativedelta
from stdnum.cn import uscc

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import ValidationError

Contract = "key.account.contract"


def _uscc():
    body = f"91110105{random.randrange(10**9):09d}"
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def fixtures(registry):
    """An approved key account and two draft contracts of it over
    overlapping periods, committed; removed again afterwards."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        company = env.ref("base.main_company")
        customer = env["res.partner"].create(
            {
                "name": "KA Concurrent Customer",
                "is_company": True,
                "is_key_account": True,
                "key_account_state": "approved",
                "company_id": company.id,
                "company_registry": _uscc(),
            }
        )
        today = fields.Date.context_today(env.user)
        contracts = env[Contract].create(
            [
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "date_start": today - relativedelta(days=1),
                    "date_end": today + relativedelta(years=1),
                },
                {
                    "partner_id": customer.id,
                    "company_id": company.id,
                    "date_start": today - relativedelta(days=10),
                    "date_end": today + relativedelta(months=6),
                },
            ]
        )
        manager = env.ref("base.user_admin")
        assert manager.has_group("key_account_base.key_account_group_manager")
        data = {
            "contract_ids": contracts.ids,
            "customer_id": customer.id,
            "manager_id": manager.id,
        }
    yield data
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        contracts = env[Contract].browse(data["contract_ids"]).exists()
        contracts.write({"state": "cancelled"})
        contracts.unlink()
        env["res.partner"].browse(data["customer_id"]).unlink()


def _env(cr, data):
    return api.Environment(cr, data["manager_id"], {"tz": "Asia/Shanghai"})


def _live_states(registry, data):
    with registry.cursor() as cr:
        cr.execute(
            "SELECT state FROM key_account_contract WHERE id IN %s ORDER BY id",
            (tuple(data["contract_ids"]),),
        )
        return [state for (state,) in cr.fetchall()]


def test_activations_started_together_leave_one_active_contract(registry, fixtures):
    """Both transactions start (and see two drafts) before either commits."""
    first_id, second_id = fixtures["contract_ids"]
    with registry.cursor() as cr1, registry.cursor() as cr2:
        env1, env2 = _env(cr1, fixtures), _env(cr2, fixtures)
        # each transaction's snapshot: both contracts in draft
        assert env1[Contract].browse(first_id).state == "draft"
        assert env2[Contract].browse(second_id).state == "draft"
        env1[Contract].browse(first_id).action_confirm()
        cr1.commit()
        with pytest.raises(ValidationError, match="same time"):
            env2[Contract].browse(second_id).action_confirm()
        cr2.rollback()
    assert _live_states(registry, fixtures) == ["active", "draft"]


def test_activation_waits_for_the_other_and_fails_cleanly(registry, fixtures):
    """The second transaction writes while the first has not committed yet:
    it waits for the first, then fails with a clear message."""
    first_id, second_id = fixtures["contract_ids"]
    outcome = {}
    started = threading.Event()

    def second_transaction():
        with registry.cursor() as cr2:
            env2 = _env(cr2, fixtures)
            assert env2[Contract].browse(second_id).state == "draft"
            cr2.execute("SELECT pg_backend_pid()")
            outcome["pid"] = cr2.fetchone()[0]
            started.set()
            try:
                env2[Contract].browse(second_id).action_confirm()
                cr2.commit()
                outcome["result"] = "committed"
            except ValidationError as error:
                cr2.rollback()
                outcome["result"] = str(error)

    with registry.cursor() as cr1:
        env1 = _env(cr1, fixtures)
        env1[Contract].browse(first_id).action_confirm()
        thread = threading.Thread(target=second_transaction)
        thread.start()
        assert started.wait(30)
        # wait until the second transaction is blocked on the first one
        with registry.cursor() as watcher:
            for _attempt in range(300):
                watcher.execute(
                    "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s",
                    (outcome["pid"],),
                )
                row = watcher.fetchone()
                if (row and row[0] == "Lock") or not thread.is_alive():
                    break
                watcher.rollback()
                time.sleep(0.1)
        cr1.commit()
    thread.join(60)
    assert not thread.is_alive()
    assert "same time" in outcome["result"], outcome["result"]
    assert _live_states(registry, fixtures) == ["active", "draft"]
