# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import KeyAccountPortalCommon


@tagged("post_install", "-at_install")
class TestPortalOrderChatter(KeyAccountPortalCommon):
    """The order page's messages: the company's contacts read and write
    them; another customer's contact, the public user and a suspended
    account's contact never reach them with the order's token."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for order in cls.order_a | cls.order_b:
            order._portal_ensure_token()
        cls.order_b.message_post(
            body="乙方机密留言 B-ONLY-MESSAGE",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def _post_message(self, order, token, body):
        return self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "sale.order",
                "thread_id": order.id,
                "post_data": {
                    "body": body,
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
                "token": token,
            },
        )

    def _fetch(self, order, token):
        return self.make_jsonrpc_request(
            "/mail/chatter_fetch",
            {"thread_model": "sale.order", "thread_id": order.id, "token": token},
        )

    def _messages(self, order, body):
        return self.env["mail.message"].search(
            [
                ("model", "=", "sale.order"),
                ("res_id", "=", order.id),
                ("body", "ilike", body),
            ]
        )

    def test_contact_reads_and_writes_the_order_messages(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        page = self.url_open(f"/my/key-account/orders/{self.order_a.id}").text
        self.assertIn("o_portal_chatter", page)
        self.assertIn(f'data-token="{self.order_a.access_token}"', page)
        self.assertIn('data-allow_composer="1"', page)
        self._post_message(self.order_a, self.order_a.access_token, "甲方询问配送时间")
        message = self._messages(self.order_a, "甲方询问配送时间")
        self.assertEqual(message.author_id, self.portal_a.partner_id)
        fetched = self._fetch(self.order_a, self.order_a.access_token)
        self.assertIn("甲方询问配送时间", str(fetched))

    @mute_logger("odoo.http")
    def test_another_customers_token_opens_no_thread(self):
        token_b = self.order_b.access_token
        for login in ("ka_portal_a", "ka_portal_c", None):
            with self.subTest(login=login):
                self.authenticate(login, login)
                with self.assertRaises(JsonRpcException):
                    self._post_message(self.order_b, token_b, "冒充留言 FORGED")
                self.assertFalse(self._messages(self.order_b, "FORGED"))
                with self.assertRaises(JsonRpcException):
                    self._fetch(self.order_b, token_b)
                init = self.make_jsonrpc_request(
                    "/portal/chatter_init",
                    {
                        "thread_model": "sale.order",
                        "thread_id": self.order_b.id,
                        "token": token_b,
                    },
                )
                self.assertNotIn("B-ONLY-MESSAGE", str(init))
                self.assertNotIn("hasReadAccess", str(init))

    def test_suspended_account_reads_without_composer(self):
        order_c = self._create_portal_order(self.customer_c, [1], start=900)
        self.authenticate("ka_portal_c", "ka_portal_c")
        page = self.url_open(f"/my/key-account/orders/{order_c.id}").text
        self.assertIn("o_portal_chatter", page)
        self.assertIn('data-allow_composer="0"', page)
        self.assertFalse(order_c.access_token, "no token written for a read")
