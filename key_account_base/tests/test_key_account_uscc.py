# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from stdnum.cn import uscc

from odoo.exceptions import ValidationError

from .common import KeyAccountBaseCommon, make_uscc


class TestKeyAccountUscc(KeyAccountBaseCommon):
    def test_helper_creates_approved_key_account(self):
        partner = self._create_key_account(name="Helper Customer")
        self.assertTrue(partner.is_key_account)
        self.assertEqual(partner.key_account_state, "approved")
        self.assertTrue(uscc.is_valid(partner.company_registry))
        self.assertEqual(partner.company_id, self.company)
        draft = self._create_key_account(name="Draft Customer", approved=False)
        self.assertEqual(draft.key_account_state, "draft")
        self.assertNotEqual(draft.company_registry, partner.company_registry)

    def test_valid_code(self):
        code = make_uscc(123456789)
        self.assertTrue(uscc.is_valid(code))
        partner = self._create_key_account(company_registry=code)
        self.assertEqual(partner.company_registry, code)

    def test_wrong_checksum(self):
        code = make_uscc(123456789)
        wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
        with self.assertRaisesMessage(ValidationError, "wrong check digit") as ctx:
            self._create_key_account(name="Bad Checksum Co", company_registry=wrong)
        self.assertIn("Bad Checksum Co", str(ctx.exception))
        self.assertIn(wrong, str(ctx.exception))

    def test_lower_case_and_separators_normalised(self):
        code = make_uscc(2024, region="310115", prefix="91")[:8] + "MA1H8N3Q2"
        code += uscc.calc_check_digit(code)
        messy = f" {code[:2]} {code[2:8]}-{code[8:]} ".lower()
        partner = self._create_key_account(company_registry=messy)
        self.assertEqual(partner.company_registry, code)
        # on write as well
        other = make_uscc(99, region="440300")
        partner.write({"company_registry": f"{other[:9].lower()} - {other[9:]}"})
        self.assertEqual(partner.company_registry, other)

    def test_existing_partner_becomes_key_account_normalised(self):
        code = make_uscc(4242)
        partner = self.env["res.partner"].create(
            {"name": "Plain Company", "is_company": True, "company_registry": code}
        )
        partner.company_registry = code.lower()
        self.assertEqual(partner.company_registry, code.lower())
        partner.is_key_account = True
        self.assertEqual(partner.company_registry, code)
        self.assertEqual(partner.key_account_state, "draft")
        self.assertTrue(partner.key_account_code)

    def test_wrong_length(self):
        with self.assertRaisesMessage(
            ValidationError, "must have 18 characters", "Short Code Co"
        ):
            self._create_key_account(
                name="Short Code Co", company_registry="91110105MA01C7K2X"
            )
        with self.assertRaisesMessage(ValidationError, "it has 19"):
            self._create_key_account(company_registry=make_uscc(7) + "1")

    def test_invalid_characters(self):
        code = make_uscc(31337)
        bad = code[:8] + "I" + code[9:]  # I is not in the USCC alphabet
        with self.assertRaisesMessage(ValidationError, "invalid characters"):
            self._create_key_account(company_registry=bad)

    def test_non_key_account_not_validated(self):
        partner = self.env["res.partner"].create(
            {"name": "Foreign Co", "is_company": True, "company_registry": "BE 123"}
        )
        self.assertEqual(partner.company_registry, "BE 123")
        with self.assertRaisesMessage(ValidationError, "Foreign Co"):
            partner.is_key_account = True

    def test_duplicate_refused_in_same_company(self):
        first = self._create_key_account(name="First Holder")
        with self.assertRaisesMessage(ValidationError, "already used by") as ctx:
            self._create_key_account(
                name="Second Holder", company_registry=first.company_registry.lower()
            )
        self.assertIn("First Holder", str(ctx.exception))
        self.assertIn("Second Holder", str(ctx.exception))
        second = self._create_key_account(name="Second Holder")
        with self.assertRaisesMessage(ValidationError, "First Holder"):
            second.company_registry = first.company_registry
        # inside one batch too
        code = make_uscc(555)
        with self.assertRaisesMessage(ValidationError, "already used by"):
            self.env["res.partner"].create(
                [
                    self._key_account_vals("Batch A", company_registry=code),
                    self._key_account_vals("Batch B", company_registry=code),
                ]
            )

    def test_duplicate_allowed_in_other_company_and_for_contacts(self):
        first = self._create_key_account(name="Group Customer")
        other_company = self.env["res.company"].create({"name": "KA Other Company"})
        twin = self._create_key_account(
            name="Group Customer (other company)",
            company_id=other_company.id,
            company_registry=first.company_registry,
        )
        self.assertEqual(twin.company_registry, first.company_registry)
        # contacts inherit the commercial registry without being duplicates
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": first.id, "type": "contact"}
        )
        self.assertEqual(contact.company_registry, first.company_registry)
        self.assertFalse(contact.is_key_account)

    def test_finding8_full_width_credit_code_normalised(self):
        """Finding 8: a credit code typed in full-width characters (Chinese
        spreadsheets, input methods) is folded (NFKC) before validation."""
        code = make_uscc(2026, region="310115")[:8] + "MA1H8N3Q2"
        code += uscc.calc_check_digit(code)
        full_width = "".join(chr(ord(char) + 0xFEE0) for char in code)
        partner = self._create_key_account(
            name="Full Width Co", company_registry=f"　{full_width}　"
        )
        self.assertEqual(partner.company_registry, code)
        other = make_uscc(2027)
        partner.write(
            {"company_registry": "".join(chr(ord(c) + 0xFEE0) for c in other)}
        )
        self.assertEqual(partner.company_registry, other)
        # a wrong full-width code: the message shows the folded code
        wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
        wrong_full_width = "".join(chr(ord(char) + 0xFEE0) for char in wrong)
        with self.assertRaisesMessage(ValidationError, wrong, "wrong check digit"):
            self._create_key_account(
                name="Wrong Full Width Co", company_registry=wrong_full_width
            )
