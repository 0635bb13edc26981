"""One gift campaign end to end, across the key-account modules.

An enterprise customer is onboarded (a Key Account User prepares and submits, a
Key Account Manager approves), a manager signs a contract with a discount on the
key-account price and a credit period, the buyer's recipient list is imported
into a quotation that takes the contract's terms, the order is confirmed into
one delivery per recipient, the deliveries are shipped and accepted, the order
is invoiced as one line per product and paid, and the contract shows its
execution.
"""

import base64

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.key_account_order.tests.common import KeyAccountOrderCommon

CSV_HEADER = "姓名,手机,省,市,区,详细地址,部门,分支机构,商品编码,数量\n"


@tagged("post_install", "-at_install")
class TestGiftCampaign(KeyAccountOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gift = cls.product
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company, install_demo=False
        )
        cls.gift.taxes_id = False
        cls.ka_pricelist = cls.env.ref("key_account_contract.pricelist_key_account")
        cls.ka_pricelist.write(
            {
                "currency_id": cls.company.currency_id.id,
                "company_id": cls.company.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": cls.gift.product_tmpl_id.id,
                            "compute_price": "fixed",
                            "fixed_price": 150.0,
                        }
                    )
                ],
            }
        )
        cls.payment_term = cls.env["account.payment.term"].create(
            {
                "name": "月结 30 天",
                "company_id": cls.company.id,
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100.0, "nb_days": 30}
                    )
                ],
            }
        )

    def _onboard(self, name):
        """A user prepares and submits a key account, a manager approves it."""
        Partner = self.env["res.partner"].with_user(self.ka_user)
        partner = Partner.create(self._key_account_vals(name))
        self.assertEqual(partner.key_account_state, "draft")
        self.assertTrue(partner.key_account_code)
        partner.action_key_account_submit()
        self.assertEqual(partner.key_account_state, "submitted")
        with self.assertRaises(UserError):
            partner.action_key_account_approve()
        partner.with_user(self.ka_manager).action_key_account_approve()
        self.assertEqual(partner.key_account_state, "approved")
        return partner.with_user(self.env.user)

    def _sign_contract(self, customer):
        today = fields.Date.context_today(self.env.user)
        contract = (
            self.env["key.account.contract"]
            .with_user(self.ka_manager)
            .create(
                {
                    "partner_id": customer.id,
                    "company_id": self.company.id,
                    "date_start": today - relativedelta(days=1),
                    "date_end": today + relativedelta(years=1),
                    "discount": 10.0,
                    "payment_term_id": self.payment_term.id,
                    "payment_method": "bank_transfer",
                    "committed_amount": 100000.0,
                    "credit_limit": 50000.0,
                }
            )
        )
        contract.action_confirm()
        self.assertEqual(contract.state, "active")
        return contract.with_user(self.env.user)

    def _import(self, order, rows):
        csv = CSV_HEADER + "".join(",".join(map(str, row)) + "\n" for row in rows)
        wizard = self.env["key.account.recipient.import"].create(
            {
                "order_id": order.id,
                "file": base64.b64encode(csv.encode("gbk")),
                "filename": "名单.csv",
            }
        )
        wizard.action_import()

    def test_campaign_from_onboarding_to_invoice(self):
        customer = self._onboard("北京礼享科技集团有限公司")
        contract = self._sign_contract(customer)
        order_form = Form(self.env["sale.order"].with_company(self.company))
        order_form.partner_id = customer
        self.assertEqual(order_form.key_account_contract_id, contract)
        self.assertEqual(order_form.pricelist_id, contract.pricelist_id)
        self.assertEqual(order_form.payment_term_id, self.payment_term)
        order = order_form.save()
        rows = [
            (
                f"员工{i}",
                f"1380013{i:04d}",
                "北京",
                "北京市",
                "朝阳区",
                f"建国路{i}号",
                "市场部" if i % 2 else "研发部",
                "北京分公司",
                self.gift.default_code,
                1 + i % 3,
            )
            for i in range(1, 13)
        ]
        self._import(order, rows)
        total = sum(row[-1] for row in rows)
        self.assertEqual(len(order.order_line), 1, "one sale line per product")
        self.assertEqual(order.order_line.product_uom_qty, total)
        # Key-account price 150, contract discount 10 %; retail is 188.
        self.assertAlmostEqual(order.order_line.price_unit, 135.0)
        allocations = self.env["key.account.allocation"].search(
            [("order_id", "=", order.id)]
        )
        self.assertEqual(len(allocations), 12)
        recipients = allocations.recipient_id
        self.assertEqual(len(recipients), 12)
        self.assertEqual(recipients.parent_id, customer)
        self.assertTrue(all(recipients.mapped("key_account_recipient")))

        # The same list imported for another order re-uses the recipients.
        repeat = order.copy({"order_line": False})
        self._import(repeat, rows[:3])
        repeat_recipients = (
            self.env["key.account.allocation"]
            .search([("order_id", "=", repeat.id)])
            .recipient_id
        )
        self.assertLessEqual(repeat_recipients, recipients)

        order.action_confirm()
        self.assertEqual(order.state, "sale")
        pickings = order.picking_ids
        self.assertEqual(len(pickings), 12, "one delivery per recipient")
        self.assertEqual(pickings.partner_id, recipients)
        for picking in pickings:
            allocation = allocations.filtered(lambda a, p=picking: a.picking_id == p)
            self.assertEqual(picking.partner_id, allocation.recipient_id)
            self.assertEqual(
                sum(picking.move_ids.mapped("product_uom_qty")), allocation.quantity
            )

        self._deliver(pickings)
        self.assertEqual(order.order_line.qty_delivered, total)
        self.assertEqual(sum(allocations.mapped("qty_delivered")), total)

        pickings.action_key_account_accept()
        self.assertEqual(set(allocations.mapped("acceptance_state")), {"accepted"})

        invoice = order._create_invoices()
        lines = invoice.invoice_line_ids.filtered(lambda l: l.product_id == self.gift)
        self.assertEqual(len(lines), 1, "one invoice line per product")
        self.assertEqual(lines.quantity, total)
        self.assertEqual(invoice.partner_id, customer)
        self.assertEqual(invoice.invoice_payment_term_id, self.payment_term)
        invoice.action_post()
        self.assertEqual(contract.amount_ordered, 135.0 * total)
        self.assertEqual(contract.amount_delivered, 135.0 * total)
        self.assertEqual(contract.amount_invoiced, 135.0 * total)
        self.assertEqual(contract.amount_paid, 0.0)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        contract.invalidate_recordset()
        self.assertEqual(contract.amount_paid, 135.0 * total)
        self.assertEqual(contract.amount_remaining, 100000.0 - 135.0 * total)
