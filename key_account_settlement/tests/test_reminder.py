# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .credit_common import KeyAccountCreditCommon


@tagged("post_install", "-at_install")
class TestOverdueReminder(KeyAccountCreditCommon):
    """The daily reminder: one email per key account with overdue invoices,
    to its finance contact, not more than once in the company's interval."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.key_account_reminder_interval = 7
        cls.finance = cls.env["res.partner"].create(
            {
                "name": "财务部 李会计",
                "type": "invoice",
                "parent_id": cls.customer.id,
                "email": "finance@customer.example.com",
            }
        )
        cls.overdue = cls._post_invoice(300.0, cls.today - timedelta(days=5))
        cls.not_due = cls._post_invoice(200.0, cls.today + timedelta(days=5))
        cls.punctual = cls._create_key_account(
            "按时付款有限公司", email="ap@ok.example.com"
        )
        cls.punctual.with_company(
            cls.company
        ).property_account_receivable_id = cls.receivable
        cls._post_invoice(100.0, cls.today + timedelta(days=10), partner=cls.punctual)

    def _reminders(self, partner):
        return partner.message_ids.filtered(
            lambda m: m.message_type == "comment" and "overdue" in (m.subject or "")
        )

    def _run_cron(self):
        return self.env["res.partner"]._cron_key_account_overdue_reminders()

    def test_reminder_to_the_finance_contact(self):
        self._run_cron()
        reminder = self._reminders(self.customer)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.partner_ids, self.finance)
        self.assertIn(self.overdue.name, reminder.body)
        self.assertNotIn(self.not_due.name, reminder.body, "not due yet")
        self.assertIn(self.company.name, reminder.subject)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", reminder.id)])
        self.assertEqual(mail.recipient_ids, self.finance)
        self.assertEqual(
            self.customer.with_company(self.company).key_account_reminder_date,
            self.today,
        )

    def test_reminder_to_the_customer_without_finance_contact(self):
        self.finance.active = False
        self._run_cron()
        self.assertEqual(self._reminders(self.customer).partner_ids, self.customer)

    def test_no_reminder_without_overdue(self):
        self._run_cron()
        self.assertFalse(self._reminders(self.punctual))
        self.assertFalse(
            self.punctual.with_company(self.company).key_account_reminder_date
        )

    def test_no_second_reminder_within_the_interval(self):
        self._run_cron()
        self._run_cron()
        self.assertEqual(len(self._reminders(self.customer)), 1, "same day")
        with freeze_time(self.today + timedelta(days=6)):
            self._run_cron()
        self.assertEqual(len(self._reminders(self.customer)), 1, "6 days later")
        with freeze_time(self.today + timedelta(days=7)):
            self._run_cron()
        self.assertEqual(len(self._reminders(self.customer)), 2, "7 days later")

    def test_no_reminder_for_paid_invoices(self):
        self.overdue._reverse_moves(cancel=True)
        self._run_cron()
        self.assertFalse(self._reminders(self.customer))
