# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Onboarding authority (issue 8, finding 5): only the review methods make a
key account submitted or approved, and the reviewed data (bank accounts,
invoice address, company, customer code included) changes only through a
Key Account Manager."""

from odoo import Command
from odoo.exceptions import AccessError

from .common import KeyAccountBaseCommon


class TestKeyAccountAuthority(KeyAccountBaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.approved = cls._create_key_account("Authority Approved Co")
        cls.invoice_contact = cls.Partner.create(
            {
                "name": "Authority Finance Dept",
                "parent_id": cls.approved.id,
                "type": "invoice",
                "street": "建国门外大街 1 号",
                "city": "北京市",
            }
        )

    def _state_of(self, name):
        partner = self.Partner.with_context(active_test=False).search(
            [("name", "=", name)]
        )
        return partner.is_key_account, partner.key_account_state

    # ------------------------------------------------------------------
    # Finding 5: no path but the review methods yields a reviewed account
    # ------------------------------------------------------------------
    def test_finding5_user_create_approved_then_flag_refused(self):
        """The reproduction of finding 5: a company created with the approved
        status, then flagged as a key account."""
        Partner = self.Partner.with_user(self.ka_user)
        with self.assertRaisesMessage(AccessError, "Finding Five Co", "review"):
            Partner.create(
                {
                    "name": "Finding Five Co",
                    "is_company": True,
                    "key_account_state": "approved",
                }
            )
        # the same state already on a plain partner (data from before, or
        # an unflagged key account): flagging starts the review at draft
        plain = self.Partner.create(
            {
                "name": "Finding Five Plain Co",
                "is_company": True,
                "key_account_state": "approved",
            }
        )
        plain.with_user(self.ka_user).write({"is_key_account": True})
        self.assertEqual(plain.key_account_state, "draft")

    def test_flag_with_state_in_same_write_refused(self):
        plain = self.Partner.create({"name": "Flag And Approve Co", "is_company": True})
        for user in (self.ka_user, self.ka_manager):
            with self.assertRaisesMessage(AccessError, "Flag And Approve Co"):
                plain.with_user(user).write(
                    {"is_key_account": True, "key_account_state": "approved"}
                )
        self.assertFalse(plain.is_key_account)

    def test_manager_changes_state_only_through_review_methods(self):
        partner = self._create_key_account("Manager Direct Co", approved=False)
        partner.with_user(self.ka_user).action_key_account_submit()
        manager_partner = partner.with_user(self.ka_manager)
        with self.assertRaisesMessage(AccessError, "Manager Direct Co"):
            manager_partner.write({"key_account_state": "approved"})
        with self.assertRaisesMessage(AccessError, "Manager Created Co"):
            self.Partner.with_user(self.ka_manager).create(
                self._key_account_vals(
                    "Manager Created Co", key_account_state="approved"
                )
            )
        self.assertEqual(partner.key_account_state, "submitted")
        # writing the current status again changes nothing: accepted
        manager_partner.write({"key_account_state": "submitted"})
        manager_partner.action_key_account_approve()
        self.assertEqual(partner.key_account_state, "approved")

    def test_rejection_reason_written_by_the_review_only(self):
        partner = self._create_key_account("Reason Co", approved=False)
        partner.with_user(self.ka_user).action_key_account_submit()
        partner.with_user(self.ka_manager)._key_account_reject("Licence expired")
        for user in (self.ka_user, self.ka_manager):
            with self.assertRaisesMessage(AccessError, "Reason Co", "Reject button"):
                partner.with_user(user).key_account_reject_reason = "All fine"
        self.assertEqual(partner.key_account_reject_reason, "Licence expired")

    def test_unflag_and_reflag_restarts_at_draft(self):
        partner = self._create_key_account("Reflag Co")
        partner.with_user(self.ka_manager).is_key_account = False
        self.assertFalse(partner.key_account_state)
        for user in (self.ka_user, self.ka_manager):
            partner.with_user(user).is_key_account = True
            self.assertEqual(partner.key_account_state, "draft")
            partner.with_user(user).is_key_account = False
        # a status left on an unflagged partner does not survive the flag
        self.env.cr.execute(
            "UPDATE res_partner SET key_account_state = 'approved' WHERE id = %s",
            (partner.id,),
        )
        partner.invalidate_recordset(["key_account_state"])
        partner.with_user(self.ka_user).is_key_account = True
        self.assertEqual(partner.key_account_state, "draft")

    def test_copy_yields_no_reviewed_account(self):
        user_approved = self.approved.with_user(self.ka_user)
        duplicate = user_approved.copy({"company_registry": self._next_uscc()})
        self.assertFalse(duplicate.is_key_account)
        self.assertFalse(duplicate.key_account_state)
        flagged = user_approved.copy(
            {"company_registry": self._next_uscc(), "is_key_account": True}
        )
        self.assertEqual(flagged.key_account_state, "draft")
        with self.assertRaisesMessage(AccessError, "review"):
            user_approved.copy(
                {
                    "company_registry": self._next_uscc(),
                    "is_key_account": True,
                    "key_account_state": "approved",
                }
            )

    def test_import_yields_no_reviewed_account(self):
        Partner = self.Partner.with_user(self.ka_user)
        result = Partner.load(
            ["name", "is_company", "is_key_account", "key_account_state"],
            [["Imported Approved Co", "1", "1", "approved"]],
        )
        self.assertFalse(result["ids"])
        self.assertTrue(
            any(m["type"] == "error" for m in result["messages"]), result["messages"]
        )
        self.assertEqual(self._state_of("Imported Approved Co"), (False, False))
        # an update of an existing key account through the import as well
        draft = self._create_key_account("Imported Draft Co", approved=False)
        result = Partner.load(
            [".id", "key_account_state"], [[str(draft.id), "approved"]]
        )
        self.assertTrue(
            any(m["type"] == "error" for m in result["messages"]), result["messages"]
        )
        self.assertEqual(draft.key_account_state, "draft")

    def test_flagging_keeps_the_partner_company(self):
        company_b = self.env["res.company"].create({"name": "KA Flag Company B"})
        self.ka_user.company_ids |= company_b
        partner = self.Partner.create(
            {
                "name": "Company B Partner",
                "is_company": True,
                "company_id": company_b.id,
            }
        )
        # the user works in their main company, company B allowed as well
        partner.with_user(self.ka_user).with_context(
            allowed_company_ids=[self.company.id, company_b.id]
        ).write({"is_key_account": True})
        self.assertEqual(partner.company_id, company_b)
        self.assertEqual(partner.key_account_state, "draft")

    # ------------------------------------------------------------------
    # Reviewed data: bank accounts, invoice address, company, customer code
    # ------------------------------------------------------------------
    def test_reviewed_bank_accounts_locked_for_users(self):
        bank_account = self.approved.bank_ids
        Bank = self.env["res.partner.bank"].with_user(self.ka_user)
        with self.assertRaisesMessage(AccessError, "Authority Approved Co"):
            Bank.create({"partner_id": self.approved.id, "acc_number": "6222 0000 1"})
        with self.assertRaisesMessage(AccessError, "Authority Approved Co"):
            bank_account.with_user(self.ka_user).acc_number = "6222 0000 2"
        with self.assertRaisesMessage(AccessError, "Authority Approved Co"):
            bank_account.with_user(self.ka_user).unlink()
        with self.assertRaisesMessage(AccessError, "Authority Approved Co"):
            self.approved.with_user(self.ka_user).write(
                {"bank_ids": [Command.create({"acc_number": "6222 0000 3"})]}
            )
        self.assertEqual(self.approved.bank_ids, bank_account)
        # moving another partner's account onto the approved one
        plain = self.Partner.create({"name": "Bank Owner"})
        plain_account = self.env["res.partner.bank"].create(
            {"partner_id": plain.id, "acc_number": "6222 0000 4"}
        )
        with self.assertRaisesMessage(AccessError, "Authority Approved Co"):
            plain_account.with_user(self.ka_user).partner_id = self.approved
        # a draft key account's accounts are the team's to edit
        draft = self._create_key_account("Bank Draft Co", approved=False)
        Bank.create({"partner_id": draft.id, "acc_number": "6222 0000 5"})
        draft.bank_ids[0].with_user(self.ka_user).acc_number = "6222 0000 6"
        # the manager changes the reviewed ones
        Bank.with_user(self.ka_manager).create(
            {"partner_id": self.approved.id, "acc_number": "6222 0000 7"}
        )
        bank_account.with_user(self.ka_manager).unlink()
        self.assertEqual(self.approved.bank_ids.acc_number, "6222 0000 7")

    def test_reviewed_invoice_address_locked_for_users(self):
        contact = self.invoice_contact.with_user(self.ka_user)
        with self.assertRaisesMessage(AccessError, "Authority Approved Co"):
            contact.street = "别的地址"
        with self.assertRaisesMessage(AccessError, "Authority Approved Co"):
            contact.unlink()
        with self.assertRaisesMessage(AccessError, "Authority Approved Co"):
            contact.active = False
        with self.assertRaisesMessage(AccessError, "Authority Approved Co"):
            self.Partner.with_user(self.ka_user).create(
                {
                    "name": "Second Invoice Address",
                    "parent_id": self.approved.id,
                    "type": "invoice",
                    "street": "别的地址",
                }
            )
        buyer = self.Partner.create(
            {"name": "Authority Buyer", "parent_id": self.approved.id}
        )
        with self.assertRaisesMessage(AccessError, "Authority Approved Co"):
            buyer.with_user(self.ka_user).type = "invoice"
        self.assertEqual(self.invoice_contact.street, "建国门外大街 1 号")
        # everyday contacts and delivery addresses stay open to the team
        buyer.with_user(self.ka_user).write({"phone": "010-65000001"})
        self.Partner.with_user(self.ka_user).create(
            {
                "name": "Authority Warehouse",
                "parent_id": self.approved.id,
                "type": "delivery",
            }
        )
        self.invoice_contact.with_user(self.ka_manager).street = "别的地址"
        self.assertEqual(self.invoice_contact.street, "别的地址")

    def test_reviewed_company_and_code_locked_for_users(self):
        company_b = self.env["res.company"].create({"name": "KA Move Company B"})
        self.ka_user.company_ids |= company_b
        self.ka_manager.company_ids |= company_b
        as_user = self.approved.with_user(self.ka_user)
        with self.assertRaisesMessage(AccessError, "Authority Approved Co"):
            as_user.company_id = company_b
        with self.assertRaisesMessage(AccessError, "Authority Approved Co"):
            as_user.key_account_code = "KA99999"
        self.assertEqual(self.approved.company_id, self.company)
        code = self.approved.key_account_code
        as_user.write({"key_account_code": code, "company_id": self.company.id})
        self.approved.with_user(self.ka_manager).key_account_code = "KA99999"
        self.assertEqual(self.approved.key_account_code, "KA99999")
