"""Two administrators of one customer's portal organisation each remove the
other's administrator role at the same moment (issue 16).

Each transaction checks that an administrator is left, but reads only what
was committed when it started: both checks would pass and the organisation
would end without an administrator. The engine serialises the changes of one
organisation on the customer's row: the second transaction fails with a
serialization error (which Odoo's request retries), and its retry is refused:
its user is no administrator any more.

Two real database connections on committed fixtures, removed afterwards.
"""

import random

import psycopg2
import pytest
from stdnum.cn import uscc

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError


def _uscc():
    body = f"91110105{random.randrange(10**9):09d}"
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def organisation(registry):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        company = env.ref("base.main_company")
        customer = env["res.partner"].create(
            {
                "name": "KA Concurrent Organisation",
                "is_company": True,
                "is_key_account": True,
                "key_account_state": "approved",
                "company_id": company.id,
                "company_registry": _uscc(),
            }
        )
        users = env["res.users"]
        for index in (1, 2):
            login = f"ka_concurrent_admin_{index}_{random.randrange(10**6)}"
            partner = env["res.partner"].create(
                {
                    "name": f"管理员{index}",
                    "parent_id": customer.id,
                    "type": "contact",
                    "email": f"{login}@example.com",
                    "key_account_role_admin": True,
                    "key_account_role_buyer": True,
                }
            )
            users |= users.create(
                {
                    "login": login,
                    "partner_id": partner.id,
                    "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
                }
            )
        data = {"customer_id": customer.id, "user_ids": users.ids}
    yield data
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        users = env["res.users"].browse(data["user_ids"]).exists()
        partners = users.partner_id
        users.unlink()
        partners.unlink()
        env["res.partner"].browse(data["customer_id"]).unlink()


def _demote(env, user_id, other_user_id):
    """As the administrator ``user_id``, remove the other's admin role."""
    other = env["res.users"].browse(other_user_id).partner_id
    other.with_user(user_id)._key_account_org_set_roles({"admin": False, "buyer": True})


def _admins(registry, data):
    with registry.cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM res_partner WHERE parent_id = %s"
            " AND key_account_role_admin",
            (data["customer_id"],),
        )
        return cr.fetchone()[0]


def test_two_admins_demoting_each_other_leave_one(registry, organisation):
    first, second = organisation["user_ids"]
    with registry.cursor() as cr1, registry.cursor() as cr2:
        env1 = api.Environment(cr1, SUPERUSER_ID, {})
        env2 = api.Environment(cr2, SUPERUSER_ID, {})
        # both snapshots: two administrators
        for env in (env1, env2):
            customer = env["res.partner"].browse(organisation["customer_id"])
            assert len(env["res.partner"]._key_account_org_admins(customer)) == 2
        _demote(env1, first, second)
        cr1.commit()
        with pytest.raises(psycopg2.errors.SerializationFailure):
            _demote(env2, second, first)
        cr2.rollback()
    # Odoo's retry of the second request: refused, nothing written
    with registry.cursor() as cr3:
        env3 = api.Environment(cr3, SUPERUSER_ID, {})
        with pytest.raises(AccessError, match="does not allow"):
            _demote(env3, second, first)
        cr3.rollback()
    assert _admins(registry, organisation) == 1
