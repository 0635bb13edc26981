# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError

# Normalised tracking states of a parcel, whatever the courier calls them.
TRACKING_STATES = [
    ("draft", "Not Booked"),
    ("booked", "Booked"),
    ("picked_up", "Picked Up"),
    ("in_transit", "In Transit"),
    ("exception", "Exception"),
    ("delivered", "Signed / Delivered"),
    ("returned", "Returned"),
    ("cancelled", "Cancelled"),
]


class KeyAccountParcel(models.Model):
    """One parcel of a delivery and its courier waybill number (运单号).

    A delivery (stock.picking) has one parcel, or one per package when it
    ships in several; each parcel keeps its own number, never the
    comma-joined ``carrier_tracking_ref`` core writes for several parcels.
    """

    _name = "key.account.parcel"
    _inherit = "key.account.guard.mixin"
    _description = "Delivery Parcel"
    _order = "picking_id, sequence, id"
    _check_company_auto = True

    picking_id = fields.Many2one(
        comodel_name="stock.picking",
        string="Delivery",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="picking_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(default=1)
    carrier_id = fields.Many2one(
        comodel_name="delivery.carrier",
        index=True,
        check_company=True,
    )
    package_id = fields.Many2one(comodel_name="stock.quant.package", check_company=True)
    waybill_number = fields.Char(index=True, copy=False)
    tracking_state = fields.Selection(
        selection=TRACKING_STATES,
        default="draft",
        required=True,
        index=True,
        copy=False,
    )
    tracking_date = fields.Datetime(string="Last Tracking Update", copy=False)
    tracking_event_ids = fields.One2many(
        comodel_name="key.account.parcel.event",
        inverse_name="parcel_id",
        string="Tracking History",
    )

    tracking_url = fields.Char(
        string="Tracking Link",
        compute="_compute_tracking_url",
        help="The carrier's tracking link for this parcel's waybill number.",
    )
    released_waybill_number = fields.Char(
        copy=False,
        readonly=True,
        help="The number this parcel had before its shipment was cancelled: "
        "released, it may be given to another parcel.",
    )

    @api.model
    def _key_account_guarded_fields(self):
        # Numbers and states come from the courier (waybill import, API,
        # tracking), never from a hand-written value over RPC.
        return dict(
            super()._key_account_guarded_fields(),
            waybill_number=False,
            tracking_state="draft",
            tracking_date=False,
            released_waybill_number=False,
        )

    def _key_account_guard_error(self, names):
        return AccessError(
            self.env._(
                "%(fields)s of a parcel are set by the waybill import or the "
                "courier's tracking, not written directly.",
                fields=self._key_account_field_labels(names),
            )
        )

    @api.depends("carrier_id.tracking_url", "waybill_number")
    def _compute_tracking_url(self):
        for parcel in self:
            parcel.tracking_url = parcel.carrier_id._key_account_tracking_link(
                parcel.waybill_number
            )

    def _key_account_log_event(self, state, description, source="manual"):
        """One tracking event per parcel of ``self``, in one statement
        whatever the number of parcels (an import books thousands)."""
        if not self:
            return
        self.env.flush_all()
        now = fields.Datetime.now()
        uid = self.env.uid
        self.env.cr.execute(
            """
            INSERT INTO key_account_parcel_event
                   (parcel_id, company_id, event_date, tracking_state, description,
                    source, create_uid, create_date, write_uid, write_date)
            SELECT id, company_id, %s, %s, %s, %s, %s, %s, %s, %s
              FROM key_account_parcel
             WHERE id IN %s
            """,
            [now, state, description, source, uid, now, uid, now, tuple(self.ids)],
        )
        self.invalidate_recordset(["tracking_event_ids"])

    # Columns a parcel created in bulk may carry (``_key_account_create_bulk``).
    _key_account_bulk_columns = (
        "picking_id",
        "company_id",
        "sequence",
        "carrier_id",
        "package_id",
        "waybill_number",
        "tracking_state",
        "tracking_date",
    )

    @api.model
    def _key_account_create_bulk(self, vals_list):
        """Create thousands of parcels in one INSERT (the booking export and
        the waybill import): ``vals_list`` gives ``picking_id`` and
        ``company_id`` and any of ``_key_account_bulk_columns``. Skips the
        ORM's create (no other field is computed or defaulted: a field added
        to parcels with a required default must be added here). The unique
        waybill constraint is PostgreSQL's, as for any create."""
        if not vals_list:
            return self.browse()
        self.env.flush_all()
        columns = self._key_account_bulk_columns
        now = fields.Datetime.now()
        uid = self.env.uid
        rows = []
        params = []
        for vals in vals_list:
            rows.append("(" + ", ".join(["%s"] * (len(columns) + 4)) + ")")
            params.extend(
                vals.get(name, "draft" if name == "tracking_state" else None) or None
                for name in columns
            )
            params.extend([uid, now, uid, now])
        self.env.cr.execute(
            "INSERT INTO key_account_parcel ({columns}, create_uid, create_date, "
            "write_uid, write_date) VALUES {rows} RETURNING id".format(
                columns=", ".join(columns), rows=", ".join(rows)
            ),
            params,
        )
        parcels = self.browse([row[0] for row in self.env.cr.fetchall()])
        self.env["stock.picking"].browse(
            {vals["picking_id"] for vals in vals_list}
        ).invalidate_recordset(["key_account_parcel_ids"])
        return parcels

    def _key_account_release(self):
        """Cancel the parcels and release their numbers (kept as
        ``released_waybill_number``), in one statement."""
        if not self:
            return
        self.env.flush_all()
        self.env.cr.execute(
            """
            UPDATE key_account_parcel
               SET released_waybill_number = waybill_number,
                   waybill_number = NULL,
                   tracking_state = 'cancelled',
                   tracking_date = now() AT TIME ZONE 'UTC'
             WHERE id IN %s
            """,
            [tuple(self.ids)],
        )
        self.invalidate_recordset(
            [
                "released_waybill_number",
                "waybill_number",
                "tracking_state",
                "tracking_date",
                "tracking_url",
            ]
        )

    _sql_constraints = (
        (
            "waybill_number_carrier_uniq",
            "unique(company_id, carrier_id, waybill_number)",
            "A waybill number is used once per carrier and company.",
        ),
    )


class KeyAccountParcelEvent(models.Model):
    """One tracking event of a parcel (pushed by a courier or imported)."""

    _name = "key.account.parcel.event"
    _description = "Parcel Tracking Event"
    _order = "event_date desc, id desc"

    parcel_id = fields.Many2one(
        comodel_name="key.account.parcel", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="parcel_id.company_id", store=True, index=True, precompute=True
    )
    event_date = fields.Datetime(required=True, index=True)
    tracking_state = fields.Selection(selection=TRACKING_STATES, required=True)
    description = fields.Char()
    location = fields.Char()
    source = fields.Selection(
        selection=[
            ("push", "Courier Push"),
            ("file", "Status File"),
            ("manual", "Manual"),
        ],
        default="manual",
        required=True,
    )
    external_id = fields.Char(
        string="Courier Event ID", index=True, help="Makes a replayed push idempotent."
    )
