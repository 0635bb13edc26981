# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Rebate settlements (返点): tiers on untaxed amounts net of credit notes,
cumulative subtraction, one settlement per contract and period, late credit
notes as adjustments, idempotent runs, approval to a credit note, rights."""

from datetime import date

import psycopg2

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.key_account_contract.tests.common import KeyAccountContractCommon


class RebateCommon(KeyAccountContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company, install_demo=False
        )
        cls.Settlement = cls.env["key.account.rebate.settlement"]
        cls.customer = cls._create_key_account("KA Rebate Customer")
        cls.tax = cls.env["account.tax"].create(
            {
                "name": "KA VAT 13%",
                "amount": 13.0,
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )
        cls.accountant = new_test_user(
            cls.env,
            login="ka_rebate_accountant",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.account_manager = new_test_user(
            cls.env,
            login="ka_rebate_account_manager",
            groups="account.group_account_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.salesman = new_test_user(
            cls.env,
            login="ka_rebate_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @classmethod
    def _rebate_contract(cls, mode="per_period", period="quarterly", **vals):
        partner = vals.pop("partner", cls.customer)
        values = {
            "date_start": date(2025, 1, 1),
            "date_end": date(2025, 12, 31),
            "rebate_mode": mode,
            "rebate_period": period,
            "rebate_tier_ids": [
                Command.create({"amount_from": 1000.0, "rate": 1.0}),
                Command.create({"amount_from": 5000.0, "rate": 2.0}),
            ],
        }
        values.update(vals)
        contract = cls._create_contract(partner, activate=False, **values)
        contract.sudo().write({"state": "expired"})
        return contract

    @classmethod
    def _invoices(cls, contract, lines, post=True):
        """Create (and post) customer invoices of ``contract``: ``lines`` is a
        list of (invoice date, untaxed amount[, refund?[, taxes]])."""
        no_tax = cls.env["account.tax"]
        lines = [
            (line + (False, no_tax)[len(line) - 2 :])[:4] if len(line) < 4 else line
            for line in lines
        ]
        moves = cls.env["account.move"].create(
            [
                {
                    "move_type": "out_refund" if refund else "out_invoice",
                    "partner_id": contract.partner_id.id,
                    "company_id": contract.company_id.id,
                    "invoice_date": day,
                    "key_account_contract_id": contract.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Gift boxes",
                                "quantity": 1.0,
                                "price_unit": amount,
                                "tax_ids": [Command.set(taxes.ids)],
                            }
                        )
                    ],
                }
                for day, amount, refund, taxes in lines
            ]
        )
        if post:
            moves.action_post()
        return moves

    def _run(self, until, contracts):
        return self.Settlement._run_rebates(until, contracts=contracts)

    def _settlements(self, contract):
        return self.Settlement.search(
            [("contract_id", "=", contract.id), ("state", "!=", "cancelled")],
            order="date_from",
        )


@tagged("post_install", "-at_install")
class TestRebateSettlement(RebateCommon):
    def test_tiers_per_period_untaxed_net_of_credit_notes(self):
        contract = self._rebate_contract()
        self._invoices(
            contract,
            [
                (date(2025, 2, 10), 3000.0, False, self.tax),
                (date(2025, 4, 10), 6000.0),
                (date(2025, 5, 10), 500.0, True),
                # next quarter: not ended on June 30
                (date(2025, 7, 10), 9000.0),
            ],
        )
        self._run(date(2025, 6, 30), contract)
        q1, q2 = self._settlements(contract)
        self.assertEqual(
            (q1.period_key, q1.date_from, q1.date_to),
            ("2025-Q1", date(2025, 1, 1), date(2025, 3, 31)),
        )
        # untaxed: 3000, not 3390
        self.assertEqual(q1.amount_base, 3000.0)
        self.assertEqual(q1.rate, 1.0)
        self.assertEqual(q1.amount_due, 30.0)
        self.assertEqual(q2.period_key, "2025-Q2")
        self.assertEqual(q2.amount_base, 5500.0)
        self.assertEqual(q2.tier_id.amount_from, 5000.0)
        self.assertEqual(q2.amount_due, 110.0)
        self.assertEqual(q2.amount_credit, 110.0)

    def test_below_first_tier_no_rebate(self):
        contract = self._rebate_contract(period="half_yearly")
        self._invoices(contract, [(date(2025, 3, 1), 900.0)])
        self._run(date(2025, 12, 31), contract)
        h1, h2 = self._settlements(contract)
        self.assertEqual((h1.period_key, h2.period_key), ("2025-H1", "2025-H2"))
        self.assertFalse(h1.tier_id)
        self.assertEqual(h1.amount_due, 0.0)

    def test_contract_without_mode_settles_per_period(self):
        contract = self._rebate_contract(mode=False)
        self._invoices(contract, [(date(2025, 2, 1), 2000.0)])
        self._run(date(2025, 3, 31), contract)
        q1 = self._settlements(contract)
        self.assertEqual((q1.rebate_mode, q1.amount_due), ("per_period", 20.0))

    def test_periods_within_contract_validity(self):
        contract = self._rebate_contract(
            date_start=date(2025, 2, 15), date_end=date(2026, 2, 14), period="yearly"
        )
        self._run(date(2026, 12, 31), contract)
        first, second = self._settlements(contract)
        self.assertEqual(
            (first.period_key, first.date_from, first.date_to),
            ("2025", date(2025, 2, 15), date(2025, 12, 31)),
        )
        self.assertEqual(
            (second.period_key, second.date_from, second.date_to),
            ("2026", date(2026, 1, 1), date(2026, 2, 14)),
        )

    def test_cumulative_subtracts_earlier_settlements_of_the_year(self):
        contract = self._rebate_contract(mode="cumulative", date_end=date(2026, 12, 31))
        self._invoices(
            contract,
            [
                (date(2025, 2, 1), 3000.0),
                (date(2025, 5, 1), 3000.0),
                (date(2026, 2, 1), 2000.0),
            ],
        )
        self._run(date(2025, 3, 31), contract)
        q1 = self._settlements(contract)
        q1.action_approve()
        self._run(date(2026, 3, 31), contract)
        q1, q2, q3, q4, q1_2026 = self._settlements(contract)
        self.assertEqual(q1.amount_due, 30.0)
        # 6,000 since January: 2% = 120, minus the 30 of Q1
        self.assertEqual(q2.amount_tier_base, 6000.0)
        self.assertEqual(q2.rate, 2.0)
        self.assertEqual(q2.amount_rebate, 120.0)
        self.assertEqual(q2.amount_previous, 30.0)
        self.assertEqual(q2.amount_due, 90.0)
        self.assertEqual(q3.amount_due, 0.0)
        self.assertEqual(q3.amount_previous, 120.0)
        self.assertEqual(q4.amount_due, 0.0)
        # a new year starts again from its own invoices
        self.assertEqual(q1_2026.amount_tier_base, 2000.0)
        self.assertEqual(q1_2026.amount_previous, 0.0)
        self.assertEqual(q1_2026.amount_due, 20.0)

    def test_one_settlement_per_contract_and_period(self):
        contract = self._rebate_contract()
        self._run(date(2025, 3, 31), contract)
        q1 = self._settlements(contract)
        vals = {
            "contract_id": contract.id,
            "company_id": contract.company_id.id,
            "currency_id": contract.currency_id.id,
            "rebate_mode": "per_period",
            "period_key": "2025-Q1",
        }
        # same period, and an overlapping one (after a change of rebate period)
        for date_from, date_to in (
            (date(2025, 1, 1), date(2025, 3, 31)),
            (date(2025, 1, 1), date(2025, 6, 30)),
        ):
            with (
                self.assertRaises(psycopg2.errors.ExclusionViolation),
                mute_logger("odoo.sql_db"),
            ):
                self.Settlement.sudo().create(
                    dict(vals, date_from=date_from, date_to=date_to)
                )
                self.env.flush_all()
        # a cancelled settlement does not count: the period is settled again
        q1.action_cancel()
        self._run(date(2025, 3, 31), contract)
        new_q1 = self._settlements(contract)
        self.assertEqual(len(new_q1), 1)
        self.assertNotEqual(new_q1, q1)

    def test_running_twice_creates_nothing_new(self):
        contract = self._rebate_contract()
        self._invoices(
            contract, [(date(2025, 2, 1), 2000.0), (date(2025, 5, 1), 2000.0)]
        )
        self._run(date(2025, 6, 30), contract)
        q1, q2 = self._settlements(contract)
        q1.action_approve()
        # invoices dated in both periods arrive before the second run
        self._invoices(
            contract, [(date(2025, 3, 1), 4000.0), (date(2025, 6, 1), 4000.0)]
        )
        self._run(date(2025, 6, 30), contract)
        self.assertEqual(self._settlements(contract), q1 | q2)
        self.assertEqual(
            self.Settlement.search_count([("contract_id", "=", contract.id)]), 2
        )
        # approved: never recomputed; computed: recomputed
        self.assertEqual(q1.amount_base, 2000.0)
        self.assertEqual(q1.amount_credit, 20.0)
        self.assertEqual(q2.amount_base, 6000.0)
        self.assertEqual(q2.amount_due, 120.0)
        # the late Q1 invoice is an adjustment of Q2: 1% of 6,000 - 20
        self.assertEqual(q2.adjustment_ids.source_settlement_id, q1)
        self.assertEqual(q2.amount_credit, 120.0 + 100.0)

    def test_late_credit_note_becomes_adjustment_of_next_settlement(self):
        contract = self._rebate_contract()
        invoice = self._invoices(contract, [(date(2025, 2, 1), 6000.0)])
        self._run(date(2025, 3, 31), contract)
        q1 = self._settlements(contract)
        q1.action_approve()
        q1.credit_move_id.action_post()
        self.assertEqual(q1.state, "credited")
        # credit note of the Q1 invoice posted after Q1 was credited
        refund = invoice._reverse_moves([{"invoice_date": date(2025, 3, 20)}])
        refund.invoice_line_ids.price_unit = 2000.0
        refund.action_post()
        self._invoices(contract, [(date(2025, 5, 1), 7000.0)])
        self._run(date(2025, 6, 30), contract)
        q1, q2 = self._settlements(contract)
        # the credited settlement is not changed
        self.assertEqual((q1.amount_base, q1.amount_credit), (6000.0, 120.0))
        self.assertEqual(q2.amount_due, 140.0)
        adjustment = q2.adjustment_ids
        self.assertEqual(adjustment.source_settlement_id, q1)
        self.assertEqual(
            (adjustment.base_settled, adjustment.base_now), (6000.0, 4000.0)
        )
        # Q1 rebate now 1% of 4,000 = 40 instead of 120
        self.assertEqual(adjustment.amount, -80.0)
        self.assertEqual(q2.amount_credit, 60.0)
        # running again books it once
        self._run(date(2025, 6, 30), contract)
        self.assertEqual(len(q2.adjustment_ids), 1)
        self.assertEqual(q2.amount_credit, 60.0)
        q2.action_approve()
        self._run(date(2025, 9, 30), contract)
        q3 = self._settlements(contract)[-1]
        self.assertEqual(q3.period_key, "2025-Q3")
        self.assertFalse(q3.adjustment_ids, "the late change was booked in Q2 already")

    def test_late_credit_note_cumulative_next_year(self):
        contract = self._rebate_contract(
            mode="cumulative", period="yearly", date_end=date(2026, 12, 31)
        )
        invoice = self._invoices(contract, [(date(2025, 6, 1), 6000.0)])
        self._run(date(2025, 12, 31), contract)
        y2025 = self._settlements(contract)
        y2025.action_approve()
        self.assertEqual(y2025.amount_credit, 120.0)
        refund = invoice._reverse_moves([{"invoice_date": date(2025, 12, 1)}])
        refund.invoice_line_ids.price_unit = 2000.0
        refund.action_post()
        self._run(date(2026, 12, 31), contract)
        y2025, y2026 = self._settlements(contract)
        self.assertEqual(y2025.amount_credit, 120.0)
        self.assertEqual(y2026.adjustment_ids.source_settlement_id, y2025)
        self.assertEqual(y2026.amount_adjustment, -80.0)
        # negative: the customer owes it back, charged back by an invoice
        y2026.action_approve()
        charge_back = y2026.credit_move_id
        self.assertEqual(charge_back.move_type, "out_invoice")
        self.assertEqual(charge_back.amount_untaxed, 80.0)
        self.assertEqual(charge_back.key_account_contract_id, contract)

    def test_approve_creates_draft_credit_note_credited_when_posted(self):
        contract = self._rebate_contract()
        self._invoices(contract, [(date(2025, 2, 1), 6000.0)])
        self._run(date(2025, 3, 31), contract)
        q1 = self._settlements(contract)
        q1.with_user(self.ka_manager).action_approve()
        self.assertEqual(q1.state, "approved")
        note = q1.credit_move_id
        # the approver and finance open the settlement with its credit note
        for user in (self.ka_manager, self.accountant):
            self.assertEqual(Form(q1.with_user(user)).credit_move_id, note)
        self.assertEqual(note.move_type, "out_refund")
        self.assertEqual(note.state, "draft")
        self.assertEqual(note.partner_id, self.customer)
        self.assertEqual(note.amount_untaxed, 120.0)
        self.assertEqual(
            note.invoice_line_ids.product_id,
            self.env.ref(
                "key_account_settlement.key_account_rebate_settlement_product"
            ),
        )
        note.action_post()
        self.assertEqual(q1.state, "credited")
        note.button_draft()
        self.assertEqual(q1.state, "approved")
        note.action_post()
        self.assertEqual(q1.state, "credited")
        # the rebate credit note does not lower the invoiced base of the contract
        self._run(date(2025, 6, 30), contract)
        self.assertFalse(self._settlements(contract)[-1].adjustment_ids)
        with self.assertRaisesMessage(UserError, q1.name):
            q1.action_cancel()

    def test_cancel_approved_cancels_draft_credit_note_and_frees_period(self):
        contract = self._rebate_contract()
        self._invoices(contract, [(date(2025, 2, 1), 6000.0)])
        self._run(date(2025, 3, 31), contract)
        q1 = self._settlements(contract)
        q1.action_approve()
        note = q1.credit_move_id
        with self.assertRaisesMessage(UserError, q1.name):
            q1.action_approve()
        with self.assertRaises(AccessError):
            q1.with_user(self.accountant).action_cancel()
        q1.with_user(self.ka_manager).action_cancel()
        self.assertEqual((q1.state, note.state), ("cancelled", "cancel"))
        self._run(date(2025, 3, 31), contract)
        new_q1 = self._settlements(contract)
        self.assertEqual((new_q1.state, new_q1.amount_credit), ("computed", 120.0))
        self.assertNotEqual(new_q1, q1)

    def test_approve_nothing_to_credit(self):
        contract = self._rebate_contract()
        self._run(date(2025, 3, 31), contract)
        q1 = self._settlements(contract)
        q1.action_approve()
        self.assertEqual(q1.state, "credited")
        self.assertFalse(q1.credit_move_id)

    def test_wizard_computes_for_the_date(self):
        contract = self._rebate_contract()
        self._invoices(contract, [(date(2025, 2, 1), 2000.0)])
        wizard = Form(self.env["key.account.rebate.compute"].with_user(self.accountant))
        wizard.date = date(2025, 3, 31)
        wizard.contract_ids.add(contract)
        action = wizard.save().action_compute()
        settlement = self.Settlement.search(action["domain"])
        self.assertEqual(settlement.contract_id, contract)
        self.assertEqual(settlement.amount_credit, 20.0)

    def test_contract_in_another_currency(self):
        """A contract in another currency than the company's settles in its
        own currency: invoices in that currency at their own amount, others
        converted."""
        foreign = self.env.ref("base.USD")
        if foreign == self.company.currency_id:
            foreign = self.env.ref("base.EUR")
        foreign.active = True
        self.env["res.currency.rate"].create(
            {
                "name": date(2024, 12, 1),
                "currency_id": foreign.id,
                "company_id": self.company.id,
                "rate": 0.5,  # 1 company currency unit = 0.5 foreign
            }
        )
        contract = self._rebate_contract(currency_id=foreign.id)
        invoice = self._invoices(contract, [(date(2025, 2, 1), 6000.0)], post=False)
        invoice.currency_id = foreign
        company_invoice = self._invoices(contract, [(date(2025, 2, 2), 2000.0)])
        invoice.action_post()
        self.assertEqual(invoice.amount_untaxed_signed, 12000.0)
        self.assertEqual(company_invoice.currency_id, self.company.currency_id)
        self._run(date(2025, 3, 31), contract)
        q1 = self._settlements(contract)
        self.assertEqual(q1.currency_id, foreign)
        # 6,000 foreign + 2,000 company currency at 0.5
        self.assertEqual(q1.amount_base, 7000.0)
        self.assertEqual(q1.amount_due, 140.0)

    def test_cron_settles_ended_periods_and_contract_button(self):
        contract = self._rebate_contract(period="yearly")
        self._invoices(contract, [(date(2025, 2, 1), 2000.0)])
        self.Settlement._cron_compute_rebates()
        settlement = self._settlements(contract)
        self.assertEqual(settlement.amount_credit, 20.0)
        self.Settlement._cron_compute_rebates()
        self.assertEqual(self._settlements(contract), settlement)
        self.assertEqual(contract.rebate_settlement_count, 1)
        action = contract.action_view_rebate_settlements()
        self.assertEqual(self.Settlement.search(action["domain"]), settlement)
        # the form opens for an accountant (view fields readable by them)
        form = Form(settlement.with_user(self.accountant))
        self.assertEqual(form.amount_credit, 20.0)


@tagged("post_install", "-at_install")
class TestRebateSettlementRights(RebateCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls._rebate_contract()
        cls._invoices(cls.contract, [(date(2025, 2, 1), 2000.0)])
        cls.settlement = cls.Settlement._run_rebates(date(2025, 3, 31), cls.contract)

    def test_key_account_user_and_salesman_cannot_approve(self):
        for user in (self.ka_user, self.salesman):
            with self.assertRaises(AccessError):
                self.settlement.with_user(user).action_approve()
        self.assertEqual(self.settlement.state, "computed")

    def test_accountant_computes_but_cannot_approve(self):
        settlement = self.settlement.with_user(self.accountant)
        settlement.action_recompute()
        with self.assertRaisesMessage(AccessError, self.settlement.name):
            settlement.action_approve()
        self.settlement.with_user(self.account_manager).action_approve()
        self.assertEqual(self.settlement.state, "approved")

    def test_rpc_write_on_state_and_figures_refused(self):
        for user in (self.ka_manager, self.accountant, self.account_manager):
            for vals in ({"state": "credited"}, {"amount_due": 1e6}):
                with self.assertRaisesMessage(AccessError, self.settlement.name):
                    self.settlement.with_user(user).write(vals)
        with self.assertRaises(AccessError):
            self.Settlement.with_user(self.ka_manager).create(
                {"contract_id": self.contract.id}
            )
        # a note is free
        self.settlement.with_user(self.accountant).note = "Checked"

    def test_manual_adjustment_only_while_computed(self):
        Adjustment = self.env["key.account.rebate.settlement.adjustment"]
        Adjustment.with_user(self.accountant).create(
            {"settlement_id": self.settlement.id, "name": "Goodwill", "amount": 5.0}
        )
        self.assertEqual(self.settlement.amount_credit, 25.0)
        with self.assertRaises(AccessError):
            Adjustment.with_user(self.accountant).create(
                {
                    "settlement_id": self.settlement.id,
                    "name": "Fake late change",
                    "amount": 500.0,
                    "source_settlement_id": self.settlement.id,
                }
            )
        self.settlement.action_approve()
        with self.assertRaisesMessage(UserError, self.settlement.name):
            self.settlement.adjustment_ids.with_user(self.accountant).amount = 50.0

    def test_customer_never(self):
        portal = new_test_user(
            self.env,
            login="ka_rebate_portal",
            groups="base.group_portal",
            partner_id=self.customer.id,
        )
        with self.assertRaises(AccessError):
            self.settlement.with_user(portal).read(["amount_credit"])

    def test_multi_company_rule(self):
        other = self.env["res.company"].create({"name": "KA Other Company"})
        outsider = new_test_user(
            self.env,
            login="ka_rebate_other_accountant",
            groups="account.group_account_invoice",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        self.assertFalse(
            self.Settlement.with_user(outsider)
            .with_context(allowed_company_ids=other.ids)
            .search([("id", "=", self.settlement.id)])
        )
