# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class KeyAccountDepartment(models.Model):
    """A department of a key account's organisation (the customer's own
    departments: buyers belong to one, budgets are set per department)."""

    _name = "key.account.department"
    _description = "Customer Department"
    _order = "customer_id, name, id"

    name = fields.Char(required=True)
    code = fields.Char()
    customer_id = fields.Many2one(
        comodel_name="res.partner",
        string="Key Account",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("is_key_account", "=", True), ("is_company", "=", True)],
    )
    head_id = fields.Many2one(
        comodel_name="res.partner",
        help="The colleague who approves for the department when an approval "
        "rule says 'department head'.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = (
        (
            "name_customer_uniq",
            "unique(customer_id, name)",
            "A department name is used once per key account.",
        ),
    )
