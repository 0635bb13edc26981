# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResCompany(models.Model):
    """The company settings of settlement: the overdue reminders' interval."""

    _inherit = "res.company"

    key_account_reminder_interval = fields.Integer(
        string="Overdue Reminder Interval (Days)",
        default=7,
        help="A key account with overdue invoices receives a reminder at most "
        "once in this number of days. 0 sends no reminders.",
    )
