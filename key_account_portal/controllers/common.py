# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import os

from odoo import _
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.res_partner_organisation import PORTAL_ROLES

# The roles that read the customer's finance pages (statements, invoices,
# receivables, rebates); answering a statement is finance's alone.
FINANCE_READ_ROLES = ("finance", "admin")

# Upload limits when the system parameters key_account_portal.upload_max_mb
# and key_account_portal.photo_max_mb say nothing.
DEFAULT_UPLOAD_MAX_MB = 10
DEFAULT_PHOTO_MAX_MB = 5


class KeyAccountPortal(CustomerPortal):
    """Checks shared by every key-account portal route.

    Every route finds its records through ``_ka_customer`` and
    ``_ka_order_check`` (record rules first, then the commercial entity
    again) and uses ``sudo()`` only on what they returned.
    """

    # ------------------------------------------------------------------
    # Who is asking
    # ------------------------------------------------------------------
    def _ka_customer(self, write=False, role=None):
        """The key account (commercial entity) of the logged-in portal user.

        Raise AccessError when the user is no contact of a key account, and
        with ``write=True`` when the key account is not approved (under
        review, rejected or suspended accounts read their documents and
        change nothing). With ``role`` (``"admin"``, ``"buyer"``,
        ``"approver"`` or ``"finance"``, or a tuple of them: any one will do)
        the contact must hold that role in its organisation
        (``res.partner._key_account_portal_roles``); a disabled contact
        holds none.
        """
        user = request.env.user
        if user._is_public():
            raise AccessError(_("Sign in to use the key-account portal."))
        return user.partner_id._key_account_portal_check(role=role, write=write)

    def _ka_has_role(self, role):
        """Whether the logged-in user holds ``role`` (or one of the tuple)
        in its key account: for the cards of /my/home."""
        partner = request.env.user.partner_id
        if request.env.user._is_public() or not partner._key_account_portal_access():
            return False
        wanted = {role} if isinstance(role, str) else set(role)
        return bool(wanted & partner._key_account_portal_roles())

    def _ka_order_check(self, order_id, write=False, role=None):
        """The key-account order ``order_id`` (sudo) the user may see.

        Reading needs the record rules to let the user read the order: it is
        his company's. An access token is not enough here: the share link of
        core's ``/my/orders`` page shows one quotation, the key-account pages
        show recipients' names, phones and addresses, for the company's
        contacts only. ``write=True`` also needs the account approved.

        Roles: reading an order needs any role in the company, changing it
        (``write=True``) the buyer role, unless ``role`` says otherwise.
        """
        if role is None:
            role = "buyer" if write else PORTAL_ROLES
        customer = self._ka_customer(write=write, role=role)
        order_sudo = self._document_check_access("sale.order", order_id)
        if order_sudo.partner_id.commercial_partner_id != customer:
            raise AccessError(_("This order is not one of your company's."))
        return order_sudo

    def _document_check_access(self, model_name, document_id, access_token=None):
        """Core's check, for every portal route (core's quotation and invoice
        pages included): an access token does not open a key-account order;
        it still opens a key-account invoice or credit note (core's share
        link), and without a token only the finance and administrator roles
        of the invoice's key account open it. Its
        share link shows the customer's recipients and lets the quotation be
        answered; only the users the record rules let read the order (the
        company's contacts, the sales team) open it."""
        document_sudo = super()._document_check_access(
            model_name, document_id, access_token=access_token
        )
        if (
            model_name == "sale.order"
            and document_sudo.partner_id.commercial_partner_id.is_key_account
        ):
            request.env[model_name].browse(document_id).check_access("read")
        if (
            model_name == "account.move"
            and not (
                access_token
                and document_sudo.access_token
                and consteq(document_sudo.access_token, access_token)
            )
            and document_sudo.partner_id.commercial_partner_id.is_key_account
            and request.env.user.share
            and not self._ka_has_role(FINANCE_READ_ROLES)
        ):
            # invoices and credit notes keep core's share link (the access
            # token opens them: customers forward them to their payables);
            # signed in without it, only finance and administrators open
            # their company's invoices
            raise AccessError(
                _("Only your company's finance colleagues open its invoices.")
            )
        return document_sudo

    # ------------------------------------------------------------------
    # Uploads
    # ------------------------------------------------------------------
    def _ka_max_bytes(self, param, default_mb):
        value = request.env["ir.config_parameter"].sudo().get_param(param)
        try:
            megabytes = float(value) if value else default_mb
        except ValueError:
            megabytes = default_mb
        return int(megabytes * 1024 * 1024)

    def _ka_read_upload(self, upload, extensions, photo=False):
        """Bytes of the uploaded file ``upload`` (a werkzeug FileStorage),
        refused unless its name ends with one of ``extensions`` and it is
        within the size limit. Returns ``(filename, data)``."""
        if not upload or not getattr(upload, "filename", None):
            raise UserError(_("Choose a file to upload."))
        filename = os.path.basename(upload.filename)
        extension = os.path.splitext(filename)[1].lower()
        if extension not in extensions:
            raise UserError(
                _(
                    "%(file)s is not a file of an accepted type: upload a "
                    "%(types)s file.",
                    file=filename,
                    types=", ".join(extensions),
                )
            )
        if photo:
            limit = self._ka_max_bytes(
                "key_account_portal.photo_max_mb", DEFAULT_PHOTO_MAX_MB
            )
        else:
            limit = self._ka_max_bytes(
                "key_account_portal.upload_max_mb", DEFAULT_UPLOAD_MAX_MB
            )
        data = upload.read(limit + 1)
        if len(data) > limit:
            raise UserError(
                _(
                    "%(file)s is larger than %(limit)s MB: upload a smaller file.",
                    file=filename,
                    limit=round(limit / 1024 / 1024, 1),
                )
            )
        if not data:
            raise UserError(_("%(file)s is empty.", file=filename))
        return filename, data

    # ------------------------------------------------------------------
    # /my/home
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "key_account_order_count" in counters:
            partner = request.env.user.partner_id
            values["key_account_order_count"] = (
                request.env["sale.order"].search_count(
                    [
                        (
                            "partner_id.commercial_partner_id",
                            "=",
                            partner.commercial_partner_id.id,
                        ),
                        ("key_account_is_key_account", "=", True),
                    ]
                )
                if self._ka_has_role(PORTAL_ROLES)
                else 0
            )
        return values
