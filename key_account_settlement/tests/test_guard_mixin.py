# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Statements and rebate settlements guard their fields and states with
key_account_base's key.account.guard.mixin, in their own words."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.key_account_base.tests.common import KeyAccountBaseCommon


@tagged("post_install", "-at_install")
class TestSettlementGuardMixin(KeyAccountBaseCommon):
    def test_models_use_the_mixin(self):
        mixin = type(self.env["key.account.guard.mixin"])
        for model in (
            "key.account.statement",
            "key.account.statement.line",
            "key.account.rebate.settlement",
            "key.account.rebate.settlement.adjustment",
        ):
            self.assertTrue(issubclass(type(self.env[model]), mixin), model)

    def test_one_copy_of_the_helpers(self):
        """The rights and state helpers are the mixin's, not a copy per
        model."""
        for model in (
            "key.account.contract",
            "key.account.statement",
            "key.account.rebate.settlement",
            "sale.order",
            "res.partner",
        ):
            for name in ("_check_state", "_is_manager"):
                self.assertFalse(hasattr(self.env[model], name), f"{model}.{name}")

    def test_statement_guarded_fields(self):
        guarded = self.env["key.account.statement"]._key_account_guarded_fields()
        for name in ("state", "partner_id", "closing_balance", "line_ids", "name"):
            self.assertIn(name, guarded)
        # the note and the chatter's fields are free
        for name in ("note", "message_follower_ids", "activity_ids"):
            self.assertNotIn(name, guarded)

    def test_statement_line_guarded_fields(self):
        Line = self.env["key.account.statement.line"]
        guarded = Line._key_account_guarded_fields()
        # a line comes from the ledger: every field of it
        self.assertEqual(set(guarded), set(Line._fields))

    def test_rebate_settlement_guarded_fields(self):
        Settlement = self.env["key.account.rebate.settlement"]
        guarded = Settlement._key_account_guarded_fields()
        for name in ("state", "amount_due", "credit_move_id", "contract_id"):
            self.assertIn(name, guarded)
        for name in ("note", "adjustment_ids", "message_follower_ids"):
            self.assertNotIn(name, guarded)

    def test_adjustment_guarded_fields(self):
        Adjustment = self.env["key.account.rebate.settlement.adjustment"]
        self.assertEqual(
            set(Adjustment._key_account_guarded_fields()),
            {"source_settlement_id", "base_settled", "base_now"},
        )
        error = Adjustment._key_account_guard_error(["base_now"])
        self.assertIn("written by the rebate computation only", str(error))

    def test_state_helper_speaks_of_the_record(self):
        statement = self.env["key.account.statement"].new(
            {"name": "ST/GUARD/1", "state": "sent"}
        )
        statement._key_account_check_state(("sent",), "Confirmation")
        with self.assertRaisesMessage(
            UserError,
            "Sending is not possible for statement ST/GUARD/1 in status Sent.",
        ):
            statement._key_account_check_state(("draft",), "Sending")
        settlement = self.env["key.account.rebate.settlement"].new(
            {"name": "RB/GUARD/1", "state": "approved"}
        )
        with self.assertRaisesMessage(
            UserError,
            "Recomputation is not possible for rebate settlement RB/GUARD/1 in "
            "status Approved.",
        ):
            settlement._key_account_check_state(("computed",), "Recomputation")
