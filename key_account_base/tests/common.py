# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import contextlib
import itertools

from stdnum.cn import uscc

from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged

_SERIAL = itertools.count(1)


def make_uscc(serial, region="110105", prefix="91"):
    """Return a valid unified social credit code built from ``serial``.

    ``prefix`` is the registration authority and organisation type
    (``91`` = company registered with the market regulator), ``region``
    the 6-digit administrative division code.
    """
    body = f"{prefix}{region}{serial:09d}"[:17]
    return body + uscc.calc_check_digit(body)


@tagged("post_install", "-at_install")
class KeyAccountBaseCommon(TransactionCase):
    """Fixtures shared by the key-account modules' tests.

    Tagged post_install: the database may hold modules loaded after this one
    (e.g. account) whose NOT NULL columns need their fields in the registry.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # One timezone for every "today" of the tests (users without a
        # timezone would count in UTC, the admin in his own: around midnight
        # they would not agree on the date).
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, tz="Asia/Shanghai")
        )
        cls.company = cls.env["res.company"].create(
            {
                "name": "KA Test Distributor",
                "currency_id": cls.env.ref("base.CNY").id,
                "country_id": cls.env.ref("base.cn").id,
            }
        )
        cls.env.user.company_ids |= cls.company
        cls.bank = cls.env["res.bank"].create(
            {"name": "KA Test Bank", "bic": "KATBCNBJ"}
        )
        cls.ka_user = new_test_user(
            cls.env,
            login="ka_test_user",
            name="KA Test User",
            groups="key_account_base.key_account_group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.ka_manager = new_test_user(
            cls.env,
            login="ka_test_manager",
            name="KA Test Manager",
            groups="key_account_base.key_account_group_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @contextlib.contextmanager
    def assertRaisesMessage(self, exception, *fragments):
        """``assertRaises`` (rolled back to a savepoint, unlike unittest's
        ``assertRaisesRegex``) checking that the message holds ``fragments``."""
        with self.assertRaises(exception) as ctx:
            yield ctx
        for fragment in fragments:
            self.assertIn(fragment, str(ctx.exception))

    @classmethod
    def _next_uscc(cls):
        return make_uscc(next(_SERIAL) + 800000000)

    @classmethod
    def _key_account_vals(cls, name, **vals):
        """Complete registration and invoice data of a key account."""
        code = cls._next_uscc()
        values = {
            "name": name,
            "is_company": True,
            "is_key_account": True,
            "company_id": cls.company.id,
            "company_registry": code,
            "key_account_type": "enterprise",
            "key_account_source": "sales_entered",
            "key_account_tier": "a",
            "key_account_legal_representative": "张伟",
            "country_id": cls.env.ref("base.cn").id,
            "state_id": cls.env.ref("base.state_cn_BJ").id,
            "city": "北京市",
            "street": "朝阳区建国路 88 号",
            "phone": "+86 10 6500 0000",
            "vat": code,
            "key_account_invoice_type": "vat_special",
            "bank_ids": [
                Command.create(
                    {
                        "acc_number": f"6222 0200 {next(_SERIAL):08d}",
                        "bank_id": cls.bank.id,
                    }
                )
            ],
        }
        values.update(vals)
        return values

    @classmethod
    def _create_key_account(cls, name="KA Test Customer", approved=True, **vals):
        """Create a key account of ``cls.company`` with a valid credit code.

        ``approved=True`` returns it approved, else in draft.
        """
        values = cls._key_account_vals(name, **vals)
        if approved:
            values.setdefault("key_account_state", "approved")
        return cls.env["res.partner"].create(values)
