# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Couriers on Odoo's ``delivery_type`` dispatch.

``key_account_file`` is the file-based courier: any courier (SF 顺丰, JD,
ZTO via an aggregator...) booked by exporting its bulk-order spreadsheet and
importing the waybill numbers it sends back. No remote call is made; the
number of each parcel comes from the waybill import
(``key.account.parcel.waybill``). An API courier is another ``delivery_type``
implementing the same three methods (``<type>_send_shipping``,
``<type>_get_tracking_link``, ``<type>_cancel_shipment``).
"""

import re

from odoo import fields, models

TRACKING_PLACEHOLDER = "<shipmenttrackingnumber>"


def split_names(text):
    """The names of a list written one per line or separated by commas
    (full-width or not)."""
    return {
        name.strip() for name in re.split(r"[\n,，;；、]", text or "") if name.strip()
    }


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[("key_account_file", "File-Based Courier")],
        ondelete={"key_account_file": "set default"},
    )
    key_account_column_ids = fields.One2many(
        comodel_name="key.account.carrier.column",
        inverse_name="carrier_id",
        string="File Columns",
        help="The columns of this courier's bulk-order spreadsheet, and the "
        "headers recognised in the waybill file it returns. Without columns, "
        "the generic layout is used.",
    )
    key_account_auto_assign = fields.Boolean(
        string="Choose for Recipient Deliveries",
        help="Recipient deliveries of orders without a carrier get this carrier "
        "when their branch or their address (countries, states, zip prefixes, "
        "cities) matches. Carriers are tried in sequence order; branch rules "
        "first.",
    )
    key_account_branch_names = fields.Text(
        string="Branches",
        help="Branches (as written on the recipients) shipped by this carrier, "
        "one per line or separated by commas.",
    )
    key_account_city_names = fields.Text(
        string="Cities",
        help="Cities (as written on the recipients' addresses) this carrier "
        "serves, one per line or separated by commas. Empty: any city.",
    )

    def _match_address(self, partner):
        if not super()._match_address(partner):
            return False
        cities = split_names(self.key_account_city_names)
        return not cities or (partner.city or "").strip() in cities

    # ------------------------------------------------------------------
    # The file-based courier's side of Odoo's shipping dispatch
    # ------------------------------------------------------------------
    def key_account_file_rate_shipment(self, order):
        return self.fixed_rate_shipment(order)

    def key_account_file_send_shipping(self, pickings):
        """No remote call: the waybill numbers come from the courier's file
        (waybill import). Core writes ``tracking_number`` into the comma-joined
        ``carrier_tracking_ref``: none is returned, the parcels keep theirs."""
        return [
            {"exact_price": picking.carrier_id.fixed_price, "tracking_number": False}
            for picking in pickings
        ]

    def key_account_file_get_tracking_link(self, picking):
        """The link of the delivery's first booked parcel (each parcel has its
        own: ``key.account.parcel.tracking_url``)."""
        parcels = picking.key_account_parcel_ids.filtered("waybill_number")
        number = parcels[:1].waybill_number or picking.carrier_tracking_ref
        return self._key_account_tracking_link(number)

    def key_account_file_cancel_shipment(self, pickings):
        """Cancelling at a file courier is telling it which numbers are void:
        each cancelled parcel logs one event the warehouse reports to the
        courier. Called once per carrier with all its deliveries
        (``stock.picking._key_account_cancel_shipments``)."""
        parcels = pickings.key_account_parcel_ids.filtered(
            lambda p: p.waybill_number and p.tracking_state != "cancelled"
        )
        parcels._key_account_log_event(
            "cancelled",
            self.env._("Cancelled: to report to the courier"),
            source="manual",
        )
        return True

    def _key_account_tracking_link(self, number):
        """The courier's page for one waybill ``number`` (empty without a
        carrier or a number). The one computation of a parcel's link: the
        carrier's ``tracking_url`` with the number in its placeholder, else
        the e-waybill service's own page."""
        if not (self and number):
            return False
        return self._key_account_parcel_tracking_link(number)

    # ------------------------------------------------------------------
    # Column maps
    # ------------------------------------------------------------------
    def _key_account_columns(self):
        """The carrier's column map (its own, else the generic one)."""
        self.ensure_one()
        columns = self.key_account_column_ids
        if not columns:
            columns = self.env["key.account.carrier.column"].search(
                [("carrier_id", "=", False)]
            )
        return columns.sorted(lambda c: (c.sequence, c.id))

    def action_key_account_load_columns(self):
        """Replace the carrier's columns by a preset layout (SF 顺丰 when
        ``key_account_layout`` is ``sf`` in the context, else generic)."""
        layout = self.env.context.get("key_account_layout", "generic")
        self.env["key.account.carrier.column"]._key_account_load_layout(self, layout)
        return True
