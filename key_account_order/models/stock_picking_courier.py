# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The courier of each recipient delivery, and the cancellation of booked
shipments once per carrier."""

from collections import defaultdict

from odoo import models
from odoo.exceptions import AccessError, UserError

from .delivery_carrier import split_names

STOCK_USER_GROUP = "stock.group_stock_user"


class StockPicking(models.Model):
    _inherit = "stock.picking"

    # ------------------------------------------------------------------
    # Carrier per delivery
    # ------------------------------------------------------------------
    def _key_account_assign_carriers(self):
        """Give each open recipient delivery of ``self`` without a carrier
        its carrier: the order's, else a branch rule, else an address rule
        (``delivery.carrier._match_address``, cities included). One search of
        the rule carriers, one read of the branches, one write per carrier."""
        pickings = self.filtered(
            lambda p: (
                not p.carrier_id
                and p.key_account_recipient
                and p.picking_type_code == "outgoing"
                and p.state not in ("done", "cancel")
            )
        )
        if not pickings:
            return {}
        rules = (
            self.env["delivery.carrier"]
            .sudo()
            .search(
                [
                    ("key_account_auto_assign", "=", True),
                    ("company_id", "in", [False, *pickings.company_id.ids]),
                ],
                order="sequence, id",
            )
        )
        branches = defaultdict(set)
        if rules.filtered("key_account_branch_names"):
            allocations = (
                self.env["key.account.allocation"]
                .sudo()
                .search_fetch(
                    [("picking_id", "in", pickings.ids), ("branch", "!=", False)],
                    ["picking_id", "branch"],
                )
            )
            for allocation in allocations:
                branches[allocation.picking_id.id].add(allocation.branch.strip())
        branch_rules = [
            (carrier, split_names(carrier.key_account_branch_names))
            for carrier in rules
            if carrier.key_account_branch_names
        ]
        address_rules = rules.filtered(lambda c: not c.key_account_branch_names)
        by_carrier = defaultdict(list)
        for picking in pickings:
            carrier = picking.sale_id.carrier_id
            if not carrier:
                company = picking.company_id
                candidates = [
                    c
                    for c, names in branch_rules
                    if names & branches[picking.id]
                    and c.company_id in (company, company[:0])
                ]
                carrier = candidates[0] if candidates else None
            if not carrier:
                carrier = next(
                    (
                        c
                        for c in address_rules
                        if c.company_id in (picking.company_id, c.company_id[:0])
                        and c._match_address(picking.partner_id)
                    ),
                    None,
                )
            if carrier:
                by_carrier[carrier].append(picking.id)
        for carrier, ids in by_carrier.items():
            self.browse(ids).write({"carrier_id": carrier.id})
        return {carrier: self.browse(ids) for carrier, ids in by_carrier.items()}

    def _key_account_set_carrier(self, carrier):
        """Change the carrier of a selection of deliveries (stock users
        only; checked here, not by the view)."""
        if not (self.env.su or self.env.user.has_group(STOCK_USER_GROUP)):
            raise AccessError(
                self.env._("Only inventory users can change the carrier of deliveries.")
            )
        done = self.filtered(lambda p: p.state in ("done", "cancel"))
        if done:
            raise UserError(
                self.env._(
                    "The carrier of %(deliveries)s cannot change: done or cancelled.",
                    deliveries=", ".join(done[:10].mapped("name")),
                )
            )
        self.write({"carrier_id": carrier.id})
        return True

    # The delivery's tracking state from its parcels:
    # _key_account_update_tracking_state (key_account_parcel_tracking.py).

    # ------------------------------------------------------------------
    # Cancellation: once per carrier, numbers released
    # ------------------------------------------------------------------
    def cancel_shipment(self):
        # Core hands the whole selection to each picking's carrier, once per
        # picking (N deliveries cancelled N times each, odoo#289809).
        self._key_account_cancel_shipments()

    def _key_account_cancel_shipments(self):
        """Cancel the booked shipments of ``self``: each carrier's
        cancellation once with its own deliveries, then the parcels
        cancelled and their numbers released, ``carrier_tracking_ref``
        cleared."""
        booked = self.filtered(
            lambda p: (
                p.carrier_tracking_ref
                or any(parcel.waybill_number for parcel in p.key_account_parcel_ids)
            )
        )
        if not booked:
            return
        refs = {
            picking.id: picking.carrier_tracking_ref
            or ", ".join(
                number
                for number in picking.key_account_parcel_ids.mapped("waybill_number")
                if number
            )
            for picking in booked
        }
        for carrier in booked.carrier_id:
            # Core's fixed and rule-based carriers have no cancellation.
            if carrier.delivery_type not in ("fixed", "base_on_rule"):
                carrier.cancel_shipment(
                    booked.filtered(lambda p, c=carrier: p.carrier_id == c)
                )
        booked.key_account_parcel_ids.filtered(
            "waybill_number"
        ).sudo()._key_account_release()
        booked._message_log_batch(
            bodies={
                picking_id: self.env._("Shipment %(ref)s cancelled", ref=ref)
                for picking_id, ref in refs.items()
            }
        )
        booked.write({"carrier_tracking_ref": False})
        booked._key_account_update_tracking_state()

    def action_cancel(self):
        booked = self.filtered(
            lambda p: any(parcel.waybill_number for parcel in p.key_account_parcel_ids)
        )
        result = super().action_cancel()
        booked.filtered(lambda p: p.state == "cancel")._key_account_cancel_shipments()
        return result
