# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Finance self-service: core's portal invoices for the finance roles only,
the invoices' token policy, receivables and rebate progress read from the
settlement's own services (the portal figures equal the back office's)."""

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KeyAccountPortalCommon


class PortalFinanceCommon(KeyAccountPortalCommon):
    """A's portal user administers and pays (finance), a buyer of A; A's
    contract has rebate tiers (1 % from 1,000, 3 % from 50,000) and a credit
    limit of 100,000; A owes 3,000 invoiced 45 days ago (overdue) and 7,000
    today; B owes 500."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company, install_demo=False
        )
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        partner = cls.portal_a.partner_id
        partner.write(
            {"key_account_role_admin": True, "key_account_role_finance": True}
        )
        cls.buyer_a = cls._create_portal_user(
            cls.customer_a, "ka_fin_buyer_a", "采购甲三"
        )
        cls.buyer_a.partner_id.key_account_role_buyer = True
        cls.contract_a.sudo().write(
            {
                "rebate_mode": "per_period",
                "rebate_period": "quarterly",
                "credit_limit": 100000.0,
                "rebate_tier_ids": [
                    Command.create({"amount_from": 1000.0, "rate": 1.0}),
                    Command.create({"amount_from": 50000.0, "rate": 3.0}),
                ],
            }
        )
        cls.invoice_old = cls._invoice(cls.contract_a, 3000.0, days_ago=45)
        cls.invoice_new = cls._invoice(cls.contract_a, 7000.0, days_ago=0)
        cls.invoice_b = cls._invoice(cls.contract_b, 500.0, days_ago=0)

    @classmethod
    def _invoice(cls, contract, amount, days_ago=0):
        day = cls.today - relativedelta(days=days_ago)
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": contract.partner_id.id,
                "company_id": contract.company_id.id,
                "invoice_date": day,
                "invoice_date_due": day + relativedelta(days=10),
                "key_account_contract_id": contract.id,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "礼盒", "quantity": 1.0, "price_unit": amount}
                    )
                ],
            }
        )
        move.action_post()
        move._portal_ensure_token()
        return move


@tagged("post_install", "-at_install")
class TestPortalFinance(PortalFinanceCommon):
    # receivables -----------------------------------------------------
    def test_receivables_equal_back_office(self):
        rows = (
            self.env["res.partner"]
            .with_user(self.portal_a)
            ._key_account_portal_receivables(self.customer_a)
        )
        row = next(r for r in rows if r["company"] == self.company)
        aging = self.env["key.account.aging.report"]._get_aging(
            self.today, self.customer_a
        )[self.customer_a.id, self.company.id]
        for bucket in ("not_due", "1_30", "31_60", "61_90", "over_90"):
            self.assertAlmostEqual(row[bucket], aging[bucket])
        self.assertAlmostEqual(row["open"], aging["total"])
        self.assertAlmostEqual(row["open"], 10000.0)
        self.assertAlmostEqual(row["overdue"], 3000.0)
        credit = self.env["key.account.customer.balance"]._get_contract_credit(
            self.contract_a, self.today
        )[self.contract_a.id]
        self.assertAlmostEqual(row["credit_available"], credit["credit_available"])
        self.assertAlmostEqual(
            row["credit_available"], self.contract_a.sudo().credit_available
        )
        self.assertLess(row["credit_available"], 100000.0)

    def test_receivables_refused_to_buyer_and_other_company(self):
        with self.assertRaisesRegex(AccessError, "does not allow"):
            self.env["res.partner"].with_user(
                self.buyer_a
            )._key_account_portal_receivables(self.customer_a)
        with self.assertRaisesRegex(AccessError, "another company"):
            self.env["res.partner"].with_user(
                self.portal_a
            )._key_account_portal_receivables(self.customer_b)

    # rebate progress -------------------------------------------------
    def test_rebate_progress_equals_settlement(self):
        progress = self.contract_a._key_account_rebate_progress(self.today)
        self.assertAlmostEqual(
            progress["base"],
            10000.0
            if progress["date_from"] <= self.invoice_old.invoice_date
            else 7000.0,
        )
        self.assertEqual(progress["rate"], 1.0)
        self.assertEqual(progress["next_tier"].rate, 3.0)
        self.assertAlmostEqual(progress["gap"], 50000.0 - progress["tier_base"])
        self.assertAlmostEqual(progress["next_rebate"], 1500.0)
        self.assertAlmostEqual(progress["next_worth"], 1500.0 - progress["rebate"])
        settlements = self.env["key.account.rebate.settlement"]._run_rebates(
            progress["date_to"], contracts=self.contract_a
        )
        settlement = settlements.filtered(
            lambda s: s.date_from == progress["date_from"]
        )
        self.assertEqual(len(settlement), 1)
        self.assertAlmostEqual(progress["rebate"], settlement.amount_rebate)
        self.assertAlmostEqual(progress["tier_base"], settlement.amount_tier_base)
        self.assertEqual(progress["tier"], settlement.tier_id)
        # the portal method reads the same figures, and lists the settlement
        [(contract, portal)] = (
            self.env["res.partner"]
            .with_user(self.portal_a)
            ._key_account_portal_rebate_progress(self.customer_a, self.today)
        )
        self.assertEqual(contract, self.contract_a)
        self.assertAlmostEqual(portal["rebate"], settlement.amount_rebate)
        self.assertIn(settlement, portal["settlements"])

    # invoices in the portal -----------------------------------------
    def test_invoice_list_for_finance_only(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        page = self.url_open("/my/invoices")
        self.assertIn(self.invoice_new.name, page.text)
        self.assertNotIn(self.invoice_b.name, page.text)
        self.authenticate("ka_fin_buyer_a", "ka_fin_buyer_a")
        page = self.url_open("/my/invoices")
        self.assertNotIn(self.invoice_new.name, page.text)
        response = self.url_open(
            f"/my/invoices/{self.invoice_new.id}", allow_redirects=False
        )
        self.assertIn(response.status_code, (302, 303))

    def test_invoice_token_policy(self):
        """Invoices keep core's share link: the right token opens one (for
        anyone, signed in or not); a wrong token, or another customer's
        invoice with A's token, opens nothing."""
        url = f"/my/invoices/{self.invoice_new.id}"
        self.authenticate(None, None)
        page = self.url_open(f"{url}?access_token={self.invoice_new.access_token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.invoice_new.name, page.text)
        response = self.url_open(f"{url}?access_token=wrong", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        # a buyer of A: the token opens it, a wrong token does not
        self.authenticate("ka_fin_buyer_a", "ka_fin_buyer_a")
        page = self.url_open(f"{url}?access_token={self.invoice_new.access_token}")
        self.assertIn(self.invoice_new.name, page.text)
        response = self.url_open(f"{url}?access_token=wrong", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        # A's finance with A's token on B's invoice
        self.authenticate("ka_portal_a", "ka_portal_a")
        response = self.url_open(
            f"/my/invoices/{self.invoice_b.id}"
            f"?access_token={self.invoice_new.access_token}",
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertNotIn(self.invoice_b.name, response.text)

    def test_pages(self):
        self.authenticate("ka_portal_a", "ka_portal_a")
        page = self.url_open("/my/key-account/receivables")
        self.assertEqual(page.status_code, 200)
        self.assertIn("ka_credit_available", page.text)
        page = self.url_open("/my/key-account/rebates")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.contract_a.name, page.text)
        self.authenticate("ka_fin_buyer_a", "ka_fin_buyer_a")
        for url in ("/my/key-account/receivables", "/my/key-account/rebates"):
            response = self.url_open(url, allow_redirects=False)
            self.assertIn(response.status_code, (302, 303), url)
