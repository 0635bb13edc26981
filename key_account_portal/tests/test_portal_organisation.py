# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The customer's organisation run by its portal administrator: invite,
roles, disable, departments and delivery locations, through the
``res.partner._key_account_org_*`` engine and the /my/organisation pages."""

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import KeyAccountPortalCommon


@tagged("post_install", "-at_install")
class TestPortalOrganisation(KeyAccountPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin_a = cls.portal_a
        cls.admin_a.partner_id.write(
            {
                "key_account_role_admin": True,
                "key_account_role_buyer": True,
                "key_account_role_finance": True,
            }
        )
        cls.buyer_a = cls._create_portal_user(
            cls.customer_a, "ka_org_buyer_a", "采购甲二"
        )
        cls.buyer_a.partner_id.key_account_role_buyer = True
        cls.Partner = cls.env["res.partner"]

    def _as(self, user):
        return self.Partner.with_user(user)

    def test_invite_colleague(self):
        with self.assertLogs("odoo.tests", "DEBUG") as logs:
            contact = self._as(self.admin_a)._key_account_org_invite(
                self.customer_a,
                {
                    "name": "新同事",
                    "email": "New.Colleague@example.com",
                    "finance": True,
                },
            )
        contact = contact.sudo()
        self.assertEqual(contact.parent_id, self.customer_a)
        self.assertEqual(contact.email, "new.colleague@example.com")
        self.assertTrue(contact.key_account_role_finance)
        self.assertFalse(contact.key_account_role_buyer)
        user = contact.user_ids
        self.assertTrue(user.has_group("base.group_portal"))
        self.assertEqual(contact._key_account_portal_roles(), {"finance"})
        # core's invitation mail went out (to the SMTP boundary of test mode)
        self.assertIn("skip sending email in test mode", "\n".join(logs.output))
        self.assertEqual(contact.signup_type, "signup")
        # inviting again the same address is refused, nothing doubled
        with self.assertRaisesRegex(UserError, "already a colleague"):
            self._as(self.admin_a)._key_account_org_invite(
                self.customer_a, {"name": "x", "email": "new.colleague@example.com"}
            )

    def test_only_admins_manage(self):
        with self.assertRaisesRegex(AccessError, "does not allow"):
            self._as(self.buyer_a)._key_account_org_invite(
                self.customer_a, {"name": "x", "email": "x@example.com"}
            )
        with self.assertRaisesRegex(AccessError, "does not allow"):
            self.buyer_a.partner_id.with_user(self.buyer_a)._key_account_org_set_roles(
                {"admin": True}
            )

    def test_no_roles_outside_own_company(self):
        contact_b = self.portal_b.partner_id.with_user(self.admin_a)
        with self.assertRaises(AccessError):
            contact_b._key_account_org_set_roles({"admin": True, "buyer": True})
        with self.assertRaises(AccessError):
            contact_b._key_account_org_set_disabled(True)
        with self.assertRaises(AccessError):
            self._as(self.admin_a)._key_account_org_invite(
                self.customer_b, {"name": "x", "email": "x@example.com"}
            )
        self.assertFalse(self.portal_b.partner_id.key_account_role_admin)
        self.assertFalse(self.portal_b.partner_id.key_account_portal_disabled)
        # a recipient of A's orders is no colleague either
        recipient = self.order_a.key_account_allocation_ids[:1].recipient_id
        with self.assertRaises(AccessError):
            recipient.with_user(self.admin_a)._key_account_org_set_roles(
                {"buyer": True}
            )

    def test_set_roles_department_limit(self):
        department = self._as(self.admin_a)._key_account_org_save_department(
            self.customer_a, {"name": "行政部", "code": "ADM"}
        )
        self.buyer_a.partner_id.with_user(self.admin_a)._key_account_org_set_roles(
            {
                "buyer": True,
                "finance": True,
                "department_id": str(department.id),
                "order_limit": "5,000",
            }
        )
        partner = self.buyer_a.partner_id
        self.assertEqual(partner._key_account_portal_roles(), {"buyer", "finance"})
        self.assertEqual(partner.key_account_department_id, department)
        self.assertEqual(partner.key_account_order_limit, 5000)
        with self.assertRaisesRegex(UserError, "not an amount"):
            partner.with_user(self.admin_a)._key_account_org_set_roles(
                {"order_limit": "-3"}
            )
        with self.assertRaisesRegex(UserError, "not both"):
            partner.with_user(self.admin_a)._key_account_org_set_roles(
                {"approver": True}
            )
        self.customer_a.key_account_approver_may_buy = True
        partner.with_user(self.admin_a)._key_account_org_set_roles({"approver": True})
        self.assertIn("approver", partner._key_account_portal_roles())
        # B's department is refused
        department_b = self.env["key.account.department"].create(
            {"name": "B部", "customer_id": self.customer_b.id}
        )
        with self.assertRaisesRegex(UserError, "departments"):
            partner.with_user(self.admin_a)._key_account_org_set_roles(
                {"department_id": department_b.id}
            )

    def test_last_admin_keeps_role(self):
        me = self.admin_a.partner_id.with_user(self.admin_a)
        with self.assertRaisesRegex(UserError, "no portal administrator left"):
            me._key_account_org_set_roles({"admin": False, "buyer": True})
        with self.assertRaisesRegex(UserError, "no portal administrator left"):
            me._key_account_org_set_disabled(True)
        self.assertTrue(self.admin_a.partner_id.key_account_role_admin)
        # with a second administrator it may step down
        self.buyer_a.partner_id.with_user(self.admin_a)._key_account_org_set_roles(
            {"admin": True, "buyer": True}
        )
        me._key_account_org_set_roles({"admin": False, "buyer": True})
        self.assertFalse(self.admin_a.partner_id.key_account_role_admin)

    def test_disable_ends_portal_access(self):
        colleague = self.buyer_a.partner_id
        colleague.with_user(self.admin_a)._key_account_org_set_disabled(True)
        self.assertTrue(colleague.key_account_portal_disabled)
        self.assertFalse(self.buyer_a.active, "core's revocation archives the user")
        self.assertEqual(colleague._key_account_portal_roles(), frozenset())
        colleague.with_user(self.admin_a)._key_account_org_set_disabled(False)
        self.assertFalse(colleague.key_account_portal_disabled)
        self.assertTrue(self.buyer_a.active)
        self.assertTrue(self.buyer_a.has_group("base.group_portal"))

    def test_disabled_open_session_refused(self):
        """A colleague's open session is refused at once when disabled."""
        self.authenticate("ka_org_buyer_a", "ka_org_buyer_a")
        response = self.url_open("/my/key-account/orders")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order_a.name, response.text)
        self.buyer_a.partner_id.with_user(self.admin_a)._key_account_org_set_disabled(
            True
        )
        response = self.url_open("/my/key-account/orders")
        self.assertNotIn(self.order_a.name, response.text)
        # even with the user kept active, the flag alone refuses every route
        self.buyer_a.sudo().write({"active": True})
        self.authenticate("ka_org_buyer_a", "ka_org_buyer_a")
        response = self.url_open("/my/key-account/orders", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303, 403))
        self.assertNotIn(self.order_a.name, response.text)

    def test_departments_and_locations(self):
        admin = self._as(self.admin_a)
        department = admin._key_account_org_save_department(
            self.customer_a, {"name": "财务部"}
        )
        with self.assertRaisesRegex(UserError, "already has a department"):
            admin._key_account_org_save_department(self.customer_a, {"name": "财务部"})
        admin._key_account_org_archive_department(department)
        self.assertFalse(department.active)
        department_b = self.env["key.account.department"].create(
            {"name": "B部", "customer_id": self.customer_b.id}
        )
        with self.assertRaises(AccessError):
            admin._key_account_org_archive_department(department_b)
        with self.assertRaises(AccessError):
            admin._key_account_org_save_department(
                self.customer_a, {"name": "改名"}, department=department_b
            )
        location = admin._key_account_org_save_location(
            self.customer_a,
            {"name": "上海仓", "street": "世纪大道 1 号", "city": "上海"},
        )
        self.assertEqual(location.type, "delivery")
        self.assertEqual(location.parent_id, self.customer_a)
        location_b = self.env["res.partner"].create(
            {
                "name": "B 仓",
                "parent_id": self.customer_b.id,
                "type": "delivery",
                "street": "x",
                "city": "y",
            }
        )
        with self.assertRaises(AccessError):
            admin._key_account_org_archive_location(location_b)
        with self.assertRaises(AccessError):
            admin._key_account_org_save_location(
                self.customer_a,
                {"name": "n", "street": "s", "city": "c"},
                location=location_b,
            )
        self.assertTrue(location_b.active)
        with self.assertRaisesRegex(UserError, "street and city"):
            admin._key_account_org_save_location(self.customer_a, {"name": "x"})

    @mute_logger("odoo.http")
    def test_rpc_write_of_roles_refused(self):
        with self.assertRaises(AccessError):
            self.buyer_a.partner_id.with_user(self.buyer_a).write(
                {"key_account_role_admin": True}
            )
        clerk = new_test_user(
            self.env,
            login="ka_org_clerk",
            groups="base.group_user,base.group_partner_manager",
        )
        with self.assertRaisesRegex(AccessError, "organisation"):
            self.buyer_a.partner_id.with_user(clerk).write(
                {"key_account_role_admin": True}
            )
        self.assertFalse(self.buyer_a.partner_id.key_account_role_admin)
        # key-account staff set roles in the back office
        self.buyer_a.partner_id.with_user(self.ka_user).write(
            {"key_account_role_finance": True}
        )
        self.assertTrue(self.buyer_a.partner_id.key_account_role_finance)

    def test_pages(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        page = self.url_open("/my/organisation")
        self.assertEqual(page.status_code, 200)
        self.assertIn("采购甲二", page.text)
        self.assertNotIn(self.portal_b.name, page.text)
        response = self.url_open(
            "/my/organisation/invite",
            data={
                "name": "页面同事",
                "email": "page.colleague@example.com",
                "role_buyer": "1",
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200)
        contact = self.Partner.search([("email", "=", "page.colleague@example.com")])
        self.assertEqual(contact.parent_id, self.customer_a)
        self.assertTrue(contact.key_account_role_buyer)
        # a buyer reaches no organisation page
        self.authenticate("ka_org_buyer_a", "ka_org_buyer_a")
        response = self.url_open("/my/organisation", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertNotIn("/my/organisation", response.headers.get("Location", ""))

    def test_back_office_page(self):
        """Staff set roles on the key account's form (Portal Organisation)."""
        customer = self.customer_a.with_user(self.ka_user)
        arch = customer.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("key_account_portal_organisation", arch)
        contacts = customer.key_account_org_contact_ids
        self.assertIn(self.buyer_a.partner_id, contacts)
        self.assertFalse(contacts.filtered("key_account_recipient"))
        index = list(contacts).index(self.buyer_a.partner_id)
        with (
            Form(customer) as form,
            form.key_account_org_contact_ids.edit(index) as line,
        ):
            line.key_account_role_approver = True
            line.key_account_role_buyer = False
        self.assertEqual(
            self.buyer_a.partner_id._key_account_portal_roles(), {"approver"}
        )
