# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the portal shows of recipients' deliveries (the rows of the order
page and of the delivery report) and the customer's discrepancy with its
photo, on top of the acceptance engine of key_account_order."""

from odoo import Command, api, models
from odoo.exceptions import UserError
from odoo.tools.image import ImageProcess
from odoo.tools.mimetypes import guess_mimetype

PHOTO_MIMETYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
# Fields of the allocations (and their recipients and deliveries) shown.
ALLOCATION_FIELDS = (
    "recipient_id",
    "product_id",
    "quantity",
    "department",
    "branch",
    "picking_id",
    "acceptance_state",
    "discrepancy_type",
    "discrepancy_note",
)
RECIPIENT_FIELDS = (
    "name",
    "phone",
    "state_id",
    "city",
    "key_account_district",
    "street",
    "street2",
)


class KeyAccountAllocation(models.Model):
    _inherit = "key.account.allocation"

    # ------------------------------------------------------------------
    # Rows shown in the portal (order page, recipient list, report)
    # ------------------------------------------------------------------
    @api.model
    def _key_account_portal_tracking_field(self):
        """The carrier's tracking reference of a delivery, when a delivery
        module (stock_delivery) provides one."""
        return (
            "carrier_tracking_ref"
            if "carrier_tracking_ref" in self.env["stock.picking"]._fields
            else None
        )

    @api.model
    def _key_account_portal_address(self, recipient):
        """A recipient's address the Chinese way: province, city, district,
        street."""
        parts = (
            recipient.state_id.name,
            recipient.city,
            recipient.key_account_district,
            recipient.street,
            recipient.street2,
        )
        return " ".join(part for part in parts if part)

    def _key_account_portal_rows(self):
        """Display rows of the allocations of ``self`` (the caller checked
        access and passes them sudo), read in one batch per model: no query
        per recipient."""
        if not self:
            return []
        tracking = self._key_account_portal_tracking_field()
        self.fetch(list(ALLOCATION_FIELDS))
        self.recipient_id.fetch(list(RECIPIENT_FIELDS))
        self.picking_id.fetch(
            ["name", "state", "date_done"] + ([tracking] if tracking else [])
        )
        delivered = {allocation.id: allocation.qty_delivered for allocation in self}
        picking_states = dict(
            self.env["stock.picking"]._fields["state"]._description_selection(self.env)
        )
        acceptance_states = dict(
            self._fields["acceptance_state"]._description_selection(self.env)
        )
        discrepancy_types = dict(
            self._fields["discrepancy_type"]._description_selection(self.env)
        )
        rows = []
        for allocation in self:
            recipient = allocation.recipient_id
            picking = allocation.picking_id
            rows.append(
                {
                    "allocation": allocation,
                    "id": allocation.id,
                    "name": recipient.name or "",
                    "phone": recipient.phone or "",
                    "address": self._key_account_portal_address(recipient),
                    "department": allocation.department or "",
                    "branch": allocation.branch or "",
                    "product": allocation.product_id.display_name or "",
                    "quantity": allocation.quantity,
                    "delivered": delivered[allocation.id],
                    "picking": picking.name or "",
                    "picking_state": picking.state or "",
                    "picking_state_label": picking_states.get(picking.state, "")
                    if picking
                    else self.env._("Not Planned"),
                    "tracking": (picking[tracking] or "") if tracking else "",
                    "is_delivered": picking.state == "done",
                    "acceptance_state": allocation.acceptance_state,
                    "acceptance_label": acceptance_states.get(
                        allocation.acceptance_state, ""
                    ),
                    "discrepancy_label": discrepancy_types.get(
                        allocation.discrepancy_type, ""
                    ),
                    "discrepancy_note": allocation.discrepancy_note or "",
                }
            )
        return rows

    # ------------------------------------------------------------------
    # The customer's discrepancy, with a photo
    # ------------------------------------------------------------------
    @api.model
    def _key_account_portal_check_photo(self, filename, data):
        """The mimetype of the discrepancy photo ``data`` (named
        ``filename``): an image by its content, readable as one."""
        mimetype = guess_mimetype(data)
        if mimetype not in PHOTO_MIMETYPES:
            raise UserError(
                self.env._(
                    "%(file)s is not a photo: upload a JPEG, PNG, GIF or WebP image.",
                    file=filename,
                )
            )
        try:
            ImageProcess(data, verify_resolution=True)
        except (UserError, ValueError, OSError):
            raise UserError(
                self.env._(
                    "%(file)s could not be read as an image: upload the photo "
                    "again in JPEG or PNG.",
                    file=filename,
                )
            ) from None
        return mimetype

    def _key_account_portal_report_discrepancy(
        self, discrepancy_type, note, photo=None
    ):
        """The customer's discrepancy on the goods delivered to these
        recipients, through the acceptance engine; ``photo`` ``(filename,
        bytes)`` is checked to be an image first, then stored on the order
        and shown with the engine's message. Returns the messages posted."""
        self._key_account_portal_check_receiver()
        mimetype = photo and self._key_account_portal_check_photo(*photo)
        messages = self._key_account_report_discrepancy(discrepancy_type, note)
        if photo:
            filename, data = photo
            attachments = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    [
                        {
                            "name": filename,
                            "raw": data,
                            "mimetype": mimetype,
                            "res_model": message.model,
                            "res_id": message.res_id,
                        }
                        for message in messages
                    ]
                )
            )
            for message, attachment in zip(messages, attachments, strict=True):
                message.sudo().attachment_ids = [Command.link(attachment.id)]
        return messages

    def _key_account_portal_check_receiver(self):
        """Accepting or reporting on deliveries is a buyer's: the acting
        portal user must be a buyer of the orders' key account, the account
        approved (staff pass)."""
        self.env["res.partner"]._key_account_check_portal_role(
            "buyer", customer=self.order_id.partner_id, write=True
        )

    def _key_account_accept(self):
        self._key_account_portal_check_receiver()
        return super()._key_account_accept()
