# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The tracking webhook a courier aggregator calls (see README, Tracking).

    POST /key-account/tracking/<carrier_id>
    X-KA-Signature: sha256=<hex HMAC-SHA256 of the raw body, key = the
                    carrier's tracking secret>
    {"events": [{"number": "SF1234", "status": "已签收",
                 "time": "2026-12-03T10:00:00+08:00", "id": "evt-1",
                 "description": "...", "location": "..."}]}

Thin: checks size and signature, then hands the events to the model.
"""

import json
import logging

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)


class KeyAccountTrackingController(http.Controller):
    def _json(self, status, payload):
        return request.make_json_response(payload, status=status)

    @http.route(
        "/key-account/tracking/<int:carrier_id>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def key_account_tracking_push(self, carrier_id, **_kwargs):
        carrier_model = request.env["delivery.carrier"].sudo()
        limit = carrier_model._key_account_tracking_max_bytes()
        length = request.httprequest.content_length
        if length is not None and length > limit:
            return self._json(413, {"error": "payload too large", "limit": limit})
        body = request.httprequest.get_data(cache=False)
        if len(body) > limit:
            return self._json(413, {"error": "payload too large", "limit": limit})
        carrier = carrier_model.browse(carrier_id).exists()
        signature = request.httprequest.headers.get("X-KA-Signature", "")
        if not carrier or not carrier._key_account_check_tracking_signature(
            body, signature
        ):
            _logger.warning("tracking push for carrier %s refused", carrier_id)
            return self._json(403, {"error": "unknown carrier or bad signature"})
        try:
            payload = json.loads(body)
            events = payload["events"] if isinstance(payload, dict) else payload
            if not isinstance(events, list):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            return self._json(400, {"error": 'expected {"events": [...]}'})
        if len(events) > carrier._key_account_tracking_max_events():
            return self._json(413, {"error": "too many events"})
        result = (
            request.env["key.account.parcel"]
            .sudo()
            ._key_account_ingest_events(carrier, events, source="push")
        )
        return self._json(200, result)
