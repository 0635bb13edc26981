# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Validating the booked deliveries of a wave or a selection in one action.

Core's own validation (``button_validate`` → ``_action_done``, which sends
the shipping notice once per delivery) runs once for every delivery ready to
go. Deliveries that cannot be shipped whole (not booked, not enough stock
reserved) are reported and left as they are. Should core refuse the batch
(one delivery raising), the batch is rolled back to its savepoint and the
deliveries are validated one by one, each in a savepoint of its own: the
failing ones are reported, the others validated; none is left half-done.
"""

import logging

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import float_compare

_logger = logging.getLogger(__name__)


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _key_account_booked(self):
        """The deliveries with a waybill number (a live parcel or core's ref)."""
        return self.filtered(
            lambda p: (
                p.carrier_tracking_ref
                or any(
                    parcel.waybill_number and parcel.tracking_state != "cancelled"
                    for parcel in p.key_account_parcel_ids
                )
            )
        )

    def _key_account_validate_booked(self):
        """Validate these deliveries; returns ``(validated, {picking: error})``."""
        self.check_access("write")
        errors = {}
        todo = self.filtered(lambda p: p.state not in ("done", "cancel"))
        for picking in todo - todo._key_account_booked():
            errors[picking] = self.env._(
                "%(delivery)s has no waybill number: book it first.",
                delivery=picking.name,
            )
        ready = self.browse()
        for picking in todo._key_account_booked():
            short = picking.state != "assigned" or any(
                float_compare(
                    move.quantity,
                    move.product_uom_qty,
                    precision_rounding=move.product_uom.rounding,
                )
                < 0
                for move in picking.move_ids
                if move.state not in ("done", "cancel")
            )
            if short:
                errors[picking] = self.env._(
                    "%(delivery)s: not enough stock reserved to ship it whole; "
                    "check availability or restock, then validate it again.",
                    delivery=picking.name,
                )
            else:
                ready |= picking
        if not ready:
            return ready, errors
        validator = ready.with_context(
            skip_backorder=True,
            picking_ids_not_to_backorder=ready.ids,
            skip_sms=True,
        )
        try:
            with self.env.cr.savepoint():
                validator.move_ids.picked = True
                result = validator.button_validate()
                if result is not True:
                    raise UserError(self.env._("The validation asks for a wizard."))
            return ready, errors
        except UserError as error:
            _logger.info("batch validation refused (%s): one by one", error)
            # the savepoint is rolled back: so must be what the cache holds
            self.env.invalidate_all()
        validated = self.browse()
        for picking in ready:
            # core validates every delivery named in picking_ids_not_to_backorder
            picking = picking.with_context(
                skip_backorder=True,
                picking_ids_not_to_backorder=picking.ids,
                skip_sms=True,
            )
            try:
                with self.env.cr.savepoint():
                    picking.move_ids.picked = True
                    result = picking.button_validate()
                    if result is not True:
                        raise UserError(self.env._("The validation asks for a wizard."))
                validated |= picking
            except UserError as error:
                self.env.invalidate_all()
                errors[picking] = self.env._(
                    "%(delivery)s: %(error)s", delivery=picking.name, error=str(error)
                )
        return validated, errors

    def action_key_account_validate_booked(self):
        """The selection's booked deliveries validated in one go; a message
        lists the ones that were not."""
        validated, errors = self._key_account_validate_booked()
        message = self.env._("%(count)s delivery(ies) validated.", count=len(validated))
        if errors:
            message += "\n" + "\n".join(list(errors.values())[:50])
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Validate Booked Deliveries"),
                "message": message,
                "type": "warning" if errors else "success",
                "sticky": bool(errors),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
