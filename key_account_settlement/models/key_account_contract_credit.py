# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class KeyAccountContract(models.Model):
    """The credit terms the confirmation gate applies. Like every term of a
    contract, outside draft only a Key Account Manager changes them: the
    contract guards in ``write`` every field that is not a free field."""

    _inherit = "key.account.contract"

    credit_overdue_grace_days = fields.Integer(
        string="Overdue Grace (Days)",
        default=0,
        tracking=True,
        help="Orders of the customer are held when one of its invoices is due "
        "for more than this number of days and still unpaid. 0 holds orders as "
        "soon as an invoice is overdue.",
    )

    _sql_constraints = (
        (
            "credit_overdue_grace_days_check",
            "CHECK(credit_overdue_grace_days >= 0)",
            "The overdue grace period of a contract cannot be negative.",
        ),
    )
