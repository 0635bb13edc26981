# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Overdue reminders: a daily scheduled action sends each key account with
overdue invoices one email (per company) listing them, to its finance
contact, at most once every N days (the company's reminder interval)."""

import logging

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

REMINDER_TEMPLATE = "key_account_settlement.res_partner_mail_template_overdue_reminder"


class ResCompany(models.Model):
    """The reminders' company setting (kept with the reminder code it drives)."""

    _inherit = "res.company"

    key_account_reminder_interval = fields.Integer(
        string="Overdue Reminder Interval (Days)",
        default=7,
        help="A key account with overdue invoices receives a reminder at most "
        "once in this number of days. 0 sends no reminders.",
    )


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
        """Posted customer invoices of the customer (``self``, commercial
        entity) in the current company, unpaid and due before ``date``
        (today by default), oldest first."""
        self.ensure_one()
        date = date or fields.Date.context_today(self)
        return self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", self.id),
                ("company_id", "=", self.env.company.id),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<", date),
            ],
            order="invoice_date_due, id",
        )

    @api.model
    def _key_account_reminder_candidates(self, date):
        """{company id: commercial partner ids} of key accounts with an
        overdue open receivable item on ``date``, one query."""
        self.env["account.move.line"].flush_model()
        self.flush_model(["commercial_partner_id", "is_key_account"])
        rows = self.env.execute_query(
            SQL(
                """SELECT aml.company_id, array_agg(DISTINCT p.commercial_partner_id)
                     FROM account_move_line aml
                     JOIN account_account acc ON acc.id = aml.account_id
                     JOIN account_move m ON m.id = aml.move_id
                     JOIN res_partner p ON p.id = aml.partner_id
                     JOIN res_partner cp ON cp.id = p.commercial_partner_id
                    WHERE acc.account_type = 'asset_receivable'
                      AND aml.parent_state = 'posted'
                      AND NOT aml.reconciled
                      AND m.move_type = 'out_invoice'
                      AND aml.amount_residual > 0
                      AND COALESCE(aml.date_maturity, aml.date) < %s
                      AND cp.is_key_account
                 GROUP BY aml.company_id""",
                date,
            )
        )
        return dict(rows)

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
