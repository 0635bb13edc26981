# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
import threading
import time
from contextlib import closing
from datetime import timedelta
from types import SimpleNamespace
from unittest.mock import patch

import psycopg2

from odoo import SUPERUSER_ID, Command, api, fields, http, sql_db
from odoo.exceptions import AccessError
from odoo.http import Request
from odoo.tests import (
    common as odoo_tests_common,
    tagged,
)
from odoo.tools import mute_logger

# queue_job 18.0.4.1.x registers its patcher in SETATTR_SOURCES, which Odoo 18
# builds older than mid-2025 do not have yet (as key_account_order's tests).
if not hasattr(odoo_tests_common, "SETATTR_SOURCES"):
    odoo_tests_common.SETATTR_SOURCES = {}

from odoo.addons.queue_job.tests.common import trap_jobs

from ..controllers.ordering import FLASH_KEY, KeyAccountPortalOrdering
from .common import KeyAccountPortalCommon

TOKEN_1 = "tok-ordering-0001-abcdefgh"
TOKEN_2 = "tok-ordering-0002-abcdefgh"


class _FakeSession(dict):
    """The session of a fake request rendering a template."""

    debug = ""


class KeyAccountPortalOrderingCommon(KeyAccountPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product_a.default_code = "KA-TEA"
        cls.product_b.default_code = "KA-NOTE"
        Product = cls.env["product.product"]
        # Only B's contract names it (a product discount line): B orders it.
        cls.product_x = Product.create(
            {
                "name": "乙方专供笔 B Only Pen",
                "default_code": "KA-BONLY",
                "list_price": 30.0,
                "type": "consu",
                "taxes_id": [],
            }
        )
        # No key-account price, named by no contract: nobody orders it.
        cls.product_z = Product.create(
            {
                "name": "Retail Only Lamp",
                "default_code": "KA-OUT",
                "list_price": 99.0,
                "type": "consu",
                "taxes_id": [],
            }
        )
        cls.contract_b.write(
            {
                "discount": 10.0,
                "discount_line_ids": [
                    Command.create({"product_id": cls.product_x.id, "discount": 0.0})
                ],
            }
        )
        cls.draft_b = cls._create_portal_order(
            cls.customer_b, [2], start=700, confirm=False
        )
        cls.draft_c = cls._create_portal_order(
            cls.customer_c, [1], start=800, confirm=False
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _post(self, url, data=None):
        data = dict(data or {}, csrf_token=Request.csrf_token(self))
        return self.url_open(url, data=data, allow_redirects=False)

    def _flash(self, target):
        session = http.root.session_store.get(self.session.sid)
        return (session.get(FLASH_KEY) or {}).get(str(target), [])

    def _flash_text(self, target):
        """The last message kept for ``target`` (the test client never
        shows the order page, which would consume them)."""
        messages = self._flash(target)
        return messages[-1]["text"] if messages else ""

    @staticmethod
    def _order_page(order):
        return f"/my/key-account/orders/{order.id}"

    def _orders_of(self, customer):
        return self.env["sale.order"].search(
            [("partner_id", "=", customer.id)], order="id"
        )

    def _new_order(self, token=TOKEN_1, quantities=None):
        """Start an order as A from the catalog; returns the response."""
        data = {"token": token}
        for product, quantity in (quantities or {}).items():
            data[f"qty_{product.id}"] = str(quantity)
        return self._post("/my/key-account/orders/new", data)

    def _order_from(self, response):
        self.assertEqual(response.status_code, 303)
        match = re.search(
            r"/my/key-account/orders/(\d+)$", response.headers["Location"]
        )
        self.assertTrue(match, response.headers["Location"])
        return self.env["sale.order"].browse(int(match.group(1)))

    def _draft_a(self, quantities=None, token=TOKEN_1):
        self.authenticate("ka_portal_a", "ka_portal_a")
        return self._order_from(self._new_order(token, quantities or {self.product: 3}))

    def _allocate(self, line, quantities, start=900):
        recipients = self.env["res.partner"]._key_account_get_or_create_recipients(
            self.customer_a,
            [
                self._recipient_vals(index, name=f"甲收件人{index}")
                for index in range(start, start + len(quantities))
            ],
        )
        return self.env["key.account.allocation"].create(
            [
                {
                    "order_line_id": line.id,
                    "recipient_id": recipient.id,
                    "quantity": quantity,
                    "department": "财务部",
                    "branch": "北京分公司",
                }
                for recipient, quantity in zip(recipients, quantities, strict=True)
            ]
        )


@tagged("post_install", "-at_install")
class TestPortalCatalog(KeyAccountPortalOrderingCommon):
    def test_catalog_contract_prices_retail_and_stock(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        page = self.url_open("/my/key-account/catalog").text
        self.assertIn("o_key_account_portal", page)
        self.assertIn("KA-ENGINE-GIFT", page)
        self.assertIn("KA-TEA", page)
        self.assertIn("KA-NOTE", page)
        # A's contract price, the retail price struck through
        self.assertRegex(page, r"o_ka_price_contract[^>]*>[^<]*<span[^>]*>150\.00")
        self.assertRegex(
            page, r'<del class="o_ka_price_retail[^>]*>[^<]*<span[^>]*>188\.00'
        )
        self.assertRegex(page, r"o_ka_price_contract[^>]*>[^<]*<span[^>]*>160\.00")
        self.assertRegex(
            page, r'<del class="o_ka_price_retail[^>]*>[^<]*<span[^>]*>200\.00'
        )
        # free stock of the warehouse: 10,000 less the 21 reserved by A and B
        self.assertRegex(page, r"9,?979")
        # nothing of B: its contract price, its own product
        self.assertNotIn("135.00", page)
        self.assertNotIn("KA-BONLY", page)
        self.assertNotIn("KA-OUT", page)
        self.assertIn('name="token"', page)

        self.authenticate("ka_portal_b", "ka_portal_b")
        page = self.url_open("/my/key-account/catalog").text
        self.assertRegex(page, r"o_ka_price_contract[^>]*>[^<]*<span[^>]*>135\.00")
        self.assertIn("KA-BONLY", page)
        self.assertNotIn("KA-OUT", page)

    def test_batched_prices_equal_the_pricelist(self):
        products = self.product | self.product_a | self.product_b | self.product_x
        for contract in (self.contract_a, self.contract_b):
            expected = {
                product.id: contract.pricelist_id._get_product_price(product, 1.0)
                for product in products
            }
            self.assertEqual(contract._key_account_portal_prices(products), expected)
        self.assertEqual(
            self.contract_b._key_account_portal_prices(self.product)[self.product.id],
            135.0,
        )

    def test_catalog_search_and_category(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        page = self.url_open("/my/key-account/catalog?search=ka-tea").text
        self.assertIn("KA-TEA", page)
        self.assertNotIn("KA-NOTE", page)
        page = self.url_open("/my/key-account/catalog?search=Notebook").text
        self.assertIn("KA-NOTE", page)
        self.assertNotIn("KA-TEA", page)
        page = self.url_open(f"/my/key-account/catalog?category={self.categ_b.id}").text
        self.assertIn("KA-NOTE", page)
        self.assertNotIn("KA-TEA", page)
        self.assertNotIn("KA-ENGINE-GIFT", page)
        self.assertIn(self.categ_a.name, page, "the other categories stay listed")
        page = self.url_open("/my/key-account/catalog?search=nothing-like-this").text
        self.assertIn("o_ka_catalog_empty", page)

    def test_catalog_without_contract_or_approval(self):
        self.authenticate("ka_portal_c", "ka_portal_c")
        page = self.url_open("/my/key-account/catalog").text
        self.assertIn("o_ka_catalog_unavailable", page)
        self.assertIn("not approved", page)
        self.assertNotIn("o_ka_catalog_table", page)
        self.assertNotIn("KA-ENGINE-GIFT", page)

        self.contract_a.with_user(self.ka_manager).action_terminate()
        self.authenticate("ka_portal_a", "ka_portal_a")
        page = self.url_open("/my/key-account/catalog").text
        self.assertIn("no active contract", page)
        self.assertNotIn("o_ka_catalog_table", page)
        count = len(self._orders_of(self.customer_a))
        self._new_order(quantities={self.product: 1})
        self.assertEqual(len(self._orders_of(self.customer_a)), count)

    def test_catalog_query_count_flat(self):
        """The catalog's queries do not grow with the products shown."""
        categ = self.env["product.category"].create({"name": "KA Bulk"})
        self.ka_pricelist.item_ids = [
            Command.create(
                {
                    "applied_on": "2_product_category",
                    "categ_id": categ.id,
                    "compute_price": "fixed",
                    "fixed_price": 9.0,
                }
            )
        ]
        products = self.env["product.product"].create(
            [
                {
                    "name": f"Bulk item {index}",
                    "default_code": f"BULK-{'A' if index < 10 else 'B'}-{index:03d}",
                    "categ_id": categ.id,
                    "list_price": 12.0,
                    "type": "consu",
                    "is_storable": index % 2 == 0,
                }
                for index in range(40)
            ]
        )
        for product in products.filtered("is_storable")[:5]:
            self.env["stock.quant"]._update_available_quantity(
                product, self.warehouse.lot_stock_id, 7
            )
        self.authenticate("ka_portal_a", "ka_portal_a")
        counts = {}
        with patch.object(KeyAccountPortalOrdering, "_ka_catalog_step", 50):
            for search, expected in (("BULK-A", 10), ("BULK-", 40), ("BULK-A", 10)):
                self.env.invalidate_all()
                before = self.cr.sql_log_count
                page = self.url_open(f"/my/key-account/catalog?search={search}").text
                counts.setdefault(search, []).append(self.cr.sql_log_count - before)
                self.assertEqual(page.count("o_ka_catalog_product"), expected)
        # the first page rendered warms the caches: compare the later ones
        self.assertLessEqual(
            counts["BULK-"][0],
            counts["BULK-A"][1] + 2,
            f"queries of 40 products vs 10: {counts}",
        )


@tagged("post_install", "-at_install")
class TestPortalOrderCreation(KeyAccountPortalOrderingCommon):
    def test_same_token_one_order(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        count = len(self._orders_of(self.customer_a))
        first = self._order_from(
            self._new_order(TOKEN_1, {self.product: 3, self.product_a: 2})
        )
        # double click, reload, resubmitted form: the same order
        again = self._order_from(self._new_order(TOKEN_1, {self.product: 5}))
        self.assertEqual(first, again)
        self.assertEqual(len(self._orders_of(self.customer_a)), count + 1)
        self.assertEqual(first.order_line.mapped("product_uom_qty"), [3.0, 2.0])
        # a new form (new token): a second order
        second = self._order_from(self._new_order(TOKEN_2, {self.product: 1}))
        self.assertNotEqual(first, second)
        self.assertEqual(len(self._orders_of(self.customer_a)), count + 2)
        # created as the back office does: the key account, its contract
        # and the contract's prices
        self.assertEqual(first.partner_id, self.customer_a)
        self.assertEqual(first.state, "draft")
        self.assertEqual(first.key_account_contract_id, self.contract_a)
        self.assertEqual(first.pricelist_id, self.contract_a.pricelist_id)
        self.assertEqual(first.key_account_portal_token, TOKEN_1)
        line = first.order_line.filtered(lambda line: line.product_id == self.product)
        self.assertEqual(line.price_unit, 150.0)
        self.assertIn(self.portal_a.partner_id, first.message_partner_ids)

    def test_token_required_and_products_checked(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        count = len(self._orders_of(self.customer_a))
        response = self._post(
            "/my/key-account/orders/new", {f"qty_{self.product.id}": "1"}
        )
        self.assertTrue(
            response.headers["Location"].endswith("/my/key-account/catalog")
        )
        self.assertIn("reload the page", self._flash_text("catalog"))
        for product in (self.product_x, self.product_z):
            self._new_order(TOKEN_2, {product: 1})
            self.assertEqual(len(self._orders_of(self.customer_a)), count)
        self.assertIn("not part of your contract", self._flash_text("catalog"))
        self._new_order(TOKEN_2, {self.product: "-3"})
        self.assertEqual(len(self._orders_of(self.customer_a)), count)
        self.assertIn("端午礼盒: -3 is not a quantity", self._flash_text("catalog"))
        # the catalog shows the messages once
        page = self.url_open("/my/key-account/catalog").text
        self.assertIn("not part of your contract", page)
        self.assertFalse(self._flash("catalog"))

    def test_token_unique_per_customer_and_written_by_the_portal_only(self):
        order = self._draft_a()
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.env["sale.order"].create(
                {
                    "partner_id": self.customer_a.id,
                    "company_id": self.company.id,
                    "key_account_portal_token": TOKEN_1,
                }
            )
            self.env.flush_all()
        with self.assertRaises(AccessError):
            order.with_user(self.ka_user).write({"key_account_portal_token": "x" * 20})
        # another customer may hold the same token
        other = self.env["sale.order"].create(
            {
                "partner_id": self.customer_b.id,
                "company_id": self.company.id,
                "key_account_portal_token": TOKEN_1,
            }
        )
        self.env.flush_all()
        self.assertTrue(other.id)

    def test_concurrent_same_token_is_serialized_on_the_customer(self):
        """The creation locks the customer's row with an update: a second
        transaction with the same token waits, then fails with a
        serialization error that Odoo retries (and the retry finds the
        order). Here: the lock is taken before the token is looked up."""
        SaleOrder = self.env["sale.order"].sudo()
        queries = []
        original = SaleOrder._key_account_portal_lock_customer

        def lock(_self, customer):
            queries.append(("lock", customer))
            return original(customer)

        def find(_self, customer, token):
            queries.append(("find", customer))
            return SaleOrder.browse()

        with (
            patch.object(type(SaleOrder), "_key_account_portal_lock_customer", lock),
            patch.object(type(SaleOrder), "_key_account_portal_find_token", find),
        ):
            SaleOrder._key_account_portal_create_draft(
                self.contract_a, TOKEN_2, [(self.product, 1.0)]
            )
        self.assertEqual(
            queries, [("lock", self.customer_a), ("find", self.customer_a)]
        )

    def test_customer_lock_with_two_real_transactions(self):
        """Two real REPEATABLE READ transactions taking the customer lock
        (here on a committed partner): the second waits for the first, then
        fails with a serialization error, which Odoo retries with a fresh
        snapshot that sees the first transaction's order."""
        partner_id = self.env.ref("base.public_partner").id
        db = sql_db.db_connect(self.cr.dbname)
        result = {}
        with closing(db.cursor()) as cr1, closing(db.cursor()) as cr2:
            for cr in (cr1, cr2):
                cr.execute("SET lock_timeout = '10s'")
            cr2.execute("SELECT 1")  # the second transaction's snapshot
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env1["sale.order"]._key_account_portal_lock_customer(
                env1["res.partner"].browse(partner_id)
            )

            def second():
                env2 = api.Environment(cr2, SUPERUSER_ID, {})
                try:
                    env2["sale.order"]._key_account_portal_lock_customer(
                        env2["res.partner"].browse(partner_id)
                    )
                    result["second"] = "passed"
                except psycopg2.errors.SerializationFailure:
                    result["second"] = "serialization failure"

            with mute_logger("odoo.sql_db"):
                thread = threading.Thread(target=second)
                thread.start()
                time.sleep(0.5)
                self.assertTrue(thread.is_alive(), "the second waits for the first")
                cr1.commit()  # the update changes no value
                thread.join(15)
            cr2.rollback()
        self.assertEqual(result, {"second": "serialization failure"})


@tagged("post_install", "-at_install")
class TestPortalDraftPanel(KeyAccountPortalOrderingCommon):
    def test_lines_set_quantities(self):
        order = self._draft_a({self.product: 3, self.product_a: 2})
        gift, tea = order.order_line.sorted("id")
        url = f"/my/key-account/orders/{order.id}/lines"
        for _attempt in range(2):  # a resubmission changes nothing more
            response = self._post(url, {f"line_qty_{gift.id}": "10"})
            self.assertTrue(response.headers["Location"].endswith(f"/{order.id}"))
            self.assertEqual(gift.product_uom_qty, 10.0)
        self._post(url, {f"line_qty_{tea.id}": "0"})
        self.assertFalse(tea.exists(), "0 removes a line without recipients")
        self._allocate(gift, [4, 3])
        self._post(url, {f"line_qty_{gift.id}": "5"})
        self.assertEqual(gift.product_uom_qty, 10.0)
        self.assertIn("7", self._flash_text(order.id))
        self.assertIn("cannot be less", self._flash_text(order.id))
        self._post(url, {f"line_qty_{gift.id}": "0"})
        self.assertTrue(gift.exists())
        self._post(url, {"quick_pad": "KA-ENGINE-GIFT 5"})
        self.assertEqual(gift.product_uom_qty, 10.0)
        self.assertIn(
            "Line 1: [KA-ENGINE-GIFT] 端午礼盒: 7 Units", self._flash_text(order.id)
        )
        self.assertIn("cannot be less", self._flash_text(order.id))
        self._post(url, {f"line_qty_{gift.id}": "7"})
        self.assertEqual(gift.product_uom_qty, 7.0)

    def test_quick_pad(self):
        order = self._draft_a({self.product: 3})
        url = f"/my/key-account/orders/{order.id}/lines"
        bad = (
            "KA-TEA 5\n"
            "just-one-column\n"
            "KA-NOPE 3\n"
            "KA-BONLY 2\n"
            "KA-NOTE abc\n"
            "KA-TEA 1\n"
            "KA-OUT 1"
        )
        self._post(url, {"quick_pad": bad})
        self.assertEqual(order.order_line.product_id, self.product, "nothing changed")
        self.assertEqual(order.order_line.product_uom_qty, 3.0)
        text = self._flash_text(order.id)
        self.assertNotIn("Line 1:", text)
        for expected in (
            "Line 2: write a product code and a quantity",
            "Line 3: no product has the code KA-NOPE",
            "Line 4: the product KA-BONLY is not part of your contract",
            "Line 5: abc is not a quantity",
            "Line 6: the code KA-TEA is already on line 1",
            "Line 7: the product KA-OUT is not part of your contract",
        ):
            self.assertIn(expected, text)
        self.assertEqual(self._flash(order.id)[-1]["quick_pad"], bad, "kept to fix")
        # pasted from a spreadsheet (tabs), commas, full-width commas
        pad = "KA-TEA\t5\nKA-NOTE,4\n\nKA-ENGINE-GIFT，8\n"
        for _attempt in range(2):  # set, never added
            self._post(url, {"quick_pad": pad})
            quantities = {
                line.product_id: line.product_uom_qty for line in order.order_line
            }
            self.assertEqual(
                quantities,
                {self.product: 8.0, self.product_a: 5.0, self.product_b: 4.0},
            )
        self._post(url, {"quick_pad": "KA-NOTE 0"})
        self.assertNotIn(self.product_b, order.order_line.product_id)
        self.assertEqual(
            order.order_line.filtered(
                lambda line: line.product_id == self.product_a
            ).price_unit,
            160.0,
        )

    def test_delivery_options(self):
        order = self._draft_a()
        url = f"/my/key-account/orders/{order.id}/delivery"
        today = fields.Date.context_today(self.portal_a)
        base = {
            "key_account_delivery_grouping": "department",
            "key_account_packaging": "gift_wrap",
            "key_account_packaging_note": "端午安康",
            "key_account_logistics_note": "请提前电话联系",
        }
        self._post(
            url,
            dict(
                base,
                key_account_delivery_date_from=str(today + timedelta(days=5)),
                key_account_delivery_date_to=str(today + timedelta(days=2)),
            ),
        )
        self.assertIn("before Delivery From", self._flash_text(order.id))
        self.assertEqual(order.key_account_delivery_grouping, "recipient")
        self.assertFalse(order.key_account_packaging_note)
        self._post(
            url,
            dict(
                base,
                key_account_delivery_date_from=str(today - timedelta(days=1)),
                key_account_delivery_grouping="by-plane",
            ),
        )
        text = self._flash_text(order.id)
        self.assertIn("in the past", text)
        self.assertIn("Delivery Grouping: choose one of", text)
        self.assertFalse(order.key_account_delivery_date_from)
        self._post(
            url,
            dict(
                base,
                key_account_delivery_date_from=str(today + timedelta(days=2)),
                key_account_delivery_date_to=str(today + timedelta(days=5)),
            ),
        )
        self.assertEqual(order.key_account_delivery_grouping, "department")
        self.assertEqual(order.key_account_packaging, "gift_wrap")
        self.assertEqual(order.key_account_packaging_note, "端午安康")
        self.assertEqual(order.key_account_logistics_note, "请提前电话联系")
        self.assertEqual(order.key_account_delivery_date_to, today + timedelta(days=5))

    def test_submit_to_review_pool_once(self):
        order = self._draft_a()
        url = f"/my/key-account/orders/{order.id}/submit"
        response = self._post(url)
        self.assertTrue(response.headers["Location"].endswith(f"/{order.id}"))
        self.assertEqual(order.key_account_review_state, "pending")
        self.assertEqual(order.state, "draft")
        pool = self.env["sale.order"].search(
            [("key_account_review_state", "=", "pending")]
        )
        self.assertIn(order, pool)
        notes = order.message_ids.filtered(
            lambda m: "submitted for review" in (m.body or "")
        )
        self.assertEqual(len(notes), 1)
        response = self._post(url)  # second click
        self.assertEqual(response.status_code, 303)
        self.assertIn("already submitted", self._flash_text(order.id))
        self.assertEqual(
            len(
                order.message_ids.filtered(
                    lambda m: "submitted for review" in (m.body or "")
                )
            ),
            1,
        )
        # waiting in the pool, the order is not changed from the portal
        self._post(
            f"/my/key-account/orders/{order.id}/lines",
            {f"line_qty_{order.order_line.id}": "9"},
        )
        self.assertEqual(order.order_line.product_uom_qty, 3.0)
        self.assertIn("cannot be changed any more", self._flash_text(order.id))

    def test_submit_messages_shown_on_the_order_page(self):
        """Finding 7: after Submit the order is no draft to edit any more;
        its page still says what happened, once."""
        order = self._draft_a()
        url = f"/my/key-account/orders/{order.id}/submit"
        self._post(url)
        page = self.url_open(self._order_page(order)).text
        self.assertIn("o_ka_order_message", page)
        self.assertIn(f"{order.name} was submitted", page)
        page = self.url_open(self._order_page(order)).text
        self.assertNotIn(f"{order.name} was submitted", page, "shown once")
        self._post(url)  # second click
        page = self.url_open(self._order_page(order)).text
        self.assertIn(f"{order.name} was already submitted", page)
        # a change refused since it was submitted: said on the page too
        self._post(
            f"/my/key-account/orders/{order.id}/lines",
            {f"line_qty_{order.order_line.id}": "9"},
        )
        page = self.url_open(self._order_page(order)).text
        self.assertIn("cannot be changed any more", page)

    def test_auto_approval_confirmed_by_the_job_as_internal_user(self):
        self.company.key_account_review_auto_approve = True
        order = self._draft_a({self.product: 3})
        self._allocate(order.order_line, [1, 2])
        with trap_jobs() as trap:
            self._post(f"/my/key-account/orders/{order.id}/submit")
            trap.assert_jobs_count(1)
            job = trap.enqueued_jobs[0]
            executor = self.env["res.users"].browse(job.user_id)
            self.assertNotEqual(executor, self.portal_a)
            self.assertFalse(executor.share, "the job runs as an internal user")
            self.assertEqual(order.key_account_review_state, "approved")
            self.assertEqual(order.key_account_confirm_state, "queued")
            self.assertEqual(order.state, "draft", "not confirmed in the request")
            self.assertNotEqual(order.key_account_confirm_user_id, self.portal_a)
            self.assertFalse(order.key_account_confirm_user_id.share)
        # The job was recorded in the request's environment (closed since):
        # run it in the test's, as the job runner would (as its user).
        records = (
            self.env[job.model_name]
            .browse(job.recordset.ids)
            .with_user(job.user_id)
            .with_company(job.company_id)
        )
        getattr(records, job.method_name)(*job.args, **job.kwargs)
        self.assertEqual(order.state, "sale")
        self.assertEqual(len(order.picking_ids), 2)
        confirmed = order.message_ids.filtered(
            lambda m: "confirmed in the background" in (m.body or "")
        )
        self.assertTrue(confirmed)
        self.assertNotEqual(confirmed.author_id, self.portal_a.partner_id)

    def test_portal_submission_always_in_background(self):
        """The portal's submission sends the confirmation that auto-approval
        starts to the job, whoever runs it (here an internal user, an order
        far below the company's threshold)."""
        self.company.key_account_review_auto_approve = True
        order = self._draft_a({self.product: 3})
        self._allocate(order.order_line, [1, 2])
        self.assertFalse(self.env.user.share)
        with trap_jobs() as trap:
            self.assertTrue(order.sudo()._key_account_portal_submit())
            trap.assert_jobs_count(1)
        self.assertEqual(order.key_account_review_state, "approved")
        self.assertEqual(order.key_account_confirm_state, "queued")
        self.assertEqual(order.state, "draft")

    def test_panel_shows_why_confirmation_would_fail(self):
        order = self._draft_a({self.product: 3})
        self._allocate(order.order_line, [1])

        def render():
            return str(
                self.env["ir.qweb"]._render(
                    "key_account_portal.portal_order_draft_panel",
                    {"order": order.sudo(), "request": None},
                )
            )

        html = render()
        self.assertIn("Before our team can confirm the order", html)
        self.assertIn("must add up to the ordered quantity", html)
        self._allocate(order.order_line, [2], start=950)
        order.invalidate_recordset()
        self.assertNotIn("Before our team can confirm the order", render())

    def test_panel_words_the_blockers_for_the_customer(self):
        """The panel reads the confirmation steps' reasons but words them for
        the buyer: no "ask a Key Account Manager to release it"."""
        order = self._draft_a({self.product: 3})
        self._allocate(order.order_line, [3])
        self.contract_a.credit_limit = 1.0
        order.invalidate_recordset()
        staff = order._key_account_confirm_reasons(skip=("review_gate",))[order]
        self.assertTrue(any("credit hold" in text for text in staff), staff)
        html = str(
            self.env["ir.qweb"]._render(
                "key_account_portal.portal_order_draft_panel",
                {"order": order.sudo(), "request": None},
            )
        )
        self.assertIn("Before our team can confirm the order", html)
        self.assertIn("over the credit of its contract", html)
        self.assertNotIn("Key Account Manager", html)
        self.assertNotIn("credit hold", html)
        by_step = order._key_account_confirm_reasons(
            skip=("review_gate",), by_step=True
        )[order]
        self.assertEqual(list(by_step), ["credit"])
        self.contract_a.credit_limit = 0.0
        order.invalidate_recordset()
        self.assertFalse(order.key_account_portal_blockers)

    def test_panel_render(self):
        order = self._draft_a({self.product: 3})
        self._allocate(order.order_line, [1])
        # the order page's request: its session holds the messages the
        # routes kept, for this order and another page
        session = _FakeSession(
            {
                FLASH_KEY: {
                    str(order.id): [
                        {"type": "danger", "text": "Line 2: fix me", "quick_pad": "X 1"}
                    ],
                    "catalog": [{"type": "info", "text": "for the catalog"}],
                }
            }
        )
        fake_request = SimpleNamespace(
            session=session, csrf_token=lambda: "csrf-of-the-page"
        )
        with patch("odoo.addons.base.models.ir_qweb.request", fake_request):
            html = str(
                self.env["ir.qweb"]._render(
                    "key_account_portal.portal_order_draft_panel",
                    {"order": order.sudo()},
                )
            )
        self.assertIn("Line 2: fix me", html)
        self.assertIn(">X 1</textarea>", html, "the pad is shown again to fix")
        self.assertNotIn("for the catalog", html)
        self.assertEqual(list(session[FLASH_KEY]), ["catalog"], "shown once")
        self.assertIn('value="csrf-of-the-page"', html)
        self.assertIn('id="ka_order_draft_panel"', html)
        self.assertIn(f"/my/key-account/orders/{order.id}/lines", html)
        self.assertIn(f'name="line_qty_{order.order_line.id}"', html)
        self.assertIn('name="quick_pad"', html)
        self.assertIn(f"/my/key-account/orders/{order.id}/recipients/upload", html)
        self.assertIn(f"/my/key-account/orders/{order.id}/recipients/pick", html)
        self.assertIn(f"/my/key-account/orders/{order.id}/delivery", html)
        self.assertIn(f"/my/key-account/orders/{order.id}/submit", html)
        order.sudo()._key_account_portal_submit()
        html = str(
            self.env["ir.qweb"]._render(
                "key_account_portal.portal_order_draft_panel",
                {"order": order.sudo(), "request": None},
            )
        )
        self.assertNotIn("/submit", html)
        self.assertNotIn('name="quick_pad"', html)


@tagged("post_install", "-at_install")
class TestPortalReorder(KeyAccountPortalOrderingCommon):
    def test_reorder_products_and_recipients(self):
        source = self.order_a
        source.key_account_batch_ids = [
            Command.create({"name": "行政部", "partner_id": self.customer_a.id})
        ]
        # The lamp was part of the contract when its line was made; it is
        # not any more.
        item = self.ka_pricelist.item_ids.create(
            {
                "pricelist_id": self.ka_pricelist.id,
                "applied_on": "0_product_variant",
                "product_id": self.product_z.id,
                "compute_price": "fixed",
                "fixed_price": 90.0,
            }
        )
        self.env["sale.order.line"].create(
            {"order_id": source.id, "product_id": self.product_z.id}
        )
        item.unlink()
        self.authenticate("ka_portal_a", "ka_portal_a")
        url = f"/my/key-account/orders/{source.id}/reorder"
        new = self._order_from(self._post(url, {"token": TOKEN_1}))
        self.assertNotEqual(new, source)
        self.assertEqual(new.state, "draft")
        self.assertEqual(new.key_account_contract_id, self.contract_a)
        self.assertEqual(new.order_line.product_id, self.product)
        self.assertEqual(new.order_line.product_uom_qty, 6.0)
        self.assertEqual(new.order_line.price_unit, 150.0)
        old_allocations = source.key_account_allocation_ids.sorted("id")
        new_allocations = new.key_account_allocation_ids.sorted("id")
        self.assertEqual(
            new_allocations.mapped("recipient_id"),
            old_allocations.mapped("recipient_id"),
        )
        self.assertEqual(
            new_allocations.mapped("quantity"), old_allocations.mapped("quantity")
        )
        self.assertEqual(
            new_allocations.mapped("department"), old_allocations.mapped("department")
        )
        self.assertEqual(new.key_account_batch_ids.name, "行政部")
        self.assertIn("Retail Only Lamp", self._flash_text(new.id))
        # the same form again: the same new order
        self.assertEqual(self._order_from(self._post(url, {"token": TOKEN_1})), new)
        self.assertEqual(len(new.key_account_allocation_ids), 3)


@tagged("post_install", "-at_install")
class TestPortalOrderingAccess(KeyAccountPortalOrderingCommon):
    """Every ordering route as A against B's order, as the public user, as
    suspended C: nothing changes, nothing of B is shown."""

    def _snapshot(self):
        self.env.invalidate_all()
        orders = self.env["sale.order"].search([])
        return {
            "orders": orders.ids,
            "lines": [(line.id, line.product_uom_qty) for line in orders.order_line],
            "states": [
                (o.id, o.state, o.key_account_review_state, o.key_account_packaging)
                for o in orders
            ],
            "allocations": self.env["key.account.allocation"].search_count([]),
        }

    def _attack(self, order):
        """Post every route against ``order``; return the responses."""
        line = order.order_line[:1]
        return [
            self._post(
                f"/my/key-account/orders/{order.id}/lines",
                {f"line_qty_{line.id}": "99", "quick_pad": "KA-TEA 9"},
            ),
            self._post(
                f"/my/key-account/orders/{order.id}/delivery",
                {"key_account_delivery_grouping": "branch"},
            ),
            self._post(f"/my/key-account/orders/{order.id}/submit"),
            self._post(
                f"/my/key-account/orders/{order.id}/reorder", {"token": TOKEN_1}
            ),
            self._post(f"/my/key-account/orders/{order.id}/reorder", {"token": ""}),
        ]

    def _assert_no_b(self, responses):
        for response in responses:
            self.assertNotIn(response.status_code, (200, 500), response.text[:300])
            body = response.text + response.headers.get("Location", "")
            for secret in (
                self.customer_b.name,
                self.draft_b.name,
                self.order_b.name,
                "KA-BONLY",
            ):
                self.assertNotIn(secret, body)

    def test_customer_a_against_b(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        before = self._snapshot()
        for order in (self.draft_b, self.order_b):
            responses = self._attack(order)
            self._assert_no_b(responses)
            for response in responses:
                self.assertTrue(
                    response.headers["Location"].endswith("/my/key-account/orders")
                )
        # B's product ids in the catalog form: refused
        self._new_order(TOKEN_2, {self.product_x: 1})
        self.assertEqual(self._snapshot(), before)
        # B's token is not A's: A gets its own order, never B's
        self.draft_b.sudo().key_account_portal_token = TOKEN_1
        order = self._order_from(self._new_order(TOKEN_1, {self.product: 1}))
        self.assertNotEqual(order, self.draft_b)
        self.assertEqual(order.partner_id, self.customer_a)

    def test_public_user(self):
        self.authenticate(None, None)
        before = self._snapshot()
        responses = self._attack(self.order_a) + [
            self._new_order(TOKEN_2, {self.product: 1}),
            self.url_open("/my/key-account/catalog", allow_redirects=False),
        ]
        for response in responses:
            self.assertIn(response.status_code, (303, 302, 400, 403))
            self.assertNotIn("KA-ENGINE-GIFT", response.text)
            self.assertNotIn(self.customer_a.name, response.text)
        self.assertEqual(self._snapshot(), before)

    def test_suspended_customer(self):
        self.authenticate("ka_portal_c", "ka_portal_c")
        before = self._snapshot()
        responses = [
            *self._attack(self.draft_c),
            *self._attack(self.draft_b),
            self._new_order(TOKEN_2, {self.product: 1}),
        ]
        self._assert_no_b(responses)
        self.assertEqual(self._snapshot(), before)


@tagged("post_install", "-at_install")
class TestPortalOrderingTour(KeyAccountPortalOrderingCommon):
    def test_tour_catalog_quick_pad_submit(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        before = self._orders_of(self.customer_a)
        self.start_tour(
            "/my/key-account/catalog", "key_account_order_tour", login="ka_portal_a"
        )
        order = self._orders_of(self.customer_a) - before
        self.assertEqual(len(order), 1)
        self.assertEqual(
            {line.product_id: line.product_uom_qty for line in order.order_line},
            {self.product_a: 2.0, self.product_b: 4.0},
        )
        self.assertEqual(order.key_account_review_state, "pending")
