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
        self.assertTrue(partner.key_account_code.startswith("KA"))
        draft = self._create_key_account(name="Draft Customer", approved=False)
        self.assertEqual(draft.key_account_state, "draft")
        self.assertNotEqual(draft.company_registry, partner.company_registry)

    def test_valid_code(self):
        code = make_uscc(123456789)
        partner = self._create_key_account(company_registry=code)
        self.assertEqual(partner.company_registry, code)

    def test_wrong_checksum(self):
        code = make_uscc(123456789)
        wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
        with self.assertRaisesRegex(ValidationError, "check digit"):
            self._create_key_account(name="Bad Checksum Co", company_registry=wrong)
