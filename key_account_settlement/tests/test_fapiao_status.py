# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .fapiao_common import KeyAccountFapiaoCommon


@tagged("post_install", "-at_install")
class TestFapiaoStatus(KeyAccountFapiaoCommon):
    """The fapiao state of invoices, searchable; the statement's issued
    part; the aging filter; the daily list; the customer's request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._post(
            cls.customer, [(cls.product_a, 2, 100.0, cls.tax_13, 0)]
        )
        cls.other = cls._post(cls.customer, [(cls.product_b, 1, 50.0, cls.tax_9, 0)])
        cls.salesman = new_test_user(
            cls.env,
            login="ka_status_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def _state(self, moves):
        return moves.mapped("key_account_fapiao_state")

    def test_states_follow_the_request(self):
        Move = self.env["account.move"]
        self.assertEqual(self._state(self.invoice), ["to_request"])
        request = self.Request._key_account_build(
            self.invoice, fapiao_type="electronic"
        )
        self.assertEqual(self._state(self.invoice), ["requested"])
        request.with_user(self.accountant).action_export()
        self.assertEqual(self._state(self.invoice), ["exported"])
        fapiao = request.fapiao_ids
        fapiao._issue_write(
            [
                (
                    fapiao,
                    {
                        "state": "issued",
                        "fapiao_number": "26442000000000000099",
                        "issue_date": self.date_to,
                    },
                )
            ]
        )
        self.assertEqual(self._state(self.invoice), ["issued"])
        self.assertEqual(
            self.invoice.key_account_fapiao_numbers, "26442000000000000099"
        )
        self.assertEqual(self.invoice.key_account_fapiao_count, 1)
        found = Move.search(
            [
                ("key_account_fapiao_state", "=", "issued"),
                ("company_id", "=", self.company.id),
            ]
        )
        self.assertEqual(found, self.invoice)
        self.assertEqual(
            Move.search([("key_account_fapiao_numbers", "ilike", "000099")]),
            self.invoice,
        )
        self.assertEqual(self._state(self.other), ["to_request"])

    def test_void_releases_invoice_to_request_again(self):
        request = self.Request._key_account_build(
            self.invoice, fapiao_type="electronic"
        )
        request.with_user(self.manager).action_void()
        self.assertEqual(self._state(self.invoice), ["voided"])
        again = self.Request._key_account_build(self.invoice, fapiao_type="electronic")
        self.assertEqual(self._state(self.invoice), ["requested"])
        self.assertTrue(again)

    def test_state_not_written_directly(self):
        invoice = self.invoice.with_user(self.accountant)
        with self.assertRaises(AccessError):
            invoice.write({"key_account_fapiao_state": "issued"})
        with self.assertRaises(AccessError):
            invoice.write({"key_account_fapiao_numbers": "26442000000000000001"})
        self.assertEqual(self.invoice.key_account_fapiao_state, "to_request")

    def test_other_entries_not_needed(self):
        payment = self._payment(self.customer, self.date_to, 10.0)
        self.assertEqual(payment.key_account_fapiao_state, "not_needed")

    def test_daily_list_and_cron(self):
        Move = self.env["account.move"]
        self.env["ir.config_parameter"].sudo().set_param(
            "key_account_settlement.fapiao_due_days", "3"
        )
        due = Move.search(
            [
                ("key_account_fapiao_due", "=", True),
                ("company_id", "=", self.company.id),
            ]
        )
        self.assertEqual(due, self.invoice | self.other)
        self.Request._key_account_build(self.other, fapiao_type="electronic")
        recent = self._post(
            self.customer,
            [(self.product_a, 1, 10.0, self.tax_13, 0)],
            day=fields.Date.context_today(Move) - timedelta(days=1),
        )
        due = Move.search(
            [
                ("key_account_fapiao_due", "=", True),
                ("company_id", "=", self.company.id),
            ]
        )
        self.assertEqual(due, self.invoice)
        self.assertNotIn(recent, due)
        not_due = Move.search(
            [
                ("key_account_fapiao_due", "=", False),
                ("company_id", "=", self.company.id),
            ]
        )
        self.assertIn(recent, not_due)
        activity_type = self.env.ref(
            "key_account_settlement.mail_activity_type_fapiao_due"
        )
        Move._cron_key_account_fapiao_due()
        Move._cron_key_account_fapiao_due()
        activities = self.env["mail.activity"].search(
            [("activity_type_id", "=", activity_type.id), ("res_id", "in", due.ids)]
        )
        self.assertEqual(len(activities), 1)
        self.assertIn("1", activities.summary)

    def test_statement_issued_part_and_customer_request(self):
        statement = self._generate(partners=self.customer)
        statement.action_send()
        statement.action_customer_confirm()
        self.assertAlmostEqual(statement.fapiao_to_request_amount, 226.0 + 54.5)
        self.assertAlmostEqual(statement.fapiao_issued_amount, 0.0)
        contact = self.env["res.partner"].create(
            {"name": "KA Finance", "parent_id": self.customer.id}
        )
        request = statement._key_account_fapiao_customer_request(contact)
        self.assertEqual(request.state, "to_approve")
        self.assertEqual(request.requested_by_id, contact)
        self.assertEqual(request.invoice_ids, self.invoice | self.other)
        # a second click: the same request
        self.assertEqual(
            statement._key_account_fapiao_customer_request(contact), request
        )
        statement.invalidate_recordset()
        self.assertAlmostEqual(statement.fapiao_pending_amount, 280.5)
        with self.assertRaises(AccessError):
            request.with_user(self.salesman).action_approve_customer_request()
        request.with_user(self.accountant).action_approve_customer_request()
        self.assertEqual(request.state, "draft")
        self.assertTrue(request.fapiao_ids)
        self.assertEqual(request.invoice_ids, self.invoice | self.other)
        self.assertAlmostEqual(request.amount_total, 280.5)
        with self.assertRaises(UserError):
            request.with_user(self.accountant).action_approve_customer_request()

    def test_aging_filter_by_fapiao_state(self):
        Aging = self.env["key.account.aging.report"]
        self.env.flush_all()
        rows = Aging.search(
            [
                ("key_account_fapiao_state", "=", "to_request"),
                ("partner_id", "=", self.customer.id),
            ]
        )
        self.assertEqual(rows.move_id, self.invoice | self.other)
        self.Request._key_account_build(self.other, fapiao_type="electronic")
        self.env.flush_all()
        rows = Aging.search(
            [
                ("key_account_fapiao_state", "=", "to_request"),
                ("partner_id", "=", self.customer.id),
            ]
        )
        self.assertEqual(rows.move_id, self.invoice)
