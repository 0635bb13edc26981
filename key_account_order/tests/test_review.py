# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import give_key_account_price
from .test_import import KeyAccountImportCommon


@tagged("post_install", "-at_install")
class TestReviewPool(KeyAccountImportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_user = new_test_user(
            cls.env,
            login="ka_portal_buyer",
            name="客户采购员",
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.portal_user.partner_id.parent_id = cls.customer
        cls.internal_user = new_test_user(
            cls.env,
            login="ka_plain_employee",
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )

    def setUp(self):
        super().setUp()
        self.order = self._create_allocated_order(user_id=self.ka_user.id)

    def _submit_from_portal(self, order=None):
        # The portal checks the customer's access, then submits through sudo.
        order = order or self.order
        order.with_user(self.portal_user).sudo().action_key_account_submit_review()

    def _messages(self, order=None):
        return "\n".join((order or self.order).message_ids.mapped("body"))

    def test_portal_submission_waits_in_pool(self):
        self.assertNotEqual(self.order.key_account_review_state, "pending")
        self._submit_from_portal()
        self.assertEqual(self.order.key_account_review_state, "pending")
        self.assertEqual(self.order.state, "draft")
        self.assertIn("submitted for review", self._messages())
        action = self.env.ref("key_account_order.sale_order_action_key_account_review")
        pool = self.env["sale.order"].search(
            [
                ("key_account_review_state", "=", "pending"),
                ("id", "in", (self.order | self._create_allocated_order()).ids),
            ]
        )
        self.assertEqual(pool, self.order)
        self.assertIn("key_account_review_pending", action.context)
        with self.assertRaisesMessage(UserError, "waiting in the review pool"):
            self.order.action_confirm()
        with self.assertRaisesMessage(UserError, "already waiting for review"):
            self._submit_from_portal()

    def test_approve_confirms_the_order(self):
        self._submit_from_portal()
        self.order.with_user(self.ka_manager).action_key_account_review_approve()
        self.assertEqual(self.order.key_account_review_state, "approved")
        self.assertEqual(self.order.state, "sale")
        self.assertTrue(self.order.picking_ids)
        self.assertIn("approved by KA Test Manager", self._messages())
        with self.assertRaisesMessage(UserError, "Only orders waiting"):
            self.order.with_user(self.ka_manager).action_key_account_review_approve()

    def test_only_approvers_review(self):
        self._submit_from_portal()
        # Even through sudo, the customer (or an employee without approval
        # rights, a Key Account User included) can neither approve nor send back.
        for user in (self.portal_user, self.internal_user, self.ka_user):
            with self.assertRaises(AccessError):
                self.order.with_user(user).sudo().action_key_account_review_approve()
            with self.assertRaises(AccessError):
                self.order.with_user(user).sudo().action_key_account_review_return("no")
        self.assertEqual(self.order.key_account_review_state, "pending")
        self.assertEqual(self.order.state, "draft")
        # Managers review too.
        self.order.with_user(self.ka_manager).action_key_account_review_approve()
        self.assertEqual(self.order.state, "sale")

    def test_send_back_needs_a_reason(self):
        self.order.action_quotation_sent()
        self._submit_from_portal()
        wizard_form = Form(
            self.env["key.account.review.return.wizard"]
            .with_user(self.ka_manager)
            .with_context(active_model="sale.order", active_ids=self.order.ids)
        )
        with self.assertRaises(AssertionError):  # reason is required
            wizard_form.save()
        with self.assertRaisesMessage(UserError, "Give the reason"):
            self.order.with_user(self.ka_manager).action_key_account_review_return("  ")
        self.assertEqual(self.order.key_account_review_state, "pending")
        reason = "第 3 位收件人的地址不完整，请补充后重新提交。"
        wizard_form.reason = reason
        wizard_form.save().action_return()
        self.assertEqual(self.order.key_account_review_state, "returned")
        self.assertEqual(self.order.key_account_review_note, reason)
        self.assertEqual(self.order.state, "draft", "back to quotation")
        self.assertIn(reason, self._messages())
        # The customer fixes the order and submits it again.
        self._submit_from_portal()
        self.assertEqual(self.order.key_account_review_state, "pending")
        self.assertFalse(self.order.key_account_review_note)

    def test_submit_refused_for_confirmed_order(self):
        self.order.action_confirm()
        with self.assertRaisesMessage(UserError, "Only a quotation can be submitted"):
            self._submit_from_portal()

    def test_settings_toggle_company_auto_approval(self):
        settings = (
            self.env["res.config.settings"]
            .with_company(self.company)
            .create({"key_account_review_auto_approve": True})
        )
        settings.execute()
        self.assertTrue(self.company.key_account_review_auto_approve)
        self.assertFalse(
            self.env.ref("base.main_company").key_account_review_auto_approve
        )


@tagged("post_install", "-at_install")
class TestReviewAutoApproval(KeyAccountImportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.key_account_review_auto_approve = True
        give_key_account_price(cls.env, cls.product | cls.product_tea)
        cls.contract = cls._create_active_contract()

    @classmethod
    def _create_active_contract(cls, partner=None, **vals):
        today = fields.Date.context_today(cls.env.user)
        contract = cls.env["key.account.contract"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "company_id": cls.company.id,
                "date_start": today - relativedelta(days=1),
                "date_end": today + relativedelta(years=1),
                **vals,
            }
        )
        contract.action_confirm()
        return contract

    def _notes(self, order):
        return "".join(order.message_ids.mapped("body"))

    def test_auto_approval_off_keeps_pending(self):
        self.company.key_account_review_auto_approve = False
        order = self._create_allocated_order()
        order.action_key_account_submit_review()
        self.assertEqual(order.key_account_review_state, "pending")
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.key_account_review_note)

    def test_auto_approval_confirms_order_within_contract(self):
        self.assertEqual(self.contract.state, "active")
        order = self._create_allocated_order()
        self.assertEqual(order.key_account_contract_id, self.contract)
        order.action_key_account_submit_review()
        self.assertEqual(order.key_account_review_state, "approved")
        self.assertEqual(order.state, "sale")
        self.assertIn("approved automatically", self._notes(order))

    def test_auto_approval_refused_for_incomplete_allocations(self):
        order = self._create_allocated_order()
        order.order_line.product_uom_qty += 5
        order.action_key_account_submit_review()
        self.assertEqual(order.key_account_review_state, "pending")
        self.assertEqual(order.state, "draft")
        # the confirmation step's own reason (one computation)
        self.assertIn("allocations must add up", order.key_account_review_note)
        self.assertIn("Not approved automatically", self._notes(order))

    def test_auto_approval_refused_without_contract(self):
        order = self._create_allocated_order()
        order.key_account_contract_id = False
        order.action_key_account_submit_review()
        self.assertEqual(order.key_account_review_state, "pending")
        self.assertIn("no contract", order.key_account_review_note)

    def test_auto_approval_refused_over_credit(self):
        self.contract.credit_limit = 100.0
        order = self._create_allocated_order(quantities=(1, 1))
        self.assertGreater(order.amount_total, self.contract.credit_available)
        order.action_key_account_submit_review()
        self.assertEqual(order.key_account_review_state, "pending")
        self.assertEqual(order.state, "draft")
        # the credit step of key_account_settlement when installed, else the
        # contract's credit available
        self.assertRegex(
            order.key_account_review_note, "on credit hold|exceeds the credit available"
        )
        # Within the credit it goes through.
        self.contract.credit_limit = 100000.0
        order.key_account_review_state = "returned"
        order.action_key_account_submit_review()
        self.assertEqual(order.state, "sale")
