# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Tracking of parcels: courier status words mapped to normalised states,
events ingested in batches (webhook push or status file), the delivery's
least advanced state, and the exceptions staff work through.

One engine, ``key.account.parcel._key_account_ingest_events``, serves the
webhook route (controllers/tracking.py) and the status file wizard. Its cost
is a fixed number of queries per call plus at most two per event (the parcel's
update and its share of the event insert), whatever the number of events.
"""

import logging
from datetime import datetime, timezone

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .key_account_parcel import TRACKING_STATES

_logger = logging.getLogger(__name__)

# How far a parcel went: a delivery's state is that of its least advanced
# parcel; a cancelled parcel does not hold its delivery back.
STATE_RANK = {
    "draft": 0,
    "booked": 1,
    "picked_up": 2,
    "in_transit": 3,
    "exception": 4,
    "returned": 5,
    "delivered": 6,
    "cancelled": 7,
}
# States that need someone's attention.
EXCEPTION_STATES = ("exception", "returned")

# The default table of courier status words (Chinese and English); a
# carrier's own rows (key.account.tracking.status with carrier_id) win.
DEFAULT_STATUS_WORDS = {
    "已下单": "booked",
    "已接单": "booked",
    "booked": "booked",
    "created": "booked",
    "已揽收": "picked_up",
    "已揽件": "picked_up",
    "揽收": "picked_up",
    "picked_up": "picked_up",
    "picked up": "picked_up",
    "collected": "picked_up",
    "运输中": "in_transit",
    "在途": "in_transit",
    "派送中": "in_transit",
    "派件中": "in_transit",
    "in_transit": "in_transit",
    "in transit": "in_transit",
    "out for delivery": "in_transit",
    "out_for_delivery": "in_transit",
    "已签收": "delivered",
    "签收": "delivered",
    "delivered": "delivered",
    "signed": "delivered",
    "退回": "returned",
    "已退回": "returned",
    "退件": "returned",
    "returned": "returned",
    "异常": "exception",
    "问题件": "exception",
    "exception": "exception",
    "failed": "exception",
    "已取消": "cancelled",
    "cancelled": "cancelled",
}


def parse_event_time(value):
    """A courier's event time (ISO 8601, with or without offset, or
    ``YYYY-MM-DD HH:MM[:SS]``) as a naive UTC datetime; raises ValueError."""
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value or "").strip().replace("/", "-")
        if not text:
            raise ValueError("empty time")
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        moment = datetime.fromisoformat(text)
    if moment.tzinfo:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)


class KeyAccountTrackingStatus(models.Model):
    """A courier's status word and the normalised state it means."""

    _name = "key.account.tracking.status"
    _description = "Courier Tracking Status"
    _order = "carrier_id, name"

    name = fields.Char(
        string="Courier Status", required=True, help="As the courier writes it."
    )
    carrier_id = fields.Many2one(
        comodel_name="delivery.carrier",
        ondelete="cascade",
        index=True,
        help="Empty: the default for every carrier.",
    )
    tracking_state = fields.Selection(selection=TRACKING_STATES, required=True)

    _sql_constraints = (
        (
            "name_carrier_uniq",
            "unique(carrier_id, name)",
            "A courier status is mapped once per carrier.",
        ),
    )

    @api.model
    def _key_account_status_table(self, carrier):
        """{lower-cased status word: state} for ``carrier`` (one query)."""
        table = dict(DEFAULT_STATUS_WORDS)
        rows = self.sudo().search_fetch(
            [("carrier_id", "in", [False, carrier.id] if carrier else [False])],
            ["name", "carrier_id", "tracking_state"],
            order="carrier_id nulls first, id",
        )
        for row in rows:
            table[row.name.strip().lower()] = row.tracking_state
        return table


class KeyAccountParcel(models.Model):
    _inherit = "key.account.parcel"

    exception_resolved = fields.Boolean(
        copy=False,
        readonly=True,
        help="Set by Resolve once staff handled the exception or return; "
        "a new exception opens it again.",
    )
    recipient_id = fields.Many2one(related="picking_id.partner_id", string="Recipient")
    sale_id = fields.Many2one(related="picking_id.sale_id", string="Sales Order")
    user_id = fields.Many2one(
        related="picking_id.sale_id.user_id", string="Account Manager"
    )

    def _key_account_guarded_tracking(self):
        """Only the tracking engine (as superuser) or stock users write the
        tracking fields."""
        if not self.env.su and not self.env.user.has_group("stock.group_stock_user"):
            raise AccessError(
                self.env._("Only inventory users change the tracking of parcels.")
            )

    def write(self, vals):
        if {"tracking_state", "tracking_date", "exception_resolved"} & set(vals):
            self._key_account_guarded_tracking()
        return super().write(vals)

    def action_key_account_resolve_exception(self):
        """Staff handled these exceptions (or returns)."""
        self._key_account_guarded_tracking()
        self.check_access("write")
        open_ = self.filtered(
            lambda p: p.tracking_state in EXCEPTION_STATES and not p.exception_resolved
        )
        if not open_:
            raise UserError(
                self.env._("Select parcels with an open exception or return.")
            )
        open_.sudo().write({"exception_resolved": True})
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "stock.picking"),
                    ("res_id", "in", open_.picking_id.ids),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref("mail.mail_activity_data_todo").id,
                    ),
                    ("summary", "=", self._key_account_exception_summary()),
                ]
            )
        )
        activities.action_feedback(feedback=self.env._("Resolved"))
        return True

    def _key_account_exception_summary(self):
        return self.env._("Parcel exception")

    # ------------------------------------------------------------------
    # The tracking engine
    # ------------------------------------------------------------------
    @api.model
    def _key_account_ingest_events(self, carrier, events, source="push"):
        """Record tracking ``events`` of ``carrier``'s parcels.

        ``events``: dicts with ``number`` (waybill), ``status`` (the
        courier's word, or a normalised state), ``time``, optional ``id``
        (the courier's event id), ``description``, ``location``.

        Idempotent: an event already recorded (same courier event id, or
        same parcel, state and time) is skipped; events older than the
        parcel's last update go into its history but never move its state
        back. Numbers that are not this carrier's (or not of the carrier's
        company) are reported as unknown and logged, never failed.
        Returns ``{"accepted", "duplicates", "unknown", "errors"}``.
        """
        result = {"accepted": 0, "duplicates": 0, "unknown": [], "errors": []}
        rows = self._key_account_parse_events(carrier, events, result["errors"])
        if not rows:
            return result
        Parcel = self.sudo()
        domain = [
            ("carrier_id", "=", carrier.id),
            ("waybill_number", "in", list({row["number"] for row in rows})),
        ]
        if carrier.company_id:
            domain.append(("company_id", "=", carrier.company_id.id))
        parcels = Parcel.search_fetch(
            domain,
            ["waybill_number", "tracking_state", "tracking_date", "picking_id"],
        )
        by_number = {parcel.waybill_number: parcel for parcel in parcels}
        unknown = sorted({row["number"] for row in rows} - set(by_number))
        if unknown:
            _logger.info(
                "tracking of carrier %s: %s unknown waybill number(s): %s",
                carrier.id,
                len(unknown),
                ", ".join(unknown[:20]),
            )
            result["unknown"] = unknown
        rows = [row for row in rows if row["number"] in by_number]
        if not rows:
            return result
        # Events already recorded (one query).
        seen_ids, seen_keys = set(), set()
        if parcels:
            self.env.cr.execute(
                """SELECT parcel_id, external_id, tracking_state, event_date
                     FROM key_account_parcel_event
                    WHERE parcel_id = ANY(%s)
                      AND (external_id = ANY(%s) OR event_date = ANY(%s))""",
                [
                    parcels.ids,
                    [row["external_id"] for row in rows if row["external_id"]],
                    list({row["date"] for row in rows}),
                ],
            )
            for parcel_id, external_id, state, date in self.env.cr.fetchall():
                if external_id:
                    seen_ids.add((parcel_id, external_id))
                seen_keys.add((parcel_id, state, date))
        new_events = []
        latest = {}
        for row in rows:
            parcel = by_number[row["number"]]
            key = (parcel.id, row["state"], row["date"])
            if key in seen_keys or (
                row["external_id"] and (parcel.id, row["external_id"]) in seen_ids
            ):
                result["duplicates"] += 1
                continue
            seen_keys.add(key)
            if row["external_id"]:
                seen_ids.add((parcel.id, row["external_id"]))
            new_events.append(
                {
                    "parcel_id": parcel.id,
                    "event_date": row["date"],
                    "tracking_state": row["state"],
                    "description": row["description"],
                    "location": row["location"],
                    "external_id": row["external_id"],
                    "source": source,
                }
            )
            current = latest.get(parcel)
            if (not parcel.tracking_date or row["date"] >= parcel.tracking_date) and (
                not current or row["date"] >= current[1]
            ):
                latest[parcel] = (row["state"], row["date"])
        result["accepted"] = len(new_events)
        if new_events:
            self.env["key.account.parcel.event"].sudo().create(new_events)
        Parcel._key_account_apply_states(latest)
        return result

    @api.model
    def _key_account_parse_events(self, carrier, events, errors):
        """The valid events as rows (state mapped, time parsed); the others
        go to ``errors`` with their index."""
        table = self.env["key.account.tracking.status"]._key_account_status_table(
            carrier
        )
        states = dict(TRACKING_STATES)
        rows = []
        for index, event in enumerate(events):
            if not isinstance(event, dict):
                errors.append({"index": index, "error": "not an object"})
                continue
            number = str(event.get("number") or "").strip()
            status = str(event.get("status") or "").strip()
            state = table.get(status.lower()) or (status if status in states else None)
            try:
                moment = parse_event_time(event.get("time"))
            except (TypeError, ValueError):
                moment = None
            error = (
                (not number and "number missing")
                or (not state and f"unknown status {status!r}")
                or (not moment and "time missing or not ISO 8601")
            )
            if error:
                errors.append({"index": index, "error": error})
                continue
            rows.append(
                {
                    "number": number,
                    "state": state,
                    "date": moment,
                    "external_id": str(event.get("id") or "").strip()[:128] or False,
                    "description": str(
                        event.get("description") or status or ""
                    ).strip()[:512],
                    "location": str(event.get("location") or "").strip()[:256] or False,
                }
            )
        return rows

    def _key_account_apply_states(self, latest):
        """Move parcels to their latest state ({parcel: (state, date)}), then
        their deliveries; notify the account managers of new exceptions."""
        if not latest:
            return
        newly_open = self.browse()
        for parcel, (state, date) in latest.items():
            vals = {"tracking_state": state, "tracking_date": date}
            if state in EXCEPTION_STATES and (
                parcel.tracking_state != state or parcel.exception_resolved
            ):
                vals["exception_resolved"] = False
                newly_open |= parcel
            parcel.write(vals)
        pickings = self.browse([parcel.id for parcel in latest]).picking_id
        pickings._key_account_update_tracking_state()
        newly_open._key_account_notify_exception()

    def _key_account_notify_exception(self):
        """One to-do activity per delivery for the order's account manager."""
        if not self:
            return
        todo = self.env.ref("mail.mail_activity_data_todo")
        model = self.env["ir.model"]._get_id("stock.picking")
        summary = self._key_account_exception_summary()
        existing = set(
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "stock.picking"),
                    ("res_id", "in", self.picking_id.ids),
                    ("activity_type_id", "=", todo.id),
                    ("summary", "=", summary),
                ]
            )
            .mapped("res_id")
        )
        states = dict(self._fields["tracking_state"]._description_selection(self.env))
        vals_list = []
        for picking in self.picking_id:
            if picking.id in existing:
                continue
            parcels = self.filtered(lambda p, pk=picking: p.picking_id == pk)
            user = (
                picking.sale_id.user_id
                or picking.user_id
                or self.env.ref("base.user_admin")
            )
            vals_list.append(
                {
                    "res_model_id": model,
                    "res_id": picking.id,
                    "activity_type_id": todo.id,
                    "summary": summary,
                    "user_id": user.id,
                    "note": self.env._(
                        "%(state)s for waybill %(numbers)s of %(delivery)s: "
                        "contact the courier and the recipient, then mark the "
                        "parcel resolved in Parcel Exceptions.",
                        state=states[parcels[:1].tracking_state],
                        numbers=", ".join(parcels.mapped("waybill_number")),
                        delivery=picking.display_name,
                    ),
                }
            )
        if vals_list:
            self.env["mail.activity"].sudo().create(vals_list)


class StockPicking(models.Model):
    _inherit = "stock.picking"

    key_account_tracking_date = fields.Datetime(
        string="Last Tracking Update", copy=False, readonly=True
    )

    def _key_account_update_tracking_state(self):
        """The delivery's state is its least advanced live parcel's (cancelled
        parcels do not count unless all are); one query to read, one write
        per distinct state."""
        if not self:
            return
        rows = (
            self.env["key.account.parcel"]
            .sudo()
            ._read_group(
                [("picking_id", "in", self.ids)],
                groupby=["picking_id", "tracking_state"],
                aggregates=["tracking_date:max"],
            )
        )
        summary = {}
        for picking, state, date in rows:
            ranks, last = summary.get(picking.id, ([], None))
            ranks.append(state)
            summary[picking.id] = (ranks, max(filter(None, [last, date]), default=None))
        groups = {}
        for picking in self:
            states, date = summary.get(picking.id, (["draft"], None))
            live = [s for s in states if s != "cancelled"] or states
            state = min(live, key=STATE_RANK.get)
            if (
                picking.key_account_tracking_state != state
                or picking.key_account_tracking_date != date
            ):
                groups.setdefault((state, date), []).append(picking.id)
        for (state, date), ids in groups.items():
            self.browse(ids).sudo().write(
                {
                    "key_account_tracking_state": state,
                    "key_account_tracking_date": date,
                }
            )
