# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The demo data shows a posted consolidated invoice, a sent statement, a
disputed one and a credited rebate (when the module's demo data is loaded;
``make test`` installs with demo data)."""

from odoo.tests import TransactionCase, tagged

DEMO_XMLIDS = (
    "key_account_period_invoice_demo_invoice",
    "key_account_statement_demo_sent",
    "key_account_statement_demo_disputed",
    "key_account_rebate_settlement_demo_credited",
)


@tagged("post_install", "-at_install")
class TestSettlementDemo(TransactionCase):
    def _demo(self, name):
        return self.env.ref(f"key_account_settlement.{name}", raise_if_not_found=False)

    def test_no_demo_code_in_the_registry(self):
        """The demo steps are functions of demo/settlement_demo.py run by the
        module's post_init_hook, never a model of the registry."""
        self.assertFalse(
            [
                name
                for name in self.env.registry
                if name.startswith("key.account.") and "demo" in name
            ],
            "no demo model",
        )

    def test_demo_shows_each_settlement_state(self):
        module = self.env["ir.module.module"].search(
            [("name", "=", "key_account_settlement")]
        )
        if not module.demo:
            # no demo data: none of the demo records may exist
            self.assertFalse([name for name in DEMO_XMLIDS if self._demo(name)])
            return
        invoice = self._demo("key_account_period_invoice_demo_invoice")
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(
            len(invoice.invoice_line_ids.sale_line_ids.order_id),
            2,
            "one invoice for the two orders of the period",
        )

        sent = self._demo("key_account_statement_demo_sent")
        self.assertEqual(sent.state, "sent")
        self.assertTrue(sent.sent_date)
        self.assertGreater(sent.invoice_amount, 0)
        self.assertGreater(sent.payment_amount, 0)
        self.assertEqual(
            sent.closing_balance,
            sent.opening_balance
            + sent.invoice_amount
            - sent.credit_note_amount
            - sent.payment_amount,
        )

        disputed = self._demo("key_account_statement_demo_disputed")
        self.assertEqual(disputed.state, "disputed")
        self.assertTrue(disputed.dispute_reason)
        self.assertEqual(
            disputed.line_ids.filtered("disputed").move_id,
            self._demo("key_account_statement_demo_disputed_invoice"),
        )
        self.assertEqual(disputed.date_from, sent.date_from)

        rebate = self._demo("key_account_rebate_settlement_demo_credited")
        self.assertEqual(rebate.state, "credited")
        self.assertEqual(rebate.credit_move_id.state, "posted")
        self.assertEqual(rebate.credit_move_id.move_type, "out_refund")
        self.assertGreater(rebate.rate, 0)
        self.assertEqual(rebate.credit_move_id.amount_untaxed, rebate.amount_credit)
