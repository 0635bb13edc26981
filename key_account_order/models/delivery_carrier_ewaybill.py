# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The courier API extension point: an electronic-waybill (电子面单) service
on Odoo's ``delivery_type`` dispatch, and the carrier's tracking webhook secret.

``key_account_ewaybill`` is a documented example of a connector, written
against a generic JSON protocol that aggregators (快递鸟, 快递100, ...) resemble;
a real connector copies it and changes ``_key_account_ewaybill_request`` and
the payload builders only. The protocol:

``POST <url>/orders`` with header ``X-App-Key`` and ``X-Signature`` (hex
HMAC-SHA256 of the raw body, key = the carrier's secret)::

    {"orders": [{"order_ref": "WH/OUT/00012", "receiver": {"name", "phone",
      "province", "city", "district", "address"},
      "packages": [{"package_ref": "PACK0001", "weight": 1.2}]}]}

answers ``{"results": [{"order_ref", "success": true, "waybills":
[{"package_ref", "number", "label_pdf": <base64>}]} | {"order_ref",
"success": false, "error": "..."}]}``; ``POST <url>/cancel`` with
``{"numbers": [...]}`` answers ``{"results": [{"number", "success",
"error"}]}``.

Rollback (odoo#190320: a failure must not leave deliveries half-booked):
the unit is the delivery, per HTTP call. A call that fails (network, HTTP
error, unreadable answer) writes nothing for its deliveries, which report
the error and can be sent again; in an answer with partial errors the booked
deliveries keep their numbers (the courier has booked them: dropping their
numbers would orphan real waybills) and the others report their error, with
nothing written for them. A booked delivery is never sent again (a second
click costs no call).
"""

import hashlib
import hmac
import json
import logging

import requests

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import split_every

from .delivery_carrier import TRACKING_PLACEHOLDER

_logger = logging.getLogger(__name__)

DEFAULT_TRACKING_MAX_BYTES = 1024 * 1024
DEFAULT_TRACKING_MAX_EVENTS = 5000


class DeliveryCarrier(models.Model):
    _inherit = "delivery.carrier"

    delivery_type = fields.Selection(
        selection_add=[("key_account_ewaybill", "Electronic Waybill API (电子面单)")],
        ondelete={"key_account_ewaybill": "set default"},
    )
    key_account_ewaybill_url = fields.Char(
        string="E-Waybill API URL", help="Base URL of the electronic-waybill service."
    )
    key_account_ewaybill_app_key = fields.Char(
        string="E-Waybill App Key", groups="base.group_system"
    )
    key_account_ewaybill_secret = fields.Char(
        string="E-Waybill Secret", groups="base.group_system"
    )
    key_account_ewaybill_batch_size = fields.Integer(
        string="Deliveries per API Call", default=100
    )
    key_account_tracking_secret = fields.Char(
        string="Tracking Webhook Secret",
        groups="base.group_system",
        copy=False,
        help="Key of the HMAC-SHA256 signature (header X-KA-Signature) of the "
        "tracking pushes sent to /key-account/tracking/<carrier id>.",
    )

    # ------------------------------------------------------------------
    # Tracking webhook
    # ------------------------------------------------------------------
    def _key_account_tracking_max_bytes(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(
                "key_account_order.tracking_max_bytes", DEFAULT_TRACKING_MAX_BYTES
            )
        )

    def _key_account_tracking_max_events(self):
        return int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(
                "key_account_order.tracking_max_events", DEFAULT_TRACKING_MAX_EVENTS
            )
        )

    @staticmethod
    def _key_account_sign(secret, body):
        return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()

    def _key_account_check_tracking_signature(self, body, signature):
        """Constant-time check of ``signature`` (``sha256=<hex>`` or the hex
        alone) against the carrier's secret; no secret, no push."""
        self.ensure_one()
        secret = self.sudo().key_account_tracking_secret
        if not secret or not signature:
            return False
        given = signature.split("=", 1)[1] if "=" in signature else signature
        return hmac.compare_digest(
            self._key_account_sign(secret, body), given.strip().lower()
        )

    # ------------------------------------------------------------------
    # The e-waybill connector (delivery_type dispatch)
    # ------------------------------------------------------------------
    def key_account_ewaybill_rate_shipment(self, order):
        return {
            "success": True,
            "price": self.fixed_price,
            "error_message": False,
            "warning_message": False,
        }

    def _key_account_ewaybill_request(self, path, payload):
        """One signed HTTP call; returns the decoded answer or raises
        UserError naming the service and the cause."""
        self.ensure_one()
        carrier = self.sudo()
        body = json.dumps(payload, ensure_ascii=False).encode()
        url = (carrier.key_account_ewaybill_url or "").rstrip("/") + path
        try:
            response = requests.post(
                url,
                data=body,
                headers={
                    "Content-Type": "application/json",
                    "X-App-Key": carrier.key_account_ewaybill_app_key or "",
                    "X-Signature": self._key_account_sign(
                        carrier.key_account_ewaybill_secret or "", body
                    ),
                },
                timeout=30,
            )
            response.raise_for_status()
            answer = response.json()
            if not isinstance(answer.get("results"), list):
                raise TypeError("no results")
        except (
            requests.RequestException,
            ValueError,
            TypeError,
            AttributeError,
        ) as error:
            raise UserError(
                self.env._(
                    "The e-waybill service of %(carrier)s did not answer (%(error)s): "
                    "nothing was booked for these deliveries; send them again later.",
                    carrier=self.display_name,
                    error=str(error)[:200],
                )
            ) from error
        return answer["results"]

    def _key_account_ewaybill_order(self, picking):
        partner = picking.partner_id
        packages = picking.move_line_ids.result_package_id
        return {
            "order_ref": picking.name,
            "receiver": {
                "name": partner.name or "",
                "phone": partner.phone or partner.mobile or "",
                "province": partner.state_id.name or "",
                "city": partner.city or "",
                "district": partner.key_account_district or "",
                "address": " ".join(filter(None, [partner.street, partner.street2])),
            },
            "packages": [
                {"package_ref": package.name, "weight": package.shipping_weight}
                for package in packages
            ]
            or [{"package_ref": picking.name, "weight": picking.shipping_weight}],
        }

    def key_account_ewaybill_send_shipping(self, pickings):
        """Book ``pickings`` with one call per batch; returns one dict per
        picking (core's format plus ``error``). Called by core's
        ``send_to_shipper`` for one picking (an error raises) or by
        ``stock.picking._key_account_send_shipping`` for many."""
        self.ensure_one()
        results = {}
        booked = pickings.key_account_parcel_ids.filtered(
            lambda p: (
                p.carrier_id == self
                and p.waybill_number
                and p.tracking_state != "cancelled"
            )
        )
        for picking in booked.picking_id:
            results[picking.id] = {
                "tracking_number": booked.filtered(
                    lambda p, pk=picking: p.picking_id == pk
                )[:1].waybill_number,
                "error": False,
            }
        todo = pickings.filtered(lambda p: p.id not in results)
        for chunk in split_every(
            max(self.key_account_ewaybill_batch_size, 1),
            todo.ids,
            self.env["stock.picking"].browse,
        ):
            try:
                answer = self._key_account_ewaybill_request(
                    "/orders",
                    {"orders": [self._key_account_ewaybill_order(p) for p in chunk]},
                )
            except UserError as error:
                for picking in chunk:
                    results[picking.id] = {
                        "tracking_number": False,
                        "error": str(error),
                    }
                continue
            results.update(self._key_account_ewaybill_record(chunk, answer))
        outcome = [{"exact_price": 0.0, **results[picking.id]} for picking in pickings]
        if len(pickings) == 1 and outcome[0]["error"]:
            raise UserError(outcome[0]["error"])
        return outcome

    def _key_account_ewaybill_record(self, pickings, answer):
        """Parcels and label attachments of the booked deliveries of one
        answer, in one savepoint; the others report their error."""
        by_ref = {picking.name: picking for picking in pickings}
        packages = {
            package.name: package
            for package in pickings.move_line_ids.result_package_id
        }
        results, parcels, labels = {}, [], []
        for item in answer:
            picking = by_ref.get(str(item.get("order_ref")))
            if not picking or picking.id in results:
                continue
            waybills = item.get("waybills") or []
            if not item.get("success") or not waybills:
                results[picking.id] = {
                    "tracking_number": False,
                    "error": self.env._(
                        "%(delivery)s was not booked by %(carrier)s: %(error)s",
                        delivery=picking.name,
                        carrier=self.display_name,
                        error=item.get("error") or self.env._("no waybill number"),
                    ),
                }
                continue
            for sequence, waybill in enumerate(waybills, start=1):
                parcels.append(
                    {
                        "picking_id": picking.id,
                        "carrier_id": self.id,
                        "sequence": sequence,
                        "package_id": packages.get(waybill.get("package_ref"), False)
                        and packages[waybill["package_ref"]].id,
                        "waybill_number": str(waybill.get("number")),
                        "tracking_state": "booked",
                    }
                )
                labels.append(waybill.get("label_pdf"))
            results[picking.id] = {
                "tracking_number": str(waybills[0].get("number")),
                "error": False,
            }
        for picking in pickings:
            results.setdefault(
                picking.id,
                {
                    "tracking_number": False,
                    "error": self.env._(
                        "%(delivery)s is missing from the answer of %(carrier)s: "
                        "send it again.",
                        delivery=picking.name,
                        carrier=self.display_name,
                    ),
                },
            )
        if parcels:
            with self.env.cr.savepoint():
                records = self.env["key.account.parcel"].sudo().create(parcels)
                records._key_account_attach_labels(labels)
        return results

    def key_account_ewaybill_cancel_shipment(self, pickings):
        """One call for all the waybills of ``pickings`` (core hands the
        whole set, once per picking: odoo#289809; the second time finds
        nothing left to cancel)."""
        self.ensure_one()
        parcels = pickings.key_account_parcel_ids.filtered(
            lambda p: (
                p.carrier_id == self
                and p.waybill_number
                and p.tracking_state != "cancelled"
            )
        )
        if not parcels:
            return True
        answer = self._key_account_ewaybill_request(
            "/cancel", {"numbers": parcels.mapped("waybill_number")}
        )
        failed = {
            str(item.get("number")): item.get("error") or ""
            for item in answer
            if not item.get("success")
        }
        parcels.filtered(lambda p: p.waybill_number not in failed).sudo().write(
            {"tracking_state": "cancelled"}
        )
        parcels.picking_id._key_account_update_tracking_state()
        if failed:
            raise UserError(
                self.env._(
                    "%(carrier)s did not cancel waybill(s) %(numbers)s: %(error)s",
                    carrier=self.display_name,
                    numbers=", ".join(failed),
                    error="; ".join(filter(None, failed.values())),
                )
            )
        return True

    def key_account_ewaybill_get_tracking_link(self, picking):
        return self._key_account_tracking_link(picking.carrier_tracking_ref)

    def _key_account_parcel_tracking_link(self, number):
        """The courier's page for one waybill ``number``."""
        self.ensure_one()
        if not number:
            return False
        if self.tracking_url:
            return self.tracking_url.replace(TRACKING_PLACEHOLDER, number)
        if self.key_account_ewaybill_url:
            return f"{self.key_account_ewaybill_url.rstrip('/')}/track/{number}"
        return False


class KeyAccountParcel(models.Model):
    _inherit = "key.account.parcel"

    label_attachment_id = fields.Many2one(
        comodel_name="ir.attachment", string="Label", readonly=True, copy=False
    )

    def _key_account_attach_labels(self, labels):
        """Store the courier's label PDFs (base64, one per parcel, in order)
        as attachments of the parcels (one create)."""
        vals_list, owners = [], []
        for parcel, label in zip(self, labels, strict=True):
            if not label:
                continue
            vals_list.append(
                {
                    "name": f"{parcel.waybill_number}.pdf",
                    "res_model": parcel._name,
                    "res_id": parcel.id,
                    "type": "binary",
                    "datas": label,
                    "mimetype": "application/pdf",
                }
            )
            owners.append(parcel)
        attachments = self.env["ir.attachment"].sudo().create(vals_list)
        for parcel, attachment in zip(owners, attachments, strict=True):
            parcel.sudo().label_attachment_id = attachment
        return attachments


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def action_key_account_send_shipping(self):
        """Book a selection of deliveries with their API carriers, in
        batches (one call per N per carrier); report what failed."""
        errors = self._key_account_send_shipping()
        if errors:
            raise UserError("\n".join(errors[:50]))
        return True

    def _key_account_send_shipping(self):
        """Returns the errors (one per delivery not booked); the booked
        deliveries get their numbers whatever happened to the others."""
        self.check_access("write")
        errors = []
        for carrier in self.carrier_id:
            if carrier.delivery_type != "key_account_ewaybill":
                continue
            pickings = self.filtered(lambda p, c=carrier: p.carrier_id == c)
            outcome = (
                carrier.with_context(key_account_batch_shipping=True).send_shipping(
                    pickings
                )
                if len(pickings) > 1
                else [self._key_account_send_one(carrier, pickings)]
            )
            groups = {}
            for picking, res in zip(pickings, outcome, strict=True):
                if res.get("error"):
                    errors.append(res["error"])
                elif picking.carrier_tracking_ref != res["tracking_number"]:
                    groups.setdefault(res["tracking_number"], []).append(picking.id)
            for number, ids in groups.items():
                self.browse(ids).carrier_tracking_ref = number
        return errors

    def _key_account_send_one(self, carrier, picking):
        try:
            return carrier.send_shipping(picking)[0]
        except UserError as error:
            return {"tracking_number": False, "error": str(error)}
