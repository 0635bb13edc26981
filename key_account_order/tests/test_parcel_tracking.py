# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import hashlib
import hmac
import json

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .parcel_common import KeyAccountParcelCommon


def event(parcel, status, time, **values):
    return {"number": parcel.waybill_number, "status": status, "time": time, **values}


@tagged("post_install", "-at_install")
class TestParcelTracking(KeyAccountParcelCommon):
    def _ingest(self, events, carrier=None):
        return self.env["key.account.parcel"]._key_account_ingest_events(
            carrier or self.carrier, events
        )

    def test_status_words_map_to_states_and_history(self):
        parcel = self.parcels[0]
        result = self._ingest(
            [
                event(parcel, "已揽收", "2026-12-01T09:00:00+08:00", id="e1"),
                event(parcel, "运输中", "2026-12-01T18:00:00+08:00", id="e2"),
                event(parcel, "Out for delivery", "2026-12-02 08:00:00", id="e3"),
            ]
        )
        self.assertEqual(result["accepted"], 3)
        self.assertEqual(parcel.tracking_state, "in_transit")
        self.assertEqual(str(parcel.tracking_date), "2026-12-02 08:00:00")
        self.assertEqual(
            parcel.tracking_event_ids.mapped("tracking_state"),
            ["in_transit", "in_transit", "picked_up"],
        )
        # a carrier's own word wins over the default table
        self.env["key.account.tracking.status"].create(
            {
                "carrier_id": self.carrier.id,
                "name": "妥投",
                "tracking_state": "delivered",
            }
        )
        self._ingest([event(parcel, "妥投", "2026-12-02T20:00:00+08:00")])
        self.assertEqual(parcel.tracking_state, "delivered")

    def test_replay_and_out_of_order(self):
        parcel = self.parcels[0]
        events = [
            event(parcel, "已签收", "2026-12-02T10:00:00+08:00", id="e9"),
            event(parcel, "运输中", "2026-12-01T10:00:00+08:00", id="e5"),
        ]
        first = self._ingest(events)
        self.assertEqual((first["accepted"], first["duplicates"]), (2, 0))
        self.assertEqual(parcel.tracking_state, "delivered", "latest event wins")
        again = self._ingest(events)
        self.assertEqual((again["accepted"], again["duplicates"]), (0, 2))
        # same number, state and time without an id: a duplicate too
        self._ingest([event(parcel, "已签收", "2026-12-02 02:00:00")])
        self.assertEqual(len(parcel.tracking_event_ids), 2)
        # a late, older event goes to the history only
        self._ingest([event(parcel, "已揽收", "2026-11-30T10:00:00+08:00")])
        self.assertEqual(len(parcel.tracking_event_ids), 3)
        self.assertEqual(parcel.tracking_state, "delivered")

    def test_unknown_and_other_company_numbers(self):
        other_company = self.env["res.company"].create({"name": "Other Distributor"})
        other_carrier = self._create_carrier("中通", other_company)
        result = self._ingest(
            [
                {"number": "NOPE1", "status": "运输中", "time": "2026-12-01T10:00:00Z"},
                event(self.parcels[0], "运输中", "2026-12-01T10:00:00Z"),
                {"number": "X", "status": "飞行中", "time": "2026-12-01T10:00:00Z"},
            ],
            carrier=other_carrier,
        )
        self.assertEqual(result["accepted"], 0)
        self.assertEqual(
            sorted(result["unknown"]), sorted(["NOPE1", self.parcels[0].waybill_number])
        )
        self.assertEqual(len(result["errors"]), 1)
        self.assertEqual(self.parcels[0].tracking_state, "booked")

    def test_signed_marks_delivery_delivered(self):
        picking = self.pickings[0]
        second = self.env["key.account.parcel"].create(
            {
                "picking_id": picking.id,
                "carrier_id": self.carrier.id,
                "waybill_number": "SF-2ND",
                "tracking_state": "booked",
                "sequence": 2,
            }
        )
        self._ingest([event(self.parcels[0], "已签收", "2026-12-02T10:00:00Z")])
        self.assertEqual(picking.key_account_tracking_state, "booked")
        self._ingest([event(second, "已签收", "2026-12-02T11:00:00Z")])
        self.assertEqual(picking.key_account_tracking_state, "delivered")
        self.assertEqual(str(picking.key_account_tracking_date), "2026-12-02 11:00:00")

    def test_exception_notifies_account_manager_and_resolve(self):
        parcel = self.parcels[1]
        self._ingest([event(parcel, "异常", "2026-12-02T10:00:00Z", id="x1")])
        self._ingest([event(parcel, "问题件", "2026-12-02T11:00:00Z", id="x2")])
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "stock.picking"), ("res_id", "=", parcel.picking_id.id)]
        )
        self.assertEqual(len(activities), 1, "one activity per delivery, not per event")
        self.assertEqual(activities.user_id, self.manager)
        self.assertIn(parcel.waybill_number, activities.note)
        listed = self.env["key.account.parcel"].search(
            [
                ("tracking_state", "in", ("exception", "returned")),
                ("exception_resolved", "=", False),
            ]
        )
        self.assertEqual(listed, parcel)
        parcel.with_user(self.manager).action_key_account_resolve_exception()
        self.assertTrue(parcel.exception_resolved)
        self.assertFalse(activities.exists())
        # a return later opens it again
        self._ingest([event(parcel, "退回", "2026-12-03T11:00:00Z")])
        self.assertFalse(parcel.exception_resolved)
        self.assertEqual(parcel.tracking_state, "returned")

    def test_plain_user_cannot_write_tracking(self):
        salesman = new_test_user(
            self.env,
            login="ka_parcel_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
        )
        with self.assertRaises(AccessError):
            self.parcels[0].with_user(salesman).write({"tracking_state": "delivered"})
        with self.assertRaises(AccessError):
            self.parcels[0].with_user(salesman).action_key_account_resolve_exception()


@tagged("post_install", "-at_install")
class TestParcelTrackingQueries(KeyAccountParcelCommon):
    RECIPIENTS = 110

    def _count(self, parcels, day):
        events = [
            event(
                parcel,
                "运输中",
                f"2026-12-{day:02d}T10:{i // 60:02d}:{i % 60:02d}Z",
                id=f"q{day}-{i}",
            )
            for i, parcel in enumerate(parcels)
        ]
        Parcel = self.env["key.account.parcel"]
        Parcel.env.invalidate_all()
        self.env.flush_all()
        start = self.env.cr.sql_log_count
        result = Parcel._key_account_ingest_events(self.carrier, events)
        self.env.flush_all()
        self.assertEqual(result["accepted"], len(parcels))
        return self.env.cr.sql_log_count - start

    def test_queries_per_event_constant(self):
        small = self._count(self.parcels[:10], 1)
        large = self._count(self.parcels[10:110], 2)
        per_event = (large - small) / 90
        self.assertLessEqual(large / 100, 10, f"{large} queries for 100 events")
        self.assertLessEqual(
            per_event, 3, f"{small} queries for 10 events, {large} for 100"
        )


@tagged("post_install", "-at_install")
class TestTrackingWebhook(HttpCase, KeyAccountParcelCommon):
    def _post(self, payload, secret=None, carrier=None, raw=None):
        body = raw if raw is not None else json.dumps(payload).encode()
        signature = hmac.new(
            (secret or self.SECRET).encode(), body, hashlib.sha256
        ).hexdigest()
        return self.url_open(
            f"/key-account/tracking/{(carrier or self.carrier).id}",
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-KA-Signature": f"sha256={signature}",
            },
        )

    def test_push_signed(self):
        parcel = self.parcels[0]
        response = self._post(
            {"events": [event(parcel, "已揽收", "2026-12-01T10:00:00Z", id="w1")]}
        )
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["accepted"], 1)
        self.assertEqual(parcel.tracking_state, "picked_up")
        # replayed: nothing changes
        response = self._post(
            {"events": [event(parcel, "已揽收", "2026-12-01T10:00:00Z", id="w1")]}
        )
        self.assertEqual(response.json()["duplicates"], 1)
        self.assertEqual(len(parcel.tracking_event_ids), 1)

    def test_push_refused(self):
        parcel = self.parcels[0]
        payload = {"events": [event(parcel, "已签收", "2026-12-01T10:00:00Z")]}
        self.assertEqual(self._post(payload, secret="wrong").status_code, 403)
        other = self._create_carrier(
            "京东", self.env["res.company"].create({"name": "Other Co"}), secret="o"
        )
        response = self._post(payload, secret="o", carrier=other)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["unknown"], [parcel.waybill_number])
        self.env["ir.config_parameter"].set_param(
            "key_account_order.tracking_max_bytes", "200"
        )
        big = {"events": [event(parcel, "已签收", "2026-12-01T10:00:00Z")] * 10}
        self.assertEqual(self._post(big).status_code, 413)
        self.assertEqual(self._post(None, raw=b"{not json").status_code, 400)
        self.assertEqual(parcel.tracking_state, "booked")
