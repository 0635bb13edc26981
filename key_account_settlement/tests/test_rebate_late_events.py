# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Rebates under late events: a cancelled rebate credit note, a late credit
note making a later period negative (charged back by an invoice), a change of
the contract's rebate period, a change of a tier's rate, the taxes and the
contract of the rebate credit note."""

from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_rebate_settlement import RebateCommon

# Scenario of the late events (tiers: 1,000 → 1 %, 5,000 → 2 %, quarterly):
# Q1 10,000 invoiced (200), later reduced by a credit note of 7,000 dated in
# Q1 (3,000: 30); Q2 1,000 (10); Q3 20,000 (400); Q4 nothing.
DUE_ON_CORRECTED_INVOICES = 30.0 + 10.0 + 400.0


@tagged("post_install", "-at_install")
class TestRebateLateEvents(RebateCommon):
    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _contract(self, name, **vals):
        customer = self._create_key_account(f"KA Late Events {name}")
        return self._rebate_contract(partner=customer, **vals)

    def _period(self, contract, key):
        return self._settlements(contract).filtered(lambda s: s.period_key == key)

    def _approve_all(self, contract):
        for settlement in self._settlements(contract).filtered(
            lambda s: s.state == "computed"
        ):
            settlement.action_approve()

    def _post_all(self, contract):
        self.env["account.move"].search(
            [
                ("key_account_rebate_settlement_id.contract_id", "=", contract.id),
                ("state", "=", "draft"),
            ]
        ).action_post()

    def _settle(self, contract, until):
        self._run(until, contract)
        self._approve_all(contract)
        self._post_all(contract)

    def _cancel_note(self, contract, key):
        note = self._period(contract, key).credit_move_id
        self.assertEqual(note.state, "posted")
        note.button_draft()
        note.button_cancel()

    def _net_credited(self, contract):
        """Rebate credit notes minus rebate charge-back invoices, posted."""
        moves = self.env["account.move"].search(
            [
                ("key_account_rebate_settlement_id.contract_id", "=", contract.id),
                ("state", "=", "posted"),
            ]
        )
        return sum(
            m.amount_untaxed if m.move_type == "out_refund" else -m.amount_untaxed
            for m in moves
        )

    # ------------------------------------------------------------------
    # 1. a cancelled rebate credit note
    # ------------------------------------------------------------------
    def test_cancelled_credit_note_returns_settlement_to_be_issued_again(self):
        contract = self._contract("cancel")
        self._invoices(contract, [(date(2025, 2, 1), 6000.0)])
        self._settle(contract, date(2025, 3, 31))
        q1 = self._settlements(contract)
        note = q1.credit_move_id
        self.assertEqual((q1.state, contract.rebate_amount_credited), ("credited", 120))
        self.assertEqual(contract.rebate_amount_owed, 0.0)
        note.button_draft()
        self.assertEqual(q1.state, "approved")
        note.button_cancel()
        self.assertEqual(q1.state, "computed")
        self.assertFalse(q1.credit_move_id)
        self.assertIn(note.name or note.display_name, q1.message_ids[0].body)
        # the contract shows the rebate owed, not credited
        contract.invalidate_recordset()
        self.assertEqual(contract.rebate_amount_owed, 120.0)
        self.assertEqual(contract.rebate_amount_credited, 0.0)
        # the cancelled note cannot credit the settlement a second time
        note.button_draft()
        with self.assertRaisesMessage(UserError, q1.name):
            note.action_post()
        note.button_cancel()
        # a run keeps the settlement; a manager issues it again
        self._run(date(2025, 3, 31), contract)
        self.assertEqual(self._settlements(contract), q1)
        q1.action_approve()
        self.assertNotEqual(q1.credit_move_id, note)
        q1.credit_move_id.action_post()
        contract.invalidate_recordset()
        self.assertEqual(q1.state, "credited")
        self.assertEqual(contract.rebate_amount_credited, 120.0)
        self.assertEqual(contract.rebate_amount_owed, 0.0)
        self.assertEqual(self._net_credited(contract), 120.0)

    def test_deleted_draft_credit_note_returns_settlement_to_computed(self):
        contract = self._contract("delete")
        self._invoices(contract, [(date(2025, 2, 1), 6000.0)])
        self._run(date(2025, 3, 31), contract)
        q1 = self._settlements(contract)
        q1.action_approve()
        q1.credit_move_id.unlink()
        self.assertEqual((q1.state, q1.credit_move_id.id), ("computed", False))
        # a draft credit note cancelled: the same
        q1.action_approve()
        q1.credit_move_id.button_cancel()
        self.assertEqual((q1.state, q1.credit_move_id.id), ("computed", False))
        self.assertEqual(contract.rebate_amount_owed, 120.0)

    # ------------------------------------------------------------------
    # 2. a negative rebate is charged back by an invoice
    # ------------------------------------------------------------------
    def _late_events_contract(self, name):
        contract = self._contract(name)
        self._invoices(
            contract,
            [
                (date(2025, 2, 1), 10000.0),
                (date(2025, 5, 1), 1000.0),
                (date(2025, 8, 1), 20000.0),
            ],
        )
        return contract

    def _late_credit_note(self, contract):
        self._invoices(contract, [(date(2025, 3, 20), 7000.0, True)])

    def test_negative_settlement_is_charged_back(self):
        contract = self._late_events_contract("charge back")
        self._settle(contract, date(2025, 3, 31))
        self._late_credit_note(contract)
        self._run(date(2025, 6, 30), contract)
        q2 = self._period(contract, "2025-Q2")
        # 10 on Q2, minus 170 for Q1 (30 instead of 200)
        self.assertEqual(q2.amount_credit, -160.0)
        q2.action_approve()
        invoice = q2.credit_move_id
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.amount_total, 160.0)
        self.assertEqual(invoice.key_account_contract_id, contract)
        self.assertIn("charge", q2.message_ids[0].body.lower())
        invoice.action_post()
        self.assertEqual(q2.state, "credited")
        # the charge-back does not count in the invoiced base of later rebates
        self._settle(contract, date(2025, 12, 31))
        self.assertEqual(self._period(contract, "2025-Q3").amount_credit, 400.0)
        self.assertEqual(self._net_credited(contract), DUE_ON_CORRECTED_INVOICES)

    def test_total_credited_equals_due_whatever_the_order(self):
        def late(contract):
            self._late_credit_note(contract)

        def settle(until):
            return lambda contract: self._settle(contract, until)

        def run(until):
            return lambda contract: self._run(until, contract)

        def cancel(key):
            return lambda contract: self._period(contract, key).action_cancel()

        def cancel_note(key):
            return lambda contract: self._cancel_note(contract, key)

        def reverse_note(key):
            def reverse(contract):
                note = self._period(contract, key).credit_move_id
                note._reverse_moves([{"invoice_date": date(2025, 10, 5)}], cancel=True)

            return reverse

        def approve_only(key):
            return lambda contract: self._period(contract, key).action_approve()

        end = date(2025, 12, 31)
        orders = {
            "late credit note before any run": [late, settle(end)],
            "after Q1 credited": [settle(date(2025, 3, 31)), late, settle(end)],
            "after Q2 credited": [settle(date(2025, 6, 30)), late, settle(end)],
            "after Q3 credited (Q4 negative)": [
                settle(date(2025, 9, 30)),
                late,
                settle(end),
            ],
            "late note before approval of Q1": [
                run(date(2025, 3, 31)),
                late,
                settle(end),
            ],
            "negative cancelled, re-run": [
                settle(date(2025, 3, 31)),
                late,
                run(date(2025, 6, 30)),
                cancel("2025-Q2"),
                run(date(2025, 9, 30)),
                approve_only("2025-Q3"),
                settle(end),
            ],
            "Q1 credit note cancelled after the late change was booked": [
                settle(date(2025, 6, 30)),
                late,
                settle(date(2025, 9, 30)),
                cancel_note("2025-Q1"),
                settle(end),
            ],
            "Q1 credit note reversed after the late change was booked": [
                settle(date(2025, 6, 30)),
                late,
                settle(date(2025, 9, 30)),
                reverse_note("2025-Q1"),
                settle(end),
            ],
            "Q1 credit note cancelled, then the late note": [
                settle(date(2025, 3, 31)),
                cancel_note("2025-Q1"),
                late,
                settle(end),
            ],
            "Q1 cancelled after a charge-back": [
                settle(date(2025, 3, 31)),
                late,
                settle(date(2025, 6, 30)),
                cancel_note("2025-Q1"),
                settle(end),
            ],
            "Q3 cancelled, late note, re-run": [
                settle(date(2025, 9, 30)),
                cancel_note("2025-Q3"),
                late,
                settle(end),
            ],
        }
        for index, (label, steps) in enumerate(orders.items()):
            with self.subTest(order=label):
                contract = self._late_events_contract(f"order {index}")
                for step in steps:
                    step(contract)
                self.assertFalse(
                    self._settlements(contract).filtered(
                        lambda s: s.state != "credited"
                    ),
                    "every period settled",
                )
                self.assertEqual(
                    self._net_credited(contract), DUE_ON_CORRECTED_INVOICES
                )
                self.assertEqual(
                    len(self._settlements(contract)), 4, "one settlement per quarter"
                )

    # ------------------------------------------------------------------
    # 3. a change of the rebate period
    # ------------------------------------------------------------------
    def test_period_change_settles_the_rest_of_the_overlapping_period(self):
        contract = self._contract("period change", period="quarterly")
        self._invoices(
            contract,
            [
                (date(2025, 2, 1), 3000.0),
                (date(2025, 5, 1), 4000.0),
                (date(2025, 9, 1), 2000.0),
            ],
        )
        self._settle(contract, date(2025, 3, 31))
        contract.rebate_period = "half_yearly"
        self._settle(contract, date(2025, 12, 31))
        q1, h1, h2 = self._settlements(contract)
        self.assertEqual((q1.period_key, q1.amount_base), ("2025-Q1", 3000.0))
        # the rest of the half-year: April to June, nothing counted twice
        self.assertEqual(
            (h1.period_key, h1.date_from, h1.date_to, h1.amount_base),
            ("2025-H1", date(2025, 4, 1), date(2025, 6, 30), 4000.0),
        )
        self.assertEqual((h2.date_from, h2.amount_base), (date(2025, 7, 1), 2000.0))
        self.assertEqual(sum(self._settlements(contract).mapped("amount_base")), 9000.0)
        self.assertEqual(self._net_credited(contract), 30.0 + 40.0 + 20.0)

    def test_period_change_cumulative_counts_each_amount_once(self):
        contract = self._contract(
            "period change cumulative", mode="cumulative", period="quarterly"
        )
        self._invoices(
            contract,
            [
                (date(2025, 2, 1), 3000.0),
                (date(2025, 5, 1), 4000.0),
                (date(2025, 9, 1), 2000.0),
            ],
        )
        self._settle(contract, date(2025, 3, 31))
        contract.rebate_period = "half_yearly"
        self._settle(contract, date(2025, 12, 31))
        _q1, h1, h2 = self._settlements(contract)
        # January to June: 7,000 at 2 % = 140, minus the 30 of Q1
        self.assertEqual((h1.date_from, h1.amount_tier_base), (date(2025, 4, 1), 7000))
        self.assertEqual((h1.amount_previous, h1.amount_due), (30.0, 110.0))
        # the year: 9,000 at 2 % = 180, minus 30 and 110
        self.assertEqual(h2.amount_due, 40.0)
        self.assertEqual(self._net_credited(contract), 180.0)

    def test_period_change_cancels_computed_settlements_of_old_periods(self):
        contract = self._contract("period change computed", period="quarterly")
        self._invoices(
            contract, [(date(2025, 2, 1), 3000.0), (date(2025, 5, 1), 4000.0)]
        )
        self._run(date(2025, 3, 31), contract)
        q1 = self._settlements(contract)
        contract.rebate_period = "half_yearly"
        self._run(date(2025, 6, 30), contract)
        h1 = self._settlements(contract)
        self.assertEqual(q1.state, "cancelled")
        self.assertEqual(
            (h1.period_key, h1.date_from, h1.amount_base),
            ("2025-H1", date(2025, 1, 1), 7000.0),
        )
        self.assertEqual(h1.amount_due, 140.0)

    # ------------------------------------------------------------------
    # 4. a change of a tier's rate
    # ------------------------------------------------------------------
    def test_tier_change_refused_once_a_period_is_settled(self):
        contract = self._contract("rate change")
        self._invoices(contract, [(date(2025, 2, 1), 6000.0)])
        self._run(date(2025, 3, 31), contract)
        # computed only: the tiers still change, the run recomputes
        contract.rebate_tier_ids.filtered(lambda t: t.rate == 2.0).rate = 3.0
        self._run(date(2025, 3, 31), contract)
        q1 = self._settlements(contract)
        self.assertEqual(q1.amount_due, 180.0)
        q1.action_approve()
        tier = contract.rebate_tier_ids.filtered(lambda t: t.rate == 3.0)
        for change in (
            lambda: tier.write({"rate": 4.0}),
            lambda: tier.write({"amount_from": 4000.0}),
            lambda: tier.unlink(),
            lambda: self.env["key.account.contract.rebate.tier"].create(
                {"contract_id": contract.id, "amount_from": 9000.0, "rate": 5.0}
            ),
        ):
            with self.assertRaisesMessage(UserError, q1.name):
                change()
        self.assertEqual(tier.rate, 3.0)
        # nothing changed: no late change is invented
        self._run(date(2025, 6, 30), contract)
        self.assertFalse(self._period(contract, "2025-Q2").adjustment_ids)

    def test_late_change_label_says_rate_and_base(self):
        contract = self._contract("label")
        invoice = self._invoices(contract, [(date(2025, 2, 1), 6000.0)])
        self._settle(contract, date(2025, 3, 31))
        refund = invoice._reverse_moves([{"invoice_date": date(2025, 3, 20)}])
        refund.invoice_line_ids.price_unit = 2000.0
        refund.action_post()
        self._run(date(2025, 6, 30), contract)
        name = self._period(contract, "2025-Q2").adjustment_ids.name
        self.assertIn("6000", name)
        self.assertIn("4000", name)
        self.assertIn("2%", name)
        self.assertIn("1%", name)

    # ------------------------------------------------------------------
    # 5. the rebate credit note's taxes and contract
    # ------------------------------------------------------------------
    def test_credit_note_untaxed_invoices_no_tax_and_carries_contract(self):
        # the company's default sales tax must not be used
        default_tax = self.env["account.tax"].create(
            {
                "name": "KA Default 15%",
                "amount": 15.0,
                "type_tax_use": "sale",
                "company_id": self.company.id,
            }
        )
        self.company.account_sale_tax_id = default_tax
        self.env.ref(
            "key_account_settlement.key_account_rebate_settlement_product"
        ).taxes_id = default_tax
        contract = self._contract("untaxed")
        self._invoices(contract, [(date(2025, 2, 1), 525000.0)])
        self._run(date(2025, 3, 31), contract)
        q1 = self._settlements(contract)
        q1.action_approve()
        note = q1.credit_move_id
        self.assertEqual(q1.amount_credit, 10500.0)
        self.assertEqual(note.amount_total, 10500.0)
        self.assertFalse(note.invoice_line_ids.tax_ids)
        self.assertEqual(note.key_account_contract_id, contract)
        action = contract.action_view_invoices()
        self.assertIn(note, self.env["account.move"].search(action["domain"]))
        note.action_post()
        # the rebate credit note is not invoiced amount: the rebate base stays
        contract.invalidate_recordset()
        self.assertEqual(contract.amount_invoiced, 525000.0)

    def test_credit_note_follows_invoice_taxes(self):
        included = self.env["account.tax"].create(
            {
                "name": "KA VAT 13% included",
                "amount": 13.0,
                "type_tax_use": "sale",
                "price_include_override": "tax_included",
                "company_id": self.company.id,
            }
        )
        contract = self._contract("taxed")
        # 400,000 untaxed at 13 % excluded, 100,000 untaxed at 13 % included
        self._invoices(
            contract,
            [
                (date(2025, 2, 1), 400000.0, False, self.tax),
                (date(2025, 2, 2), 113000.0, False, included),
            ],
        )
        self._run(date(2025, 3, 31), contract)
        q1 = self._settlements(contract)
        self.assertEqual(q1.amount_credit, 10000.0)
        q1.action_approve()
        note = q1.credit_move_id
        self.assertEqual(note.amount_untaxed, 10000.0)
        self.assertEqual(note.amount_tax, 1300.0)
        self.assertEqual(
            sorted(note.invoice_line_ids.mapped("price_subtotal")), [2000.0, 8000.0]
        )
        self.assertEqual(
            note.invoice_line_ids.tax_ids, self.tax | included, "the invoices' taxes"
        )

    def test_contract_rebate_figures_computed_together(self):
        contracts = self._contract("figures a") | self._contract("figures b")
        for contract in contracts:
            self._invoices(contract, [(date(2025, 2, 1), 6000.0)])
        self._run(date(2025, 3, 31), contracts)
        contracts.invalidate_recordset()
        self.assertEqual(contracts.mapped("rebate_amount_owed"), [120.0, 120.0])
        self.assertEqual(contracts.mapped("rebate_amount_credited"), [0.0, 0.0])

    def test_cancel_refused_while_its_late_change_is_booked(self):
        contract = self._late_events_contract("cancel booked")
        self._run(date(2025, 3, 31), contract)
        q1 = self._period(contract, "2025-Q1")
        q1.action_approve()
        self._late_credit_note(contract)
        self._run(date(2025, 6, 30), contract)
        q2 = self._period(contract, "2025-Q2")
        q2.action_approve()
        self.assertEqual(q2.adjustment_ids.source_settlement_id, q1)
        # Q1's credit note is still a draft: cancelling Q1 would settle its
        # period again from today's invoices while Q2 already deducted the
        # late change
        with self.assertRaisesMessage(UserError, q2.name):
            q1.action_cancel()
        self._post_all(contract)
        self._settle(contract, date(2025, 12, 31))
        self.assertEqual(self._net_credited(contract), DUE_ON_CORRECTED_INVOICES)
