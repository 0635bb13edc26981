# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The e-waybill connector against a local HTTP server (the only double:
at the HTTP boundary)."""

import base64
import hashlib
import hmac
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.pdf import PdfFileWriter

from .parcel_common import KeyAccountParcelCommon


def blank_pdf():
    writer = PdfFileWriter()
    writer.addBlankPage(width=283, height=425)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


class FakeEwaybillService:
    """Answers like an e-waybill service; ``fail_refs`` are refused,
    ``status`` other than 200 is an HTTP error for every call."""

    def __init__(self, secret):
        self.secret = secret
        self.calls = []
        self.fail_refs = set()
        self.status = 200
        self.serial = 0
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = hmac.new(
                    service.secret.encode(), body, hashlib.sha256
                ).hexdigest()
                signed = hmac.compare_digest(expected, self.headers["X-Signature"])
                payload = json.loads(body)
                service.calls.append((self.path, payload, signed))
                if service.status != 200 or not signed:
                    self.send_response(service.status if signed else 401)
                    self.end_headers()
                    return
                answer = {"results": service.answer(self.path, payload)}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, path, payload):
        if path == "/cancel":
            return [{"number": n, "success": True} for n in payload["numbers"]]
        label = base64.b64encode(blank_pdf()).decode()
        results = []
        for order in payload["orders"]:
            if order["order_ref"] in self.fail_refs:
                results.append(
                    {
                        "order_ref": order["order_ref"],
                        "success": False,
                        "error": "地址不详",
                    }
                )
                continue
            waybills = []
            for package in order["packages"]:
                self.serial += 1
                waybills.append(
                    {
                        "package_ref": package["package_ref"],
                        "number": f"EW{self.serial:08d}",
                        "label_pdf": label,
                    }
                )
            results.append(
                {"order_ref": order["order_ref"], "success": True, "waybills": waybills}
            )
        return results

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@tagged("post_install", "-at_install")
class TestEwaybill(KeyAccountParcelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service = FakeEwaybillService("app-secret")
        cls.addClassCleanup(cls.service.stop)
        cls.ewaybill = cls._create_carrier("电子面单", cls.company)
        cls.ewaybill.write(
            {
                "delivery_type": "key_account_ewaybill",
                "key_account_ewaybill_url": cls.service.url,
                "key_account_ewaybill_app_key": "app",
                "key_account_ewaybill_secret": "app-secret",
                "key_account_ewaybill_batch_size": 2,
                "tracking_url": False,
            }
        )
        # the common fixture booked them with a file carrier: start afresh
        cls.parcels.unlink()
        cls.pickings.carrier_id = cls.ewaybill

    def setUp(self):
        super().setUp()
        self.service.calls.clear()
        self.service.fail_refs.clear()
        self.service.status = 200

    def test_batched_booking_with_labels(self):
        errors = self.pickings._key_account_send_shipping()
        self.assertEqual(errors, [])
        self.assertEqual(len(self.service.calls), 2, "3 deliveries, 2 per call")
        self.assertTrue(all(signed for _path, _payload, signed in self.service.calls))
        parcels = self.pickings.key_account_parcel_ids
        self.assertEqual(len(parcels), 3)
        self.assertEqual(set(parcels.mapped("tracking_state")), {"booked"})
        for picking in self.pickings:
            self.assertEqual(
                picking.carrier_tracking_ref,
                picking.key_account_parcel_ids.waybill_number,
            )
        self.assertEqual(len(parcels.label_attachment_id), 3)
        self.assertTrue(parcels[0].label_attachment_id.raw.startswith(b"%PDF"))
        self.assertEqual(
            parcels[0].tracking_url,
            f"{self.service.url}/track/{parcels[0].waybill_number}",
        )
        # a second click books nothing again and calls nobody
        self.pickings._key_account_send_shipping()
        self.assertEqual(len(self.service.calls), 2)
        self.assertEqual(len(self.pickings.key_account_parcel_ids), 3)

    def test_partial_errors_keep_the_booked(self):
        failing = self.pickings[1]
        self.service.fail_refs.add(failing.name)
        errors = self.pickings._key_account_send_shipping()
        self.assertEqual(len(errors), 1)
        self.assertIn(failing.name, errors[0])
        self.assertIn("地址不详", errors[0])
        self.assertFalse(failing.key_account_parcel_ids)
        self.assertFalse(failing.carrier_tracking_ref)
        booked = self.pickings - failing
        self.assertEqual(len(booked.key_account_parcel_ids), 2)
        # sent again: only the failed one goes to the courier
        self.service.fail_refs.clear()
        self.service.calls.clear()
        self.assertEqual(self.pickings._key_account_send_shipping(), [])
        self.assertEqual(len(self.service.calls), 1)
        self.assertEqual(
            [o["order_ref"] for o in self.service.calls[0][1]["orders"]], [failing.name]
        )

    def test_http_failure_writes_nothing(self):
        self.service.status = 500
        errors = self.pickings._key_account_send_shipping()
        self.assertEqual(len(errors), 3)
        self.assertFalse(self.pickings.key_account_parcel_ids)
        self.assertFalse(any(self.pickings.mapped("carrier_tracking_ref")))
        with self.assertRaises(UserError):
            self.pickings[0].send_to_shipper()
        self.assertFalse(self.pickings[0].key_account_parcel_ids)

    def test_cancel_once_for_the_set(self):
        self.pickings._key_account_send_shipping()
        self.service.calls.clear()
        self.pickings.cancel_shipment()
        cancels = [call for call in self.service.calls if call[0] == "/cancel"]
        self.assertEqual(len(cancels), 1, "one call for the set, not one per picking")
        self.assertEqual(len(cancels[0][1]["numbers"]), 3)
        self.assertEqual(
            set(self.pickings.key_account_parcel_ids.mapped("tracking_state")),
            {"cancelled"},
        )
        self.assertEqual(
            set(self.pickings.mapped("key_account_tracking_state")), {"cancelled"}
        )
