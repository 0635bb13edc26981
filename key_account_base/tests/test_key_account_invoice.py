# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from .common import KeyAccountBaseCommon


class TestKeyAccountInvoice(KeyAccountBaseCommon):
    def test_invoice_title_defaults_to_name(self):
        partner = self._create_key_account(name="Title Default Co")
        self.assertEqual(partner.key_account_invoice_title, "Title Default Co")
        partner.key_account_invoice_title = "Title Default Co (Beijing Branch)"
        partner.name = "Renamed Co"
        self.assertEqual(
            partner.key_account_invoice_title, "Title Default Co (Beijing Branch)"
        )
        plain = self.env["res.partner"].create({"name": "Plain"})
        self.assertFalse(plain.key_account_invoice_title)

    def test_invoice_details(self):
        partner = self._create_key_account(
            name="Details Co", key_account_invoice_title="Details Co Invoices"
        )
        details = partner.key_account_invoice_details
        self.assertIn("Invoice title: Details Co Invoices", details)
        self.assertIn(f"Tax number: {partner.vat}", details)
        self.assertIn("朝阳区建国路 88 号", details)
        self.assertIn("+86 10 6500 0000", details)
        self.assertIn(
            f"{self.bank.name} {partner.bank_ids.acc_number}", details.splitlines()[-1]
        )
        self.assertEqual(len(details.splitlines()), 4)
        plain = self.env["res.partner"].create({"name": "Plain"})
        self.assertFalse(plain.key_account_invoice_details)
