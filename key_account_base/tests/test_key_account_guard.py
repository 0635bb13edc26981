# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Partners take the rights helper from key.account.guard.mixin (one helper
for every model), without a guarded-fields check of their own: their review
status keeps its own rules (res_partner.py)."""

from odoo.tests import tagged

from .common import KeyAccountBaseCommon


@tagged("post_install", "-at_install")
class TestKeyAccountGuard(KeyAccountBaseCommon):
    def test_partner_uses_the_mixin(self):
        mixin = type(self.env["key.account.guard.mixin"])
        Partner = self.env["res.partner"]
        self.assertTrue(issubclass(type(Partner), mixin))
        self.assertIs(
            type(Partner)._key_account_is_manager,
            mixin._key_account_is_manager,
            "one rights helper, not a copy on res.partner",
        )
        # no field of a partner is guarded by the mixin's create/write check
        self.assertEqual(Partner._key_account_guarded_fields(), {})

    def test_manager_helper(self):
        Partner = self.env["res.partner"]
        self.assertTrue(Partner._key_account_is_manager(), "superuser")
        self.assertTrue(Partner.with_user(self.ka_manager)._key_account_is_manager())
        self.assertFalse(Partner.with_user(self.ka_user)._key_account_is_manager())
        self.assertTrue(
            Partner.with_user(self.ka_user).sudo()._key_account_is_manager(),
            "the superuser's methods pass",
        )
