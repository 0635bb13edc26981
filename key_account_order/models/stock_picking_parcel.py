# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .key_account_parcel import TRACKING_STATES


class StockPicking(models.Model):
    _inherit = "stock.picking"

    key_account_parcel_ids = fields.One2many(
        comodel_name="key.account.parcel",
        inverse_name="picking_id",
        string="Parcels",
        copy=False,
    )
    key_account_tracking_state = fields.Selection(
        selection=TRACKING_STATES,
        string="Tracking Status",
        default="draft",
        copy=False,
        index=True,
        help="The least advanced state of the delivery's parcels.",
    )
