# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.tests import new_test_user
from odoo.tools import float_round

from .common_statement import KeyAccountStatementCommon

TAX_CODE_GIFT = "1030201010000000000"
TAX_CODE_OFFICE = "1060512990000000000"


class KeyAccountFapiaoCommon(KeyAccountStatementCommon):
    """Products with their tax classification, VAT taxes, a key account,
    an invoicing user and an accounting manager; helpers posting invoices
    with several lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.categ_a.write(
            {
                "key_account_tax_code": TAX_CODE_GIFT,
                "key_account_tax_short_name": "茶叶",
            }
        )
        cls.categ_b.write(
            {
                "key_account_tax_code": TAX_CODE_OFFICE,
                "key_account_tax_short_name": "办公用品",
            }
        )
        group = cls.env["account.tax.group"].create(
            {"name": "KA VAT", "company_id": cls.company.id}
        )
        Tax = cls.env["account.tax"].with_company(cls.company)
        cls.tax_13, cls.tax_9 = Tax.create(
            [
                {
                    "name": f"KA VAT {rate}%",
                    "amount": rate,
                    "type_tax_use": "sale",
                    "company_id": cls.company.id,
                    "tax_group_id": group.id,
                }
                for rate in (13, 9)
            ]
        )
        cls.customer = cls._create_customer("KA Fapiao Buyer Co")
        cls.manager = new_test_user(
            cls.env,
            login="ka_fapiao_manager",
            name="KA Fapiao Manager",
            groups="account.group_account_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.Request = cls.env["key.account.fapiao.request"]

    @classmethod
    def _post(cls, partner, lines, day=None, move_type="out_invoice", **vals):
        """Post an invoice of ``lines``: (product, quantity, price, tax,
        discount %) tuples."""
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "journal_id": cls.sale_journal.id,
                "invoice_date": day or cls.date_from,
                "date": day or cls.date_from,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": quantity,
                            "price_unit": price,
                            "discount": discount,
                            "account_id": cls.income.id,
                            "tax_ids": [Command.set(tax.ids)],
                        }
                    )
                    for product, quantity, price, tax, discount in lines
                ],
                **vals,
            }
        )
        move.action_post()
        return move

    def _build(self, moves, user=None, **kwargs):
        Request = self.Request.with_user(user or self.accountant)
        return Request._key_account_build(
            moves.with_user(user or self.accountant), **kwargs
        )

    def assertAddsUp(self, request, moves):
        """The fapiao add up exactly to the invoices, each within the tax
        bureau's 0.06 of the tax on its totals, discount lines right after
        a goods line of the same rate."""
        sign = {"out_invoice": 1, "out_refund": -1}
        fapiao = request.fapiao_ids
        for fname in ("amount_untaxed", "amount_tax", "amount_total"):
            expected = sum(m[fname] * sign[m.move_type] for m in moves)
            self.assertAlmostEqual(sum(fapiao.mapped(fname)), expected, places=2)
            self.assertAlmostEqual(request[fname], expected, places=2)
        for record in fapiao:
            lines = record.line_ids.sorted("sequence")
            self.assertAlmostEqual(
                sum(lines.mapped("amount_untaxed")), record.amount_untaxed, places=2
            )
            self.assertAlmostEqual(
                sum(lines.mapped("amount_tax")), record.amount_tax, places=2
            )
            on_totals = sum(
                float_round(
                    sum(
                        lines.filtered(lambda l, r=rate: l.tax_rate == r).mapped(
                            "amount_untaxed"
                        )
                    )
                    * rate,
                    precision_digits=2,
                )
                for rate in set(lines.mapped("tax_rate"))
            )
            self.assertLessEqual(abs(record.amount_tax - on_totals), 0.0600001)
            previous = None
            for line in lines:
                if line.is_discount:
                    self.assertTrue(previous and not previous.is_discount)
                    self.assertEqual(previous.move_line_id, line.move_line_id)
                    self.assertEqual(previous.tax_rate, line.tax_rate)
                previous = line
