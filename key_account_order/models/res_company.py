# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # Review pool (sale_order_review.py)
    key_account_review_auto_approve = fields.Boolean(
        string="Auto-approve Key Account Orders",
        help="Orders submitted for review that are within an active contract and "
        "its credit, with complete recipient allocations, are approved and "
        "confirmed at once.",
    )
    # Background confirmation (sale_order_background.py)
    key_account_background_threshold = fields.Integer(
        string="Confirm in Background From",
        default=2000,
        help="Orders allocated over at least this many recipients are confirmed "
        "by a background job instead of in the user's request (thousands of "
        "deliveries take minutes). 0 confirms every order at once.",
    )
