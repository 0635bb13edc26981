# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Fapiao in the portal: the finance contacts see the fapiao of their
invoices and statements, download their files and ask for the fapiao of
a confirmed statement; nobody reaches another customer's fapiao."""

from datetime import date

from odoo import Command, http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.key_account_settlement.tests.fapiao_common import (
    KeyAccountFapiaoCommon,
)


@tagged("post_install", "-at_install")
class TestPortalFapiao(KeyAccountFapiaoCommon, HttpCase):
    # Own fixtures, no orders: the portal common confirms orders, which the
    # stock_delivery dependency of the skeleton breaks for now
    # (_prepare_procurement_values(group_id)).
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_a = cls._create_customer("甲方礼品集团 A Corp")
        cls.customer_b = cls._create_customer("乙方银行 B Bank")
        cls.portal_a = cls._portal_user(cls.customer_a, "ka_portal_a", "财务甲")
        cls.portal_b = cls._portal_user(cls.customer_b, "ka_portal_b", "财务乙")
        for customer in (cls.customer_a, cls.customer_b):
            customer.with_company(
                cls.company
            ).property_account_receivable_id = cls.receivable
        gift = [(cls.product_a, 10, 100.0, cls.tax_13, 0)]
        cls.invoice_a = cls._post(cls.customer_a, gift, day=date(2026, 9, 5))
        cls.invoice_a2 = cls._post(cls.customer_a, gift, day=date(2026, 9, 8))
        cls.invoice_b = cls._post(cls.customer_b, gift, day=date(2026, 9, 6))
        cls.fapiao_a = cls._issued(cls.invoice_a, "26442000000000000101")
        cls.fapiao_b = cls._issued(cls.invoice_b, "26442000000000000202")
        statements = cls.env["key.account.statement"]._generate(
            cls.company,
            cls.date_from,
            cls.date_to,
            partners=cls.customer_a | cls.customer_b,
        )
        statements._send(email=False)
        statements.action_customer_confirm()
        cls.statement_a = statements.filtered(lambda s: s.partner_id == cls.customer_a)
        cls.statement_b = statements.filtered(lambda s: s.partner_id == cls.customer_b)

    @classmethod
    def _portal_user(cls, customer, login, name):
        contact = cls.env["res.partner"].create(
            {
                "name": name,
                "parent_id": customer.id,
                "email": f"{login}@example.com",
                "type": "contact",
            }
        )
        return new_test_user(
            cls.env,
            login=login,
            password=login,
            name=name,
            partner_id=contact.id,
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @classmethod
    def _issued(cls, invoice, number):
        Request = cls.env["key.account.fapiao.request"]
        request = Request._key_account_build(invoice, fapiao_type="electronic")
        request.action_export()
        fapiao = request.fapiao_ids
        Fapiao = cls.env["key.account.fapiao"]
        Fapiao._issue_write(
            [
                (
                    fapiao,
                    {
                        "state": "issued",
                        "fapiao_number": number,
                        "issue_date": date(2026, 10, 8),
                    },
                )
            ]
        )
        Fapiao._issue_attach_files(
            [(fapiao, f"dzfp_{number}.pdf", b"%PDF " + number.encode())]
        )
        return fapiao

    def _post_form(self, url, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(url, data=data)

    def _file_url(self, fapiao, attachment=None):
        attachment = attachment or fapiao.attachment_ids
        return f"/my/key-account/fapiao/{fapiao.id}/files/{attachment.id}"

    def test_invoice_page_shows_fapiao(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self.url_open(f"/my/invoices/{self.invoice_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("26442000000000000101", response.text)
        self.assertIn(self._file_url(self.fapiao_a), response.text)
        self.assertNotIn("26442000000000000202", response.text)

    def test_download_own_file_not_another_customers(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self.url_open(self._file_url(self.fapiao_a))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"%PDF 26442000000000000101")
        with mute_logger("odoo.http"):
            other = self.url_open(self._file_url(self.fapiao_b))
            self.assertEqual(other.status_code, 404)
            mixed = self.url_open(
                self._file_url(self.fapiao_a, self.fapiao_b.attachment_ids)
            )
            self.assertEqual(mixed.status_code, 404)
            # nor through the generic attachment route
            generic = self.url_open(
                f"/web/content/{self.fapiao_b.attachment_ids.id}?download=true"
            )
            self.assertNotEqual(generic.content, b"%PDF 26442000000000000202")

    def test_record_rules(self):
        Fapiao = self.env["key.account.fapiao"].with_user(self.portal_a)
        self.assertEqual(Fapiao.search([]), self.fapiao_a)
        with self.assertRaises(AccessError):
            self.fapiao_b.with_user(self.portal_a).read(["fapiao_number"])
        requests = self.env["key.account.fapiao.request"].with_user(self.portal_a)
        self.assertEqual(requests.search([]), self.fapiao_a.request_id)

    def test_without_finance_role_nothing(self):
        admin = self.env["res.partner"].create(
            {"name": "KA Admin A", "parent_id": self.customer_a.id}
        )
        admin.sudo().write({"key_account_role_admin": True})
        self.portal_a.partner_id.sudo().write(
            {"key_account_role_buyer": True, "key_account_role_finance": False}
        )
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self.url_open(f"/my/invoices/{self.invoice_a.id}")
        self.assertNotIn("26442000000000000101", response.text)
        with mute_logger("odoo.http"):
            self.assertEqual(
                self.url_open(self._file_url(self.fapiao_a)).status_code, 404
            )
        self._post_form(
            f"/my/key-account/statements/{self.statement_a.id}/fapiao-request"
        )
        self.assertFalse(
            self.statement_a.fapiao_request_ids.filtered(
                lambda r: r.state == "to_approve"
            )
        )

    def test_statement_page_and_request(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        url = f"/my/key-account/statements/{self.statement_a.id}"
        page = self.url_open(url)
        self.assertIn("26442000000000000101", page.text)
        self.assertIn("o_ka_statement_fapiao_form", page.text)
        self._post_form(f"{url}/fapiao-request")
        requests = self.statement_a.fapiao_request_ids.filtered(
            lambda r: r.state == "to_approve"
        )
        self.assertEqual(len(requests), 1)
        self.assertEqual(requests.invoice_ids, self.invoice_a2)
        self.assertEqual(requests.requested_by_id, self.portal_a.partner_id)
        # a second click
        self._post_form(f"{url}/fapiao-request")
        self.statement_a.invalidate_recordset()
        self.assertEqual(
            len(
                self.statement_a.fapiao_request_ids.filtered(
                    lambda r: r.state == "to_approve"
                )
            ),
            1,
        )
        page = self.url_open(url)
        self.assertNotIn("o_ka_statement_fapiao_form", page.text)
        self.assertIn(requests.name, page.text)

    def test_other_customers_statement_request_refused(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        before = self.env["key.account.fapiao.request"].search_count([])
        self._post_form(
            f"/my/key-account/statements/{self.statement_b.id}/fapiao-request"
        )
        self.assertEqual(
            self.env["key.account.fapiao.request"].search_count([]), before
        )
