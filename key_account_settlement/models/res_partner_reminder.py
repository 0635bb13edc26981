# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Overdue reminders: a daily scheduled action sends each key account with
overdue invoices one email (per company) listing them, to its finance
contact, at most once every N days (the company's reminder interval, on
``res.company``). What is overdue comes from ``key.account.customer.balance``.
"""

import logging
from collections import defaultdict

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

REMINDER_TEMPLATE = "key_account_settlement.res_partner_mail_template_overdue_reminder"


class ResPartner(models.Model):
    _inherit = "res.partner"

    key_account_reminder_date = fields.Date(
        string="Last Overdue Reminder",
        company_dependent=True,
        copy=False,
        readonly=True,
        help="Date of the last overdue reminder sent to the customer by this company.",
    )

    def _key_account_reminder_contact(self):
        """The finance contact of the customer: its first invoice address
        with an email, else the customer itself."""
        self.ensure_one()
        contacts = self.child_ids.filtered(
            lambda c: c.type == "invoice" and c.email and c.active
        )
        return contacts[:1] or self

    def _key_account_overdue_invoices(self, date=None):
        """The customer's (``self``, commercial entity) invoices and other
        entries of the current company with an item owed and past due on
        ``date`` (today by default), oldest due first: the items the overdue
        amount of ``key.account.customer.balance`` sums."""
        self.ensure_one()
        items = self.env["key.account.customer.balance"]._get_open_items(
            self, self.env.company, date, overdue_only=True
        )
        return self.env["account.move"].browse(
            list(dict.fromkeys(item["move_id"] for item in items))
        )

    def _key_account_overdue_amount(self, date=None):
        """What the customer (``self``) owes overdue to the current company
        on ``date`` (today by default), in company currency: the reminder's
        total, read from ``key.account.customer.balance``."""
        self.ensure_one()
        balances = self.env["key.account.customer.balance"]._get_balances(
            self, self.env.company, date, orders=False
        )
        return balances[self.commercial_partner_id.id, self.env.company.id]["overdue"]

    @api.model
    def _key_account_reminder_candidates(self, date):
        """{company id: commercial partner ids} of key accounts owing an
        overdue amount on ``date`` (``key.account.customer.balance``), one
        query for all."""
        partners = (
            self.sudo()
            .with_context(active_test=False)
            .search([("is_key_account", "=", True)])
            .commercial_partner_id.filtered("is_key_account")
        )
        balances = self.env["key.account.customer.balance"]._get_balances(
            partners, date=date, orders=False
        )
        result = defaultdict(list)
        for (partner_id, company_id), figures in sorted(balances.items()):
            if figures["overdue"] > 0:
                result[company_id].append(partner_id)
        return dict(result)

    @api.model
    def _cron_key_account_overdue_reminders(self):
        """Daily: one reminder per key account with overdue invoices and
        company, unless one was sent within the company's interval."""
        today = fields.Date.context_today(self)
        template = self.env.ref(REMINDER_TEMPLATE)
        candidates = self._key_account_reminder_candidates(today)
        sent = 0
        for company in self.env["res.company"].browse(list(candidates)):
            interval = company.key_account_reminder_interval
            if interval <= 0:
                continue
            partners = self.with_company(company).browse(candidates[company.id])
            due = partners.filtered(
                lambda p, interval=interval: (
                    not p.key_account_reminder_date
                    or (today - p.key_account_reminder_date).days >= interval
                )
            )
            for partner in due:
                partner.message_post_with_source(
                    template,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                )
                sent += 1
            due.write({"key_account_reminder_date": today})
        _logger.info("Overdue reminders sent to %s key accounts.", sent)
        return sent
