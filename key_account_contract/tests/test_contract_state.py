# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import KeyAccountContractCommon


@tagged("post_install", "-at_install")
class TestContractState(KeyAccountContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_key_account("KA State Customer")
        cls.customer.user_id = cls.ka_manager
        cls.Contract = cls.env["key.account.contract"]

    def test_number_and_confirm(self):
        contract = self._create_contract(self.customer, activate=False)
        self.assertEqual(contract.state, "draft")
        self.assertTrue(contract.name.startswith("KAC/"), contract.name)
        self.assertTrue(contract.pricelist_id)
        contract.action_confirm()
        self.assertEqual(contract.state, "active")
        self.assertEqual(contract.date_signed, self.today)
        self.assertEqual(
            self.Contract._get_active_contract(self.customer, company=self.company),
            contract,
        )

    def test_customer_must_be_approved(self):
        draft_customer = self._create_key_account("KA Draft Customer", approved=False)
        with self.assertRaisesMessage(ValidationError, "KA Draft Customer"):
            self._create_contract(draft_customer, activate=False)

    def test_cron_activates_expires_and_reminds_once(self):
        start = self.today + relativedelta(days=5)
        end = self.today + relativedelta(days=40)
        contract = self._create_contract(self.customer, date_start=start, date_end=end)
        self.assertEqual(contract.state, "confirmed")
        with freeze_time(self.today + relativedelta(days=4)):
            self.Contract._cron_update_contract_states()
        self.assertEqual(contract.state, "confirmed")
        with freeze_time(start):
            self.Contract._cron_update_contract_states()
        self.assertEqual(contract.state, "active")
        self.assertFalse(contract.activity_ids)
        with freeze_time(end - relativedelta(days=30)):
            self.Contract._cron_update_contract_states()
            self.Contract._cron_update_contract_states()
        self.assertEqual(len(contract.activity_ids), 1)
        self.assertEqual(contract.activity_ids.user_id, self.ka_manager)
        self.assertEqual(
            contract.activity_ids.date_deadline, end - relativedelta(days=30)
        )
        with freeze_time(end):
            self.Contract._cron_update_contract_states()
        self.assertEqual(contract.state, "active")
        with freeze_time(end + relativedelta(days=1)):
            self.Contract._cron_update_contract_states()
        self.assertEqual(contract.state, "expired")
        self.assertEqual(len(contract.activity_ids), 1)

    def test_overlap_refused(self):
        first = self._create_contract(self.customer)
        second = self._create_contract(
            self.customer,
            activate=False,
            date_start=first.date_end - relativedelta(days=10),
            date_end=first.date_end + relativedelta(months=6),
        )
        with self.assertRaisesMessage(ValidationError, first.name):
            second.action_confirm()
        self.assertEqual(second.state, "draft")
        # after the first one, it is fine
        second.date_start = first.date_end + relativedelta(days=1)
        second.action_confirm()
        self.assertEqual(second.state, "confirmed")
        # another customer is not affected
        other = self._create_contract(self._create_key_account("KA Other"))
        self.assertEqual(other.state, "active")

    def test_transitions(self):
        contract = self._create_contract(self.customer)
        with self.assertRaises(UserError):
            contract.action_cancel()
        contract.action_terminate()
        self.assertEqual(contract.state, "terminated")
        with self.assertRaises(UserError):
            contract.action_draft()
        draft = self._create_contract(self.customer, activate=False)
        draft.action_cancel()
        self.assertEqual(draft.state, "cancelled")
        draft.action_draft()
        self.assertEqual(draft.state, "draft")
        with self.assertRaises(UserError):
            contract.unlink()
        pricelist = draft.pricelist_id
        draft.unlink()
        self.assertFalse(pricelist.exists())

    def test_renew(self):
        contract = self._create_contract(
            self.customer,
            discount=7.0,
            discount_line_ids=[
                Command.create({"categ_id": self.categ_a.id, "discount": 12.0})
            ],
            rebate_tier_ids=[Command.create({"amount_from": 1000.0, "rate": 2.0})],
        )
        action = contract.action_renew()
        renewal = self.Contract.browse(action["res_id"])
        self.assertEqual(renewal.state, "draft")
        self.assertEqual(renewal.previous_contract_id, contract)
        self.assertEqual(contract.renewal_count, 1)
        self.assertEqual(renewal.date_start, contract.date_end + relativedelta(days=1))
        self.assertGreater(renewal.date_end, renewal.date_start)
        self.assertNotEqual(renewal.name, contract.name)
        self.assertEqual(renewal.discount_line_ids.discount, 12.0)
        self.assertEqual(renewal.rebate_tier_ids.rate, 2.0)
        self.assertNotEqual(renewal.pricelist_id, contract.pricelist_id)
        renewal.action_confirm()
        self.assertEqual(renewal.state, "confirmed")
