# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form

from .fapiao_common import KeyAccountFapiaoCommon


class TestFapiaoRequestBuild(KeyAccountFapiaoCommon):
    def test_one_invoice_copies_the_buyer(self):
        move = self._post(
            self.customer,
            [
                (self.product_a, 2, 100, self.tax_13, 0),
                (self.product_b, 1, 50, self.tax_9, 0),
            ],
        )
        request = self._build(move)
        self.assertEqual(request.state, "draft")
        self.assertEqual(request.partner_id, self.customer)
        self.assertEqual(request.fapiao_type, "vat_special")
        self.assertEqual(request.buyer_title, self.customer.key_account_invoice_title)
        self.assertEqual(request.buyer_tax_id, self.customer.vat)
        self.assertIn("朝阳区建国路 88 号", request.buyer_address)
        self.assertEqual(request.buyer_phone, self.customer.phone)
        self.assertEqual(request.buyer_bank, "KA Test Bank")
        self.assertEqual(request.buyer_account, self.customer.bank_ids.acc_number)
        self.assertEqual(request.invoice_ids, move)
        self.assertEqual(len(request.fapiao_ids), 1, "one fapiao carries two rates")
        self.assertEqual(
            request.fapiao_ids.line_ids.sorted("sequence").mapped("item_name"),
            ["*茶叶*KA Tea Gift Box", "*办公用品*KA Notebook"],
        )
        self.assertTrue(request.fapiao_ids.serial)
        self.assertAddsUp(request, move)

    def test_selection_refuses_mixing_and_unposted(self):
        other = self._create_customer("KA Other Buyer")
        move = self._post(self.customer, [(self.product_a, 1, 100, self.tax_13, 0)])
        foreign = self._post(other, [(self.product_a, 1, 100, self.tax_13, 0)])
        with self.assertRaisesMessage(UserError, "customers", other.name):
            self._build(move | foreign)
        draft = self.env["account.move"].create(
            self._invoice_vals(self.customer, self.date_from, 10)
        )
        with self.assertRaisesMessage(UserError, "not posted"):
            self._build(move | draft)
        self.assertFalse(self.Request.search([("partner_id", "=", self.customer.id)]))

    def test_refuses_another_company(self):
        company_b = self.env["res.company"].create(
            {"name": "KA Second Seller", "currency_id": self.env.ref("base.CNY").id}
        )
        move = self._post(self.customer, [(self.product_a, 1, 100, self.tax_13, 0)])
        journal_b = self.env["account.journal"].create(
            {
                "name": "KA B Sales",
                "code": "KABS",
                "type": "sale",
                "company_id": company_b.id,
            }
        )
        income_b = (
            self.env["account.account"]
            .with_company(company_b)
            .create({"name": "KA B Sales", "code": "600199", "account_type": "income"})
        )
        receivable_b = (
            self.env["account.account"]
            .with_company(company_b)
            .create(
                {
                    "name": "KA B Receivable",
                    "code": "112299",
                    "account_type": "asset_receivable",
                    "reconcile": True,
                }
            )
        )
        self.customer.company_id = False
        self.customer.with_company(
            company_b
        ).property_account_receivable_id = receivable_b
        move_b = (
            self.env["account.move"]
            .with_company(company_b)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "company_id": company_b.id,
                    "journal_id": journal_b.id,
                    "invoice_date": self.date_from,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": self.product_a.id,
                                "price_unit": 10,
                                "account_id": income_b.id,
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
        )
        move_b.action_post()
        with self.assertRaisesMessage(UserError, "companies", "KA Second Seller"):
            self.Request._key_account_build(move | move_b)

    def test_invoice_on_an_active_request_is_refused_until_voided(self):
        move = self._post(self.customer, [(self.product_a, 1, 100, self.tax_13, 0)])
        other = self._post(self.customer, [(self.product_a, 1, 50, self.tax_13, 0)])
        first = self._build(move)
        with self.assertRaisesMessage(UserError, first.name, move.name):
            self._build(move | other)
        first.with_user(self.manager).action_void()
        self.assertEqual(first.state, "cancelled")
        self.assertEqual(set(first.fapiao_ids.mapped("state")), {"voided"})
        second = self._build(move | other)
        self.assertEqual(second.invoice_ids, move | other)
        self.assertNotEqual(second.fapiao_ids.serial, first.fapiao_ids.serial)

    def test_credit_note_netted_or_sent_to_red_fapiao(self):
        move = self._post(
            self.customer,
            [
                (self.product_a, 10, 100, self.tax_13, 0),
                (self.product_b, 1, 80, self.tax_13, 0),
            ],
        )
        refund = self._post(
            self.customer,
            [(self.product_a, 2, 100, self.tax_13, 0)],
            move_type="out_refund",
            reversed_entry_id=move.id,
        )
        request = self._build(move | refund)
        self.assertAddsUp(request, move | refund)
        line_a = request.fapiao_ids.line_ids.filtered(
            lambda l: l.product_id == self.product_a
        )
        self.assertAlmostEqual(line_a.amount_untaxed, 800.0)
        self.assertAlmostEqual(line_a.quantity, 8.0)
        # a credit note on its own (its invoice on another request): refused
        request.with_user(self.manager).action_void()
        self._build(move)
        with self.assertRaisesMessage(UserError, refund.name, "红字发票"):
            self._build(refund)

    def test_statement_one_request_for_the_month(self):
        moves = self._post(
            self.customer, [(self.product_a, 3, 33.33, self.tax_13, 0)]
        ) | self._post(self.customer, [(self.product_b, 7, 12.34, self.tax_9, 5)])
        statement = self._generate(self.customer)
        with self.assertRaisesMessage(UserError, "not confirmed"):
            self.Request.with_user(self.accountant).create_from_statement(statement)
        statement._send(email=False)
        statement.action_customer_confirm()
        request = self.Request.with_user(self.accountant).create_from_statement(
            statement
        )
        self.assertEqual(request.statement_id, statement)
        self.assertEqual(request.invoice_ids, moves)
        self.assertAddsUp(request, moves)

    def test_awkward_amounts_three_times_33_33(self):
        move = self._post(
            self.customer, [(self.product_a, 1, 33.33, self.tax_13, 0)] * 3
        )
        request = self._build(move)
        self.assertAddsUp(request, move)
        self.assertAlmostEqual(request.amount_untaxed, 99.99)
        self.assertAlmostEqual(request.amount_tax, move.amount_tax)

    def test_thousand_small_lines_rounded_globally(self):
        self.company.tax_calculation_rounding_method = "round_globally"
        self.company.key_account_fapiao_line_limit = 300
        move = self._post(
            self.customer, [(self.product_a, 1, 0.05, self.tax_13, 0)] * 1000
        )
        self.assertAlmostEqual(move.amount_tax, 6.5)
        request = self._build(move)
        self.assertEqual(len(request.fapiao_ids), 4)
        self.assertAddsUp(request, move)

    def test_thousand_small_lines_rounded_per_line_refused(self):
        # 1,000 × round(0.0065) = 10.00 of tax on 50.00 at 13 % (6.50): more
        # than the tax bureau accepts on one fapiao
        move = self._post(
            self.customer, [(self.product_a, 1, 0.05, self.tax_13, 0)] * 1000
        )
        self.assertAlmostEqual(move.amount_tax, 10.0)
        with self.assertRaisesMessage(UserError, "0.06", "Round Globally"):
            self._build(move)

    def test_amount_limit_moves_a_discount_pair_whole(self):
        self.company.key_account_fapiao_amount_limit = 1000
        move = self._post(
            self.customer,
            [
                (self.product_a, 1, 500, self.tax_13, 0),
                (self.product_b, 6, 100, self.tax_13, 10),  # 600 - 60 = 540
                (self.product_a, 3, 100, self.tax_13, 0),
            ],
        )
        request = self._build(move)
        self.assertEqual(len(request.fapiao_ids), 2)
        first, second = request.fapiao_ids.sorted("sequence")
        self.assertAlmostEqual(first.amount_untaxed, 500)
        self.assertAlmostEqual(second.amount_untaxed, 840)
        discount = second.line_ids.filtered("is_discount")
        self.assertAlmostEqual(discount.amount_untaxed, -60)
        self.assertAddsUp(request, move)

    def test_line_limit_keeps_pairs_and_splits_big_lines(self):
        self.company.key_account_fapiao_line_limit = 3
        self.company.key_account_fapiao_amount_limit = 1000
        move = self._post(
            self.customer,
            [
                (self.product_a, 1, 10, self.tax_13, 0),
                (self.product_b, 1, 20, self.tax_13, 50),
                (self.product_a, 7, 333.33, self.tax_13, 0),  # 2,333.31 > limit
            ],
        )
        request = self._build(move)
        self.assertTrue(all(len(f.line_ids) <= 3 for f in request.fapiao_ids))
        self.assertTrue(all(f.amount_untaxed <= 1000 for f in request.fapiao_ids))
        big = request.fapiao_ids.line_ids.filtered(
            lambda l: l.move_line_id.quantity == 7
        )
        self.assertEqual(len(big), 3)
        self.assertAlmostEqual(sum(big.mapped("quantity")), 7)
        self.assertAddsUp(request, move)

    def test_negative_line_is_a_discount_line(self):
        move = self._post(
            self.customer,
            [
                (self.product_a, 10, 100, self.tax_13, 0),
                (self.product_b, 1, 50, self.tax_9, 0),
                (self.product_a, 1, -120, self.tax_13, 0),
            ],
        )
        request = self._build(move)
        lines = request.fapiao_ids.line_ids.sorted("sequence")
        self.assertEqual(lines.mapped("is_discount"), [False, True, False])
        self.assertAlmostEqual(lines[1].amount_untaxed, -120)
        self.assertAddsUp(request, move)

    def test_split_per_tax_rate_setting(self):
        move = self._post(
            self.customer,
            [
                (self.product_a, 1, 100, self.tax_13, 0),
                (self.product_b, 1, 100, self.tax_9, 0),
            ],
        )
        self.company.key_account_fapiao_split_tax_rate = True
        request = self._build(move)
        self.assertEqual(len(request.fapiao_ids), 2)
        self.assertEqual(
            [
                set(f.line_ids.mapped("tax_rate"))
                for f in request.fapiao_ids.sorted("sequence")
            ],
            [{0.13}, {0.09}],
        )
        self.assertAddsUp(request, move)

    def test_per_line_rounding_takes_one_more_fapiao(self):
        # 20 × round(0.0065) = 0.20 of tax on 1.00 at 13 % (0.13): 0.07 is more
        # than one fapiao may carry, two fapiao share it
        move = self._post(
            self.customer, [(self.product_a, 1, 0.05, self.tax_13, 0)] * 20
        )
        self.assertAlmostEqual(move.amount_tax, 0.2)
        request = self._build(move)
        self.assertEqual(len(request.fapiao_ids), 2)
        self.assertAddsUp(request, move)
        self.assertTrue(
            request.message_ids.filtered(lambda m: "Round Globally" in (m.body or ""))
        )

    def test_wizard_from_invoices_and_from_statement(self):
        move = self._post(self.customer, [(self.product_a, 2, 50, self.tax_13, 0)])
        Wizard = self.env["key.account.fapiao.request.wizard"].with_user(
            self.accountant
        )
        form = Form(
            Wizard.with_context(active_model="account.move", active_ids=move.ids)
        )
        self.assertEqual(form.fapiao_type, "vat_special")
        form.fapiao_type = "vat_ordinary"
        form.note = "合同号 KA-01"
        action = form.save().action_create()
        request = self.Request.browse(action["res_id"])
        self.assertEqual(request.invoice_ids, move)
        self.assertEqual(request.fapiao_type, "vat_ordinary")
        self.assertEqual(request.note, "合同号 KA-01")
        # the statement's button: every invoice of the confirmed statement
        other = self._post(self.customer, [(self.product_b, 1, 30, self.tax_9, 0)])
        request.with_user(self.manager).action_void()
        statement = self._generate(self.customer)
        statement._send(email=False)
        statement.action_customer_confirm()
        action = (
            Wizard.with_context(
                active_model="key.account.statement", active_ids=statement.ids
            )
            .create({})
            .action_create()
        )
        request = self.Request.browse(action["res_id"])
        self.assertEqual(request.statement_id, statement)
        self.assertEqual(request.invoice_ids, move | other)

    def test_refuses_mixed_currencies_and_a_customer_without_invoice_type(self):
        usd = self.env.ref("base.USD")
        usd.active = True
        move = self._post(self.customer, [(self.product_a, 1, 100, self.tax_13, 0)])
        dollars = self._post(
            self.customer,
            [(self.product_a, 1, 100, self.tax_13, 0)],
            currency_id=usd.id,
        )
        with self.assertRaisesMessage(UserError, "currencies", "USD"):
            self._build(move | dollars)
        untyped = self._create_customer(
            "KA Untyped Buyer", key_account_invoice_type=False
        )
        other = self._post(untyped, [(self.product_a, 1, 100, self.tax_13, 0)])
        with self.assertRaisesMessage(UserError, "KA Untyped Buyer", "invoice type"):
            self._build(other)
        request = self._build(other, fapiao_type="electronic")
        self.assertEqual(request.fapiao_type, "electronic")
