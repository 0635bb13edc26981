# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import contextlib
import re
from ast import literal_eval
from unittest.mock import patch

from markupsafe import escape

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.translate import code_translations

from odoo.addons.key_account_base.tests.common import make_uscc
from odoo.addons.mail.tests.common import MockEmail

from .common import KeyAccountPortalCommon

PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class KeyAccountApplicationCommon(KeyAccountPortalCommon, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        params = cls.env["ir.config_parameter"].sudo()
        # Applications go to the test distributor, whose manager reviews them.
        params.set_param("key_account_portal.application_company_id", cls.company.id)
        # Generous limits: the rate limit tests set their own.
        params.set_param("key_account_portal.apply_max_per_ip_hour", 100)
        params.set_param("key_account_portal.apply_max_per_code_day", 100)
        cls.industry = cls.env["res.partner.industry"].create(
            {"name": "Information Technology", "full_name": "信息技术服务业"}
        )
        cls.state_bj = cls.env.ref("base.state_cn_BJ")
        cls.code_serial = 600000000

    def _new_code(self):
        type(self).code_serial += 1
        return make_uscc(self.code_serial)

    def _form(self, **overrides):
        values = {
            "company_name": "在线申请科技有限公司",
            "credit_code": self._new_code(),
            "legal_representative": "王芳",
            "registered_capital": "5,000,000",
            "key_account_type": "enterprise",
            "industry_id": str(self.industry.id),
            "state_id": str(self.state_bj.id),
            "city": "北京市",
            "street": "海淀区中关村大街 1 号",
            "phone": "010-62000000",
            "contact_name": "李娜",
            "contact_mobile": "138 0013 8000",
            "contact_email": "li.na@apply-example.com",
            "invoice_type": "vat_special",
            "invoice_title": "",
            "vat": "",
            "bank_name": "中国工商银行北京海淀支行",
            "bank_account": "6222 0200 1234 5678",
        }
        values.update(overrides)
        return values

    def _csrf_token(self):
        response = self.url_open("/key-account/apply")
        self.assertEqual(response.status_code, 200)
        return CSRF_RE.search(response.text).group(1)

    def _apply(self, form, licence=("licence.pdf", PDF, "application/pdf"), csrf=True):
        data = dict(form)
        if csrf:
            data["csrf_token"] = self._csrf_token()
        files = {"licence": licence} if licence else None
        response = self.url_open("/key-account/apply", data=data, files=files)
        self.env.invalidate_all()
        return response

    def _counts(self):
        partners = self.env["res.partner"].with_context(active_test=False)
        self.env.invalidate_all()
        return (
            partners.search_count([]),
            self.env["res.partner.bank"].search_count([]),
            self.env["res.bank"].search_count([]),
            self.env["ir.attachment"].search_count([("res_model", "=", "res.partner")]),
            self.env["mail.message"].search_count([("model", "=", "res.partner")]),
            self.env["res.users"].with_context(active_test=False).search_count([]),
        )

    @contextlib.contextmanager
    def assertNothingCreated(self):
        before = self._counts()
        yield
        self.assertEqual(self._counts(), before, "the refused application wrote data")

    def _application(self, code):
        return (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("company_registry", "=", code), ("is_key_account", "=", True)])
        )


@tagged("post_install", "-at_install")
class TestPortalApplication(KeyAccountApplicationCommon):
    """The public online application (/key-account/apply)."""

    def test_page_is_public(self):
        response = self.url_open("/key-account/apply")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_key_account_portal", response.text)
        self.assertIn('name="csrf_token"', response.text)
        for name in ("company_name", "credit_code", "licence", "bank_account"):
            self.assertIn(f'name="{name}"', response.text)
        self.assertIn(self.industry.full_name, response.text)
        self.assertIn(self.state_bj.name, response.text)

    def test_valid_application_reaches_the_review_pool(self):
        form = self._form()
        response = self._apply(form)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith("/key-account/apply/thanks"))
        customer = self._application(form["credit_code"])
        self.assertEqual(len(customer), 1)
        self.assertIn(customer.name, response.text)
        self.assertIn(customer.key_account_code, response.text)
        self.assertRecordValues(
            customer,
            [
                {
                    "name": "在线申请科技有限公司",
                    "is_company": True,
                    "is_key_account": True,
                    "key_account_state": "submitted",
                    "key_account_source": "self_registered",
                    "company_id": self.company.id,
                    "key_account_legal_representative": "王芳",
                    "key_account_registered_capital": 5000000.0,
                    "key_account_type": "enterprise",
                    "industry_id": self.industry.id,
                    "country_id": self.env.ref("base.cn").id,
                    "state_id": self.state_bj.id,
                    "city": "北京市",
                    "vat": form["credit_code"],
                    "key_account_invoice_type": "vat_special",
                    "key_account_invoice_title": "在线申请科技有限公司",
                }
            ],
        )
        contact = customer.key_account_applicant_id
        self.assertEqual(contact.parent_id, customer)
        self.assertRecordValues(
            contact,
            [
                {
                    "name": "李娜",
                    "mobile": "13800138000",
                    "email": "li.na@apply-example.com",
                    "type": "contact",
                }
            ],
        )
        self.assertEqual(customer.bank_ids.acc_number, "6222020012345678")
        self.assertEqual(customer.bank_ids.bank_id.name, "中国工商银行北京海淀支行")
        licence = self.env["ir.attachment"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", customer.id)]
        )
        self.assertEqual(licence.name, "licence.pdf")
        self.assertEqual(licence.mimetype, "application/pdf")
        self.assertEqual(licence.raw, PDF)
        note = customer.message_ids.filtered(lambda m: licence in m.attachment_ids)
        self.assertIn("李娜", note.body)
        # Nobody from the public follows the new customer.
        self.assertFalse(
            customer.message_partner_ids & self.env.ref("base.public_partner")
        )
        # The back office review pool (its action and its default filter).
        action = self.env.ref("key_account_base.res_partner_action_key_account_review")
        pool = (
            self.env["res.partner"]
            .with_user(self.ka_manager)
            .search(
                literal_eval(action.domain) + [("key_account_state", "=", "submitted")]
            )
        )
        self.assertIn(customer, pool)

    def test_invalid_code_gives_the_back_office_message(self):
        valid = self._new_code()
        wrong = valid[:-1] + ("1" if valid[-1] != "1" else "2")
        form = self._form(credit_code=wrong, city="天津市")
        expected = (
            self.env["res.partner"]
            .new({"name": form["company_name"]})
            ._key_account_uscc_error(wrong)
        )
        self.assertIn("check digit", expected)
        with self.assertNothingCreated():
            response = self._apply(form)
        self.assertTrue(response.url.endswith("/key-account/apply"))
        self.assertIn(str(escape(expected)), response.text)
        self.assertIn("ka_apply_credit_code_error", response.text)
        # the form is refilled
        self.assertIn('value="天津市"', response.text)
        self.assertIn(f'value="{wrong}"', response.text)
        short = self._form(credit_code="91110105")
        with self.assertNothingCreated():
            response = self._apply(short)
        self.assertIn("must have 18 characters, it has 8", response.text)

    def test_duplicate_code_says_already_registered(self):
        form = self._form(credit_code=self.customer_b.company_registry)
        with self.assertNothingCreated():
            response = self._apply(form)
        self.assertIn("already registered with us", response.text)
        self.assertIn("account manager", response.text)
        # nothing of the registered customer is told
        self.assertNotIn(self.customer_b.name, response.text)
        self.assertNotIn(self.customer_b.key_account_code, response.text)
        # a second application of an accepted code is a duplicate too
        form = self._form()
        self._apply(form)
        self.assertEqual(len(self._application(form["credit_code"])), 1)
        with self.assertNothingCreated():
            response = self._apply(dict(form, company_name="重复申请有限公司"))
        self.assertIn("already registered with us", response.text)

    def test_missing_and_malformed_fields(self):
        form = self._form(
            company_name="",
            contact_email="not-an-email",
            contact_mobile="12345",
            registered_capital="a lot",
            bank_name="",
            state_id="999999",
        )
        with self.assertNothingCreated():
            response = self._apply(form)
        text = response.text
        self.assertIn("Your application was not sent", text)
        for field in (
            "company_name",
            "contact_email",
            "contact_mobile",
            "registered_capital",
            "bank_name",
            "state_id",
        ):
            self.assertIn(f"ka_apply_{field}_error", text, field)
        self.assertIn("Company name is required.", text)
        self.assertIn("11-digit mobile number", text)
        self.assertIn('value="海淀区中关村大街 1 号"', text)
        # an ordinary invoice needs no bank account
        form = self._form(invoice_type="vat_ordinary", bank_name="", bank_account="")
        self._apply(form)
        customer = self._application(form["credit_code"])
        self.assertEqual(customer.key_account_state, "submitted")
        self.assertFalse(customer.bank_ids)

    def test_honeypot_refuses_silently(self):
        form = self._form(website="http://spam.example.com")
        with self.assertNothingCreated():
            response = self._apply(form)
        self.assertTrue(response.url.endswith("/key-account/apply/thanks"))
        self.assertNotIn(form["company_name"], response.text)
        self.assertFalse(self._application(form["credit_code"]))

    def test_rate_limit_per_ip(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "key_account_portal.apply_max_per_ip_hour", 2
        )
        for _attempt in range(2):
            self._apply(self._form(company_name=""))
        form = self._form()
        with self.assertNothingCreated():
            response = self._apply(form)
        self.assertIn(
            "Too many applications were sent from your network", response.text
        )
        self.assertFalse(self._application(form["credit_code"]))
        # the refused attempt is not counted: an hour later the network applies
        attempts = self.env["key.account.portal.application.attempt"].search([])
        self.assertEqual(len(attempts), 2)
        self.env.cr.execute(
            "UPDATE key_account_portal_application_attempt "
            "SET create_date = create_date - interval '2 hours' WHERE id IN %s",
            [tuple(attempts.ids)],
        )
        self._apply(form)
        self.assertTrue(self._application(form["credit_code"]))

    def test_rate_limit_per_code(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "key_account_portal.apply_max_per_code_day", 2
        )
        code = self._new_code()
        for _attempt in range(2):
            self._apply(self._form(credit_code=code, city=""))
        with self.assertNothingCreated():
            response = self._apply(self._form(credit_code=code))
        self.assertIn("Too many applications were sent today", response.text)
        self.assertIn(code, response.text)
        self.assertFalse(self._application(code))
        # another code from the same address is accepted
        other = self._form()
        self._apply(other)
        self.assertTrue(self._application(other["credit_code"]))
        # the code itself is not stored
        attempts = self.env["key.account.portal.application.attempt"].search([])
        self.assertNotIn(code, attempts.mapped("code_hash"))

    def test_old_attempts_are_vacuumed(self):
        attempts = self.env["key.account.portal.application.attempt"]
        old = attempts._key_account_portal_register("10.0.0.1", self._new_code())
        recent = attempts._key_account_portal_register("10.0.0.2", False)
        self.env.cr.execute(
            "UPDATE key_account_portal_application_attempt "
            "SET create_date = now() - interval '3 days' WHERE id = %s",
            [old.id],
        )
        attempts._gc_key_account_portal_attempts()
        self.assertFalse(old.exists())
        self.assertTrue(recent.exists())

    def test_licence_type_and_size(self):
        cases = [
            (
                ("licence.exe", b"MZ\x90\x00binary", "application/octet-stream"),
                "not a file of an accepted type",
            ),
            # named as a PDF, but the content is text
            (
                (
                    "licence.pdf",
                    b"<html><script>alert(1)</script></html>",
                    "application/pdf",
                ),
                "its content does not match",
            ),
            # a PNG named as a PDF
            (("licence.pdf", PNG, "application/pdf"), "its content does not match"),
            (None, "Choose a file to upload"),
        ]
        for licence, message in cases:
            with (
                self.subTest(licence=licence and licence[0]),
                self.assertNothingCreated(),
            ):
                response = self._apply(self._form(), licence=licence)
                self.assertIn(message, response.text)
                self.assertIn("ka_apply_licence_error", response.text)
        self.env["ir.config_parameter"].sudo().set_param(
            "key_account_portal.upload_max_mb", 0.0001
        )
        with self.assertNothingCreated():
            response = self._apply(
                self._form(),
                licence=("licence.pdf", PDF + b"0" * 2000, "application/pdf"),
            )
        self.assertIn("is larger than", response.text)
        # a PNG photo is accepted
        self.env["ir.config_parameter"].sudo().set_param(
            "key_account_portal.upload_max_mb", 10
        )
        form = self._form()
        self._apply(form, licence=("执照.png", PNG, "image/png"))
        customer = self._application(form["credit_code"])
        self.assertEqual(customer.message_ids.attachment_ids.mimetype, "image/png")

    @mute_logger("odoo.http")
    def test_csrf_token_required(self):
        form = self._form()
        with self.assertNothingCreated():
            response = self._apply(form, csrf=False)
        self.assertEqual(response.status_code, 400)
        with self.assertNothingCreated():
            response = self._apply(dict(form, csrf_token="forged"), csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self._application(form["credit_code"]))

    def test_chinese_browser_gets_a_chinese_account(self):
        """A browser asking for Chinese gets the page in Chinese, and the new
        customer and its applicant (whose invitation is written in their
        language) are Chinese-speaking."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env.ref(
            "key_account_portal.portal_key_account_apply"
        ).update_field_translations(
            "arch_db", {"zh_CN": {"Apply for a Key Account": "大客户在线申请"}}
        )
        headers = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
        response = self.url_open("/key-account/apply", headers=headers)
        self.assertEqual(response.status_code, 200)
        self.assertIn("大客户在线申请", response.text)
        self.assertNotIn("Apply for a Key Account", response.text)
        form = self._form(csrf_token=CSRF_RE.search(response.text).group(1))
        response = self.url_open(
            "/key-account/apply",
            data=form,
            files={"licence": ("执照.pdf", PDF, "application/pdf")},
            headers=headers,
        )
        self.assertIn("/key-account/apply/thanks", response.url)
        self.env.invalidate_all()
        customer = self._application(form["credit_code"])
        self.assertEqual(customer.lang, "zh_CN")
        self.assertEqual(customer.key_account_applicant_id.lang, "zh_CN")

    def test_thanks_page_without_application(self):
        response = self.url_open("/key-account/apply/thanks")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_ka_apply_thanks", response.text)

    def test_portal_users_learn_nothing_of_other_customers(self):
        """As a portal user of A and of the suspended C: the public page,
        another customer's code is only "already registered"."""
        for login in ("ka_portal_a", "ka_portal_c"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                response = self.url_open("/key-account/apply")
                self.assertEqual(response.status_code, 200)
                self.assertNotIn(self.customer_b.name, response.text)
                with self.assertNothingCreated():
                    response = self._apply(
                        self._form(credit_code=self.customer_b.company_registry)
                    )
                self.assertIn("already registered with us", response.text)
                self.assertNotIn(self.customer_b.name, response.text)
                self.assertNotIn(self.customer_b.key_account_code, response.text)
                response = self.url_open("/key-account/apply/thanks")
                self.assertNotIn(self.customer_b.name, response.text)

    def test_applicant_is_set_by_the_application_only(self):
        form = self._form()
        self._apply(form)
        customer = self._application(form["credit_code"])
        other = self.customer_a.child_ids[:1] or self.portal_a.partner_id
        with self.assertRaises(AccessError):
            customer.with_user(self.ka_manager).write(
                {"key_account_applicant_id": other.id}
            )
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.ka_manager).create(
                {"name": "Sneaky", "key_account_applicant_id": other.id}
            )
        # writing the same value is no change
        customer.with_user(self.ka_manager).write(
            {"key_account_applicant_id": customer.key_account_applicant_id.id}
        )


@tagged("post_install", "-at_install")
class TestPortalApplicationApproval(KeyAccountApplicationCommon):
    """The approval invites the online applicant to the portal."""

    def _submitted_application(self, **overrides):
        form = self._form(**overrides)
        self._apply(form)
        customer = self._application(form["credit_code"])
        self.assertEqual(customer.key_account_state, "submitted")
        return customer

    def test_approval_grants_portal_and_sends_the_invitation(self):
        customer = self._submitted_application()
        applicant = customer.key_account_applicant_id
        self.assertFalse(applicant.user_ids)
        with self.mock_mail_gateway(mail_unlink_sent=False):
            customer.with_user(self.ka_manager).action_key_account_approve()
        self.assertEqual(customer.key_account_state, "approved")
        user = applicant.user_ids
        self.assertEqual(len(user), 1)
        self.assertTrue(user._is_portal())
        self.assertEqual(user.login, "li.na@apply-example.com")
        self.assertEqual(user.company_id, self.company)
        self.assertEqual(user.partner_id._key_account_portal_access(), "active")
        # one email, to the applicant, with the invitation and its sign-up link
        mails = self._new_mails
        self.assertEqual(len(mails), 1)
        self.assertIn("li.na@apply-example.com", mails.email_to)
        self.assertIn("/web/signup", mails.body_html)
        self.assertIn("token=", mails.body_html)
        self.assertIn(customer.name, mails.body_html)
        self.assertEqual(len(self._mails), 1)
        self.assertIn("li.na@apply-example.com", self._mails[0]["email_to"][0])
        self.assertTrue(
            customer.message_ids.filtered(lambda m: "was given portal access" in m.body)
        )

    def test_invitation_in_the_applicants_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        customer = self._submitted_application()
        customer.key_account_applicant_id.lang = "zh_CN"
        welcome = (
            "Your application for %(company)s has been approved. Sign up with the "
            "link below to order for your company and follow your deliveries in "
            "our customer portal."
        )
        chinese = {welcome: "%(company)s 的大客户申请已审核通过。"}
        with (
            patch.dict(
                code_translations.python_translations,
                {("key_account_portal", "zh_CN"): chinese},
            ),
            self.mock_mail_gateway(mail_unlink_sent=False),
        ):
            customer.with_user(self.ka_manager).action_key_account_approve()
        self.assertIn(
            f"{customer.name} 的大客户申请已审核通过。", self._new_mails.body_html
        )

    def test_approval_of_a_back_office_account_invites_nobody(self):
        customer = self._create_key_account("后台录入有限公司", approved=False)
        contact = self.env["res.partner"].create(
            {"name": "后台联系人", "parent_id": customer.id, "email": "bo@example.com"}
        )
        customer.with_user(self.ka_user).action_key_account_submit()
        with self.mock_mail_gateway():
            customer.with_user(self.ka_manager).action_key_account_approve()
        self.assertEqual(customer.key_account_state, "approved")
        self.assertFalse(contact.user_ids)
        self.assertFalse(self._new_mails)

    def test_approval_goes_on_when_the_invitation_cannot_be_sent(self):
        new_test_user(
            self.env, login="taken@apply-example.com", groups="base.group_user"
        )
        customer = self._submitted_application(contact_email="taken@apply-example.com")
        users_before = (
            self.env["res.users"].with_context(active_test=False).search_count([])
        )
        with self.mock_mail_gateway():
            customer.with_user(self.ka_manager).action_key_account_approve()
        self.assertEqual(customer.key_account_state, "approved")
        self.assertEqual(
            self.env["res.users"].with_context(active_test=False).search_count([]),
            users_before,
        )
        self.assertFalse(self._new_mails)
        self.assertTrue(
            customer.message_ids.filtered(
                lambda m: "was not invited to the portal" in m.body
            )
        )

    def test_only_a_manager_approves(self):
        customer = self._submitted_application()
        with self.assertRaises(AccessError):
            customer.with_user(self.ka_user).action_key_account_approve()
        self.assertEqual(customer.key_account_state, "submitted")
        self.assertFalse(customer.key_account_applicant_id.user_ids)
