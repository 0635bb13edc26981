# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The key account's contract in the portal: terms, validity, execution
and contract prices of the user's own company only."""

from odoo import Command
from odoo.tests import new_test_user, tagged
from odoo.tools import formatLang

from .common import KeyAccountPortalCommon

CONTRACT_URL = "/my/key-account/contract"


@tagged("post_install", "-at_install")
class TestPortalContract(KeyAccountPortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # terms as a Key Account Manager signs them (superuser here)
        cls.contract_a.write(
            {
                "cooperation_mode": "consignment",
                "committed_amount": 3600.0,
                "credit_limit": 50000.0,
                "credit_overdue_grace_days": 15,
                "discount": 10.0,
                "allow_promotions": False,
                "invoice_policy": "period",
                "rebate_period": "quarterly",
                "discount_line_ids": [
                    Command.create({"product_id": cls.product_b.id, "discount": 25.0})
                ],
                "rebate_tier_ids": [
                    Command.create({"amount_from": 100000.0, "rate": 2.5}),
                    Command.create({"amount_from": 300000.0, "rate": 4.0}),
                ],
            }
        )
        cls.contract_b.write(
            {
                "committed_amount": 987654.0,
                "discount": 33.0,
                "payment_method": "online",
                "rebate_tier_ids": [
                    Command.create({"amount_from": 777777.0, "rate": 9.5})
                ],
            }
        )

    def _assert_no_b_data(self, response):
        for needle in (
            self.contract_b.name,
            "987,654.00",
            "777,777.00",
            self.customer_b.name,
        ):
            self.assertNotIn(needle, response.text)

    def test_contract_page_shows_terms_prices_and_execution(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self.url_open(CONTRACT_URL)
        self.assertEqual(response.status_code, 200)
        text = response.text
        self.assertIn(self.contract_a.name, text)
        for label in (
            "Consignment",
            "KA 60 days",
            "Acceptance Bill",
            "Consolidated per Period",
            "Quarterly",
            "KA Notebook",
        ):
            self.assertIn(label, text)
        self.assertIn("100,000.00", text)
        self.assertIn("2.5", text)
        self.assertIn("50,000.00", text)
        # execution: the model's own figures
        contract = self.contract_a
        self.assertEqual(contract.amount_ordered, 900.0, "6 gift boxes at 150")
        for amount in (
            contract.committed_amount,
            contract.amount_ordered,
            contract.amount_remaining,
            contract.amount_delivered,
            contract.amount_invoiced,
            contract.amount_paid,
            contract.credit_available,
        ):
            self.assertIn(formatLang(self.env, amount), text)
        self.assertIn('aria-valuenow="25"', text, "900 of 3,600 ordered")
        # prices: 10% off the key-account price, 25% off the notebook's
        prices = contract._key_account_portal_prices(self.product | self.product_b)
        self.assertEqual(prices[self.product.id], (135.0, 188.0))
        self.assertEqual(prices[self.product_b.id], (30.0, 50.0))
        for price in ("135.00", "188.00", "30.00", "50.00"):
            self.assertIn(price, text)
        self.assertIn("o_ka_price_retail", text)
        self._assert_no_b_data(response)

    def test_prices_are_paged(self):
        self._add_priced_products(45)
        self.authenticate("ka_portal_a", "ka_portal_a")
        first = self.url_open(CONTRACT_URL).text
        second = self.url_open(f"{CONTRACT_URL}/page/2").text
        self.assertIn("KAP000", first)
        self.assertNotIn("KAP044", first)
        self.assertIn("KAP044", second)
        self.assertIn(f"{CONTRACT_URL}/page/2", first)
        # the page's queries do not grow with the products beyond the page
        queries = self._page_queries()
        self._add_priced_products(45, start=100)
        self.assertEqual(self._page_queries(), queries)

    def _add_priced_products(self, count, start=0):
        products = self.env["product.product"].create(
            [
                {"name": f"KA Paged {index:03d}", "default_code": f"KAP{index:03d}"}
                for index in range(start, start + count)
            ]
        )
        self.ka_pricelist.write(
            {
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": product.product_tmpl_id.id,
                            "compute_price": "fixed",
                            "fixed_price": 10.0,
                        }
                    )
                    for product in products
                ]
            }
        )
        return products

    def _page_queries(self):
        """Queries of the second rendering of the contract page."""
        self.url_open(CONTRACT_URL)
        start = self.cr.sql_log_count
        self.url_open(CONTRACT_URL)
        return self.cr.sql_log_count - start

    def test_no_active_contract(self):
        self.contract_a.action_terminate()
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self.url_open(CONTRACT_URL)
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "Your company has no active contract at the moment.", response.text
        )
        self.assertIn("ka_other_contracts", response.text)
        self.assertIn(self.contract_a.name, response.text, "listed as an earlier one")
        self.assertNotIn("ka_contract_prices", response.text)
        self._assert_no_b_data(response)

    def test_customer_b_sees_only_b(self):
        self.authenticate("ka_portal_b", "ka_portal_b")
        text = self.url_open(CONTRACT_URL).text
        self.assertIn(self.contract_b.name, text)
        self.assertNotIn(self.contract_a.name, text)
        self.assertNotIn("100,000.00", text)

    def test_suspended_account_reads_its_own_only(self):
        self.authenticate("ka_portal_c", "ka_portal_c")
        response = self.url_open(CONTRACT_URL)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(self.contract_a.name, response.text)
        self._assert_no_b_data(response)
        for url in (f"{CONTRACT_URL}/page/2",):
            self._assert_no_b_data(self.url_open(url))

    def test_public_and_other_portal_users_get_nothing(self):
        self.authenticate(None, None)
        response = self.url_open(CONTRACT_URL)
        self.assertIn("/web/login", response.url)
        self.assertNotIn(self.contract_a.name, response.text)
        self._assert_no_b_data(response)
        new_test_user(
            self.env,
            login="ka_portal_nobody",
            password="ka_portal_nobody",
            groups="base.group_portal",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.authenticate("ka_portal_nobody", "ka_portal_nobody")
        response = self.url_open(CONTRACT_URL)
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertNotIn("/my/key-account/contract", response.text, "no card")
        self._assert_no_b_data(response)
