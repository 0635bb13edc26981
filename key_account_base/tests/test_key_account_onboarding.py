# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from .common import KeyAccountBaseCommon


class TestKeyAccountOnboarding(KeyAccountBaseCommon):
    def _draft(self, name="Onboarding Customer", **vals):
        partner = self._create_key_account(name=name, approved=False, **vals)
        return partner.with_user(self.ka_user)

    def _messages(self, partner):
        return partner.sudo().message_ids.mapped("body")

    def _reject(self, partner, reason):
        action = partner.with_user(self.ka_manager).action_key_account_reject()
        self.assertEqual(action["res_model"], "key.account.reject.wizard")
        wizard_form = Form(
            self.env[action["res_model"]]
            .with_user(self.ka_manager)
            .with_context(**action["context"])
        )
        wizard_form.reason = reason
        wizard_form.save().action_reject()

    def test_submit_approve(self):
        partner = self._draft()
        self.assertEqual(partner.key_account_state, "draft")
        partner.action_key_account_submit()
        self.assertEqual(partner.key_account_state, "submitted")
        self.assertTrue(
            any("submitted for review" in body for body in self._messages(partner))
        )
        partner.with_user(self.ka_manager).action_key_account_approve()
        self.assertEqual(partner.key_account_state, "approved")
        self.assertTrue(any("approved" in body for body in self._messages(partner)))

    def test_reject_with_reason_then_resubmit(self):
        partner = self._draft()
        partner.action_key_account_submit()
        self._reject(partner, "Business licence scan is unreadable")
        self.assertEqual(partner.key_account_state, "rejected")
        self.assertEqual(
            partner.key_account_reject_reason, "Business licence scan is unreadable"
        )
        self.assertTrue(
            any(
                "Business licence scan is unreadable" in b
                for b in self._messages(partner)
            )
        )
        partner.action_key_account_reset_draft()
        self.assertEqual(partner.key_account_state, "draft")
        partner.action_key_account_submit()
        partner.with_user(self.ka_manager).action_key_account_approve()
        self.assertEqual(partner.key_account_state, "approved")
        self.assertFalse(partner.key_account_reject_reason)

    def test_submitted_back_to_draft(self):
        partner = self._draft()
        partner.action_key_account_submit()
        partner.action_key_account_reset_draft()
        self.assertEqual(partner.key_account_state, "draft")

    def test_suspend_and_reinstate(self):
        partner = self._create_key_account(name="Suspended Customer")
        manager_partner = partner.with_user(self.ka_manager)
        manager_partner.action_key_account_suspend()
        self.assertEqual(partner.key_account_state, "suspended")
        self.assertTrue(any("suspended" in body for body in self._messages(partner)))
        self.assertNotIn(
            partner,
            self.env["res.partner"].search(
                [("is_key_account", "=", True), ("key_account_state", "=", "approved")]
            ),
        )
        manager_partner.action_key_account_reinstate()
        self.assertEqual(partner.key_account_state, "approved")
        self.assertTrue(any("reinstated" in body for body in self._messages(partner)))

    def test_user_cannot_approve_reject_suspend(self):
        partner = self._draft()
        partner.action_key_account_submit()
        with self.assertRaisesMessage(AccessError, "Only a Key Account Manager"):
            partner.action_key_account_approve()
        with self.assertRaisesMessage(AccessError, "Only a Key Account Manager"):
            partner.action_key_account_reject()
        with self.assertRaisesMessage(AccessError, "Only a Key Account Manager"):
            partner._key_account_reject("No reason to be here")
        with self.assertRaises(AccessError):
            self.env["key.account.reject.wizard"].with_user(self.ka_user).create(
                {"partner_ids": partner.ids, "reason": "Not allowed"}
            )
        self.assertEqual(partner.key_account_state, "submitted")
        approved = self._create_key_account(name="Approved Customer")
        with self.assertRaisesMessage(AccessError, "Only a Key Account Manager"):
            approved.with_user(self.ka_user).action_key_account_suspend()
        self.assertEqual(approved.key_account_state, "approved")

    def test_user_cannot_write_state_directly(self):
        partner = self._draft()
        partner.action_key_account_submit()
        with self.assertRaisesMessage(AccessError, "review buttons"):
            partner.write({"key_account_state": "approved"})
        with self.assertRaisesMessage(AccessError, "review status other than Draft"):
            self.env["res.partner"].with_user(self.ka_user).create(
                self._key_account_vals("Sneaky", key_account_state="approved")
            )
        self.assertEqual(partner.key_account_state, "submitted")

    def test_user_cannot_unflag_reviewed_key_account(self):
        approved = self._create_key_account(name="Flagged Customer")
        with self.assertRaisesMessage(AccessError, "Flagged Customer"):
            approved.with_user(self.ka_user).is_key_account = False
        self.assertTrue(approved.is_key_account)
        draft = self._draft(name="Draft Flag")
        draft.is_key_account = False
        self.assertFalse(draft.is_key_account)
        approved.with_user(self.ka_manager).is_key_account = False
        self.assertFalse(approved.is_key_account)

    def test_user_turns_existing_company_into_key_account(self):
        company = self.env["res.partner"].create(
            {"name": "Existing Company", "is_company": True}
        )
        company.with_user(self.ka_user).write({"is_key_account": True})
        self.assertEqual(company.key_account_state, "draft")
        self.assertEqual(company.company_id, self.company)
        self.assertTrue(company.key_account_code)

    def test_reviewed_credit_code_locked_for_users(self):
        approved = self._create_key_account(name="Locked Code Co")
        code = approved.company_registry
        other_code = self._next_uscc()
        with self.assertRaisesMessage(AccessError, "Locked Code Co"):
            approved.with_user(self.ka_user).company_registry = other_code
        self.assertEqual(approved.company_registry, code)
        # same code, other spelling: no change, allowed
        approved.with_user(self.ka_user).company_registry = code.lower()
        self.assertEqual(approved.company_registry, code)
        approved.with_user(self.ka_manager).company_registry = other_code
        self.assertEqual(approved.company_registry, other_code)
        draft = self._draft(name="Draft Code Co")
        draft.company_registry = code
        self.assertEqual(draft.company_registry, code)

    def test_reviewed_data_locked_for_users(self):
        approved = self._create_key_account(name="Reviewed Data Co")
        as_user = approved.with_user(self.ka_user)
        # everyday contact data stays open to the key-account team
        as_user.write({"phone": "021-60000000", "email": "buyer@reviewed.example"})
        with self.assertRaisesMessage(AccessError, "Reviewed Data Co"):
            as_user.name = "Renamed Co"
        with self.assertRaisesMessage(AccessError, "Invoice Title"):
            as_user.key_account_invoice_title = "别的抬头"
        self.assertEqual(approved.name, "Reviewed Data Co")
        # writing the same value again is no change
        as_user.write({"name": "Reviewed Data Co"})
        approved.with_user(self.ka_manager).name = "Renamed Co"
        self.assertEqual(approved.name, "Renamed Co")
        # a draft is the team's to edit
        draft = self._draft(name="Draft Data Co").with_user(self.ka_user)
        draft.key_account_legal_representative = "李四"
        self.assertEqual(draft.key_account_legal_representative, "李四")

    def test_refused_transitions(self):
        partner = self._draft().with_user(self.ka_manager)
        with self.assertRaisesMessage(UserError, "cannot go from Draft to Approved"):
            partner.action_key_account_approve()
        with self.assertRaisesMessage(UserError, "cannot go from Draft to Suspended"):
            partner.action_key_account_suspend()
        approved = self._create_key_account(name="Approved").with_user(self.ka_manager)
        with self.assertRaisesMessage(UserError, "cannot go from Approved to Draft"):
            approved.action_key_account_reset_draft()
        self.assertEqual(partner.key_account_state, "draft")
        self.assertEqual(approved.key_account_state, "approved")

    def test_reject_requires_reason(self):
        partner = self._draft()
        partner.action_key_account_submit()
        manager_partner = partner.with_user(self.ka_manager)
        with self.assertRaisesMessage(UserError, "reason for rejecting"):
            manager_partner._key_account_reject("   ")
        # the status is written by the review methods only (issue 8)
        with self.assertRaisesMessage(AccessError, "review buttons"):
            manager_partner.write({"key_account_state": "rejected"})
        wizard_form = Form(
            self.env["key.account.reject.wizard"]
            .with_user(self.ka_manager)
            .with_context(default_partner_ids=partner.ids)
        )
        with self.assertRaises(AssertionError):
            wizard_form.save()  # reason is required
        self.assertEqual(partner.key_account_state, "submitted")

    def test_submit_incomplete_data_lists_missing(self):
        partner = self._draft(
            name="Incomplete Co",
            company_registry=False,
            key_account_legal_representative=False,
            city=False,
            vat=False,
            phone=False,
            bank_ids=False,
        )
        with self.assertRaises(UserError) as ctx:
            partner.action_key_account_submit()
        message = str(ctx.exception)
        self.assertIn("Incomplete Co", message)
        for label in (
            "Unified Social Credit Code",
            "Legal Representative",
            "City",
            "Tax ID",
            "Bank Account",
            "Phone",
        ):
            self.assertIn(label, message)
        self.assertNotIn("Street", message)
        self.assertNotIn("Invoice Type", message)
        self.assertEqual(partner.key_account_state, "draft")

    def test_submit_ordinary_invoice_needs_less(self):
        partner = self._draft(
            name="Ordinary Co",
            key_account_invoice_type="vat_ordinary",
            vat=False,
            bank_ids=False,
            phone=False,
            street=False,
        )
        # the invoice title defaults to the company name
        self.assertEqual(partner.key_account_invoice_title, "Ordinary Co")
        partner.action_key_account_submit()
        self.assertEqual(partner.key_account_state, "submitted")
        # emptied after submission (only a manager can): approval refuses it
        partner.with_user(self.ka_manager).key_account_invoice_type = False
        with self.assertRaisesMessage(UserError, "Invoice Type"):
            partner.with_user(self.ka_manager).action_key_account_approve()

    def test_submit_checks_credit_code(self):
        partner = self._draft(name="Code Check Co")
        # bypass the constraint to simulate data imported before validation
        self.env.cr.execute(
            "UPDATE res_partner SET company_registry = %s WHERE id = %s",
            ("91110105MA01C7K2X0", partner.id),
        )
        partner.invalidate_recordset(["company_registry"])
        with self.assertRaisesMessage(UserError, "wrong check digit"):
            partner.action_key_account_submit()

    def test_submit_checks_duplicate(self):
        first = self._create_key_account(name="Original Holder")
        partner = self._draft(name="Late Duplicate")
        self.env.cr.execute(
            "UPDATE res_partner SET company_registry = %s WHERE id = %s",
            (first.company_registry, partner.id),
        )
        partner.invalidate_recordset(["company_registry"])
        with self.assertRaisesMessage(UserError, "Original Holder"):
            partner.action_key_account_submit()
