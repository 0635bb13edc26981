# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The role policy of the customer's organisation
(``res.partner._key_account_portal_roles``) and the model-level check
(``res.partner._key_account_check_portal_role``)."""

from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KeyAccountPortalCommon


@tagged("post_install", "-at_install")
class TestPortalRoles(KeyAccountPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.colleague_a = cls._create_portal_user(
            cls.customer_a, "ka_role_a2", "同事甲"
        )

    def _roles(self, user):
        return user.partner_id._key_account_portal_roles()

    def test_default_policy_until_set_up(self):
        """No role anywhere: everyone buys and pays, nobody approves or
        administers."""
        self.assertEqual(self._roles(self.portal_a), {"buyer", "finance"})
        self.assertEqual(self._roles(self.colleague_a), {"buyer", "finance"})

    def test_exact_roles_once_set_up(self):
        """One role given (even without an administrator): every contact has
        exactly its roles, a contact without any has none."""
        self.portal_a.partner_id.key_account_role_finance = True
        self.assertEqual(self._roles(self.portal_a), {"finance"})
        self.assertEqual(self._roles(self.colleague_a), frozenset())
        # B is untouched
        self.assertEqual(self._roles(self.portal_b), {"buyer", "finance"})

    def test_disabled_contact_has_none(self):
        self.colleague_a.partner_id.key_account_portal_disabled = True
        self.assertEqual(self._roles(self.colleague_a), frozenset())
        # a disabled contact's roles do not set the organisation up
        self.colleague_a.partner_id.key_account_role_admin = True
        self.assertEqual(self._roles(self.portal_a), {"buyer", "finance"})

    def test_approver_may_buy_setting(self):
        partner = self.portal_a.partner_id
        partner.write(
            {"key_account_role_approver": True, "key_account_role_buyer": True}
        )
        self.assertEqual(self._roles(self.portal_a), {"approver"})
        self.customer_a.key_account_approver_may_buy = True
        self.assertEqual(self._roles(self.portal_a), {"approver", "buyer"})

    def test_roles_map_is_batched(self):
        """The organisation page reads every colleague's roles: the query
        count does not grow with the number of colleagues."""
        few = self.portal_a.partner_id | self.colleague_a.partner_id
        many = few | self.env["res.partner"].create(
            [{"name": f"同事{i}", "parent_id": self.customer_a.id} for i in range(20)]
        )
        counts = []
        for partners in (few, many):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            roles = partners._key_account_portal_roles_map()
            counts.append(self.cr.sql_log_count - before)
            self.assertEqual(len(roles), len(partners))
        self.assertEqual(counts[0], counts[1])

    def test_check_portal_role(self):
        Partner = self.env["res.partner"]
        self.portal_a.partner_id.key_account_role_finance = True
        as_a = Partner.with_user(self.portal_a)
        self.assertEqual(
            as_a._key_account_check_portal_role("finance"), self.customer_a
        )
        self.assertEqual(
            as_a.sudo()._key_account_check_portal_role(("buyer", "finance")),
            self.customer_a,
        )
        with self.assertRaisesRegex(AccessError, "does not allow"):
            as_a._key_account_check_portal_role("buyer")
        with self.assertRaisesRegex(AccessError, "another company"):
            as_a._key_account_check_portal_role("finance", customer=self.customer_b)
        with self.assertRaisesRegex(AccessError, "not approved"):
            Partner.with_user(self.portal_c)._key_account_check_portal_role(
                "buyer", write=True
            )
        self.portal_a.partner_id.key_account_portal_disabled = True
        with self.assertRaisesRegex(AccessError, "disabled"):
            as_a._key_account_check_portal_role("finance")
        # staff pass: their groups decide
        self.assertFalse(
            Partner.with_user(self.ka_manager)._key_account_check_portal_role("buyer")
        )

    def test_model_methods_check_roles(self):
        """The model methods the portal calls check the role themselves (a
        controller forgetting it, or a sudo() call, still refuses)."""
        self.portal_a.partner_id.key_account_role_finance = True
        self.colleague_a.partner_id.key_account_role_buyer = True
        draft = self._create_portal_order(self.customer_a, [1], start=90, confirm=False)
        as_finance = draft.with_user(self.portal_a).sudo()
        with self.assertRaisesRegex(AccessError, "does not allow"):
            as_finance._key_account_portal_set_delivery({})
        with self.assertRaisesRegex(AccessError, "does not allow"):
            as_finance._key_account_portal_submit()
        with self.assertRaisesRegex(AccessError, "does not allow"):
            self.order_a.key_account_allocation_ids.with_user(
                self.portal_a
            ).sudo()._key_account_accept()
        statement = (
            self.env["key.account.statement"]
            .sudo()
            .create(
                {
                    "partner_id": self.customer_a.id,
                    "company_id": self.company.id,
                    "date_from": date(2026, 9, 1),
                    "date_to": date(2026, 9, 30),
                    "state": "sent",
                }
            )
        )
        with self.assertRaisesRegex(AccessError, "does not allow"):
            statement.with_user(self.colleague_a).sudo().action_customer_confirm()
        self.assertEqual(statement.state, "sent")
        # the buyer changes the draft
        draft.with_user(self.colleague_a).sudo()._key_account_portal_set_delivery(
            {
                "key_account_delivery_grouping": "department",
                "key_account_packaging": "gift_wrap",
            }
        )
        self.assertEqual(draft.key_account_delivery_grouping, "department")
