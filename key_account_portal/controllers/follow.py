# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Following a key-account order in the portal: the company's orders, the
order page with its recipients' deliveries (paged, searchable), acceptance
and discrepancies through the allocations' acceptance engine
(key_account_order), and the recipient delivery report (XLSX). The routes
check access and call the models: the rows, the photo of a discrepancy and
the report are built by ``key.account.allocation`` and ``sale.order``
(models/key_account_allocation_follow.py, models/sale_order_follow.py).

Every page reads a constant number of queries whatever the number of
recipients of the order: one ``search_count`` for the pager, one search of
the page's allocations, and batched reads of their fields (prefetch).
"""

import logging

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import content_disposition, request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .common import PORTAL_ROLES, KeyAccountPortal

_logger = logging.getLogger(__name__)

# Recipients per page of the order page and of the recipient list.
RECIPIENTS_PER_PAGE = 50
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PHOTO_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp")


class KeyAccountPortalFollow(KeyAccountPortal):
    # ------------------------------------------------------------------
    # The company's orders
    # ------------------------------------------------------------------
    def _ka_follow_order_sortings(self):
        return {
            "date": {"label": _("Newest"), "order": "date_order desc, id desc"},
            "name": {"label": _("Reference"), "order": "name desc, id desc"},
            "amount": {"label": _("Total"), "order": "amount_total desc, id desc"},
            "review": {
                "label": _("Review Status"),
                "order": "key_account_review_state, date_order desc, id desc",
            },
        }

    def _ka_follow_order_filters(self):
        return {
            "all": {"label": _("All"), "domain": []},
            "draft": {
                "label": _("Drafts"),
                "domain": [
                    ("state", "in", ("draft", "sent")),
                    ("key_account_review_state", "=", "none"),
                    ("key_account_confirm_state", "=", False),
                ],
            },
            "review_pending": {
                "label": _("In the Review Pool"),
                "domain": [("key_account_review_state", "=", "pending")],
            },
            "review_returned": {
                "label": _("Sent Back"),
                "domain": [
                    ("state", "in", ("draft", "sent")),
                    ("key_account_review_state", "=", "returned"),
                ],
            },
            "confirming": {
                "label": _("Being Confirmed"),
                "domain": [("key_account_confirm_state", "in", ("queued", "running"))],
            },
            "confirm_failed": {
                "label": _("Confirmation Failed"),
                "domain": [("key_account_confirm_state", "=", "failed")],
            },
            "confirmed": {
                "label": _("Confirmed"),
                "domain": [("state", "=", "sale")],
            },
            "discrepancy": {
                "label": _("With a Discrepancy"),
                "domain": [("key_account_has_discrepancy", "=", True)],
            },
        }

    def _ka_follow_orders_values(self, page=1, sortby=None, filterby=None):
        customer = self._ka_customer(role=PORTAL_ROLES)
        SaleOrder = request.env["sale.order"]
        sortings = self._ka_follow_order_sortings()
        filters = self._ka_follow_order_filters()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        # The record rules scope the portal user already; the company is
        # named again so that an internal user sees his own company's only.
        domain = [
            ("partner_id.commercial_partner_id", "=", customer.id),
            ("key_account_is_key_account", "=", True),
            *filters[filterby]["domain"],
        ]
        url = "/my/key-account/orders"
        pager = portal_pager(
            url=url,
            total=SaleOrder.search_count(domain),
            page=page,
            step=self._items_per_page,
            url_args={"sortby": sortby, "filterby": filterby},
        )
        orders = SaleOrder.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "ka_orders": orders.sudo(),
                "ka_customer": customer,
                "page_name": "key_account_orders",
                "pager": pager,
                "default_url": url,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return values

    @http.route(
        ["/my/key-account/orders", "/my/key-account/orders/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_key_account_orders(self, page=1, sortby=None, filterby=None, **kw):
        try:
            values = self._ka_follow_orders_values(
                page=page, sortby=sortby, filterby=filterby
            )
        except AccessError:
            return request.redirect("/my")
        return request.render("key_account_portal.portal_ka_orders", values)

    # ------------------------------------------------------------------
    # One order: its lines, states and recipients' deliveries
    # ------------------------------------------------------------------
    def _ka_follow_recipient_filters(self):
        return {
            "all": {"label": _("All Recipients"), "domain": []},
            "to_accept": {
                "label": _("Delivered, to Accept"),
                "domain": [
                    ("acceptance_state", "=", "pending"),
                    ("picking_id.state", "=", "done"),
                ],
            },
            "undelivered": {
                "label": _("Not Delivered Yet"),
                "domain": [
                    "|",
                    ("picking_id", "=", False),
                    ("picking_id.state", "!=", "done"),
                ],
            },
            "accepted": {
                "label": _("Accepted"),
                "domain": [("acceptance_state", "=", "accepted")],
            },
            "discrepancy": {
                "label": _("Discrepancy"),
                "domain": [("acceptance_state", "=", "discrepancy")],
            },
        }

    def _ka_follow_recipient_domain(self, order_sudo, search=None, filterby=None):
        filters = self._ka_follow_recipient_filters()
        domain = [("order_id", "=", order_sudo.id)]
        domain += filters.get(filterby or "all", filters["all"])["domain"]
        search = (search or "").strip()
        if search:
            domain += [
                "|",
                "|",
                "|",
                ("recipient_id.name", "ilike", search),
                ("recipient_id.phone", "ilike", search),
                ("department", "ilike", search),
                ("branch", "ilike", search),
            ]
        return domain

    def _ka_follow_recipient_rows(self, allocations):
        """Display rows of ``allocations`` (sudo): see
        ``key.account.allocation._key_account_portal_rows``."""
        return allocations._key_account_portal_rows()

    def _ka_follow_is_editable_draft(self, order_sudo):
        """Whether the user edits ``order_sudo`` in the draft panel: a
        quotation the customer still changes, of his own approved key
        account."""
        user = request.env.user
        return bool(
            order_sudo._key_account_portal_is_editable()
            and order_sudo.partner_id.commercial_partner_id
            == user.partner_id.commercial_partner_id
            and user.partner_id._key_account_portal_access() == "active"
        )

    def _ka_follow_order_values(
        self,
        order_sudo,
        page=1,
        search=None,
        filterby=None,
        recipients_only=False,
        **kwargs,
    ):
        Allocation = request.env["key.account.allocation"].sudo()
        if filterby not in self._ka_follow_recipient_filters():
            filterby = "all"
        search = (search or "").strip()
        domain = self._ka_follow_recipient_domain(order_sudo, search, filterby)
        base_url = f"/my/key-account/orders/{order_sudo.id}"
        url = f"{base_url}/recipients" if recipients_only else base_url
        url_args = {}
        if search:
            url_args["search"] = search
        if filterby != "all":
            url_args["filterby"] = filterby
        pager = portal_pager(
            url=url,
            total=Allocation.search_count(domain),
            page=page,
            step=RECIPIENTS_PER_PAGE,
            url_args=url_args,
        )
        allocations = Allocation.search(
            domain, order="id", limit=RECIPIENTS_PER_PAGE, offset=pager["offset"]
        )
        user = request.env.user
        own = (
            order_sudo.partner_id.commercial_partner_id
            == user.partner_id.commercial_partner_id
        )
        can_accept = bool(
            own
            and order_sudo.state == "sale"
            and user.partner_id._key_account_portal_access() == "active"
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "ka_order": order_sudo,
                "ka_base_url": base_url,
                "ka_recipients_only": recipients_only,
                "ka_rows": self._ka_follow_recipient_rows(allocations),
                "ka_search": search,
                "ka_recipient_filters": self._ka_follow_recipient_filters(),
                "ka_filterby": filterby,
                "ka_can_accept": can_accept,
                # the chatter posts with the order's token (portal users do
                # not write orders); the token opens the thread only to
                # users who may read the order (sale_order_core_portal.py)
                "ka_chatter_token": (
                    order_sudo._portal_ensure_token()
                    if own
                    and not recipients_only
                    and user.partner_id._key_account_portal_access() == "active"
                    else False
                ),
                "ka_editable_draft": not recipients_only
                and self._ka_follow_is_editable_draft(order_sudo),
                "ka_has_tracking": bool(
                    request.env[
                        "key.account.allocation"
                    ]._key_account_portal_tracking_field()
                ),
                "ka_discrepancy_types": request.env["key.account.allocation"]
                ._fields["discrepancy_type"]
                ._description_selection(request.env),
                "ka_error": kwargs.get("ka_error"),
                "ka_success": kwargs.get("ka_success"),
                "page_name": "key_account_order",
                "pager": pager,
            }
        )
        return values

    def _ka_follow_render_order(self, order_id, **kwargs):
        try:
            order_sudo = self._ka_order_check(order_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._ka_follow_order_values(order_sudo, **kwargs)
        return request.render("key_account_portal.portal_ka_order", values)

    def _ka_follow_success(self, accepted=None, reported=None):
        if accepted:
            return _("%(count)s recipient delivery(ies) accepted.", count=int(accepted))
        if reported:
            return _(
                "Discrepancy recorded for %(count)s recipient delivery(ies): your "
                "account manager is informed.",
                count=int(reported),
            )
        return None

    @http.route(
        [
            "/my/key-account/orders/<int:order_id>",
            "/my/key-account/orders/<int:order_id>/page/<int:page>",
        ],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_key_account_order(
        self,
        order_id,
        page=1,
        search=None,
        filterby=None,
        accepted=None,
        reported=None,
        **kw,
    ):
        return self._ka_follow_render_order(
            order_id,
            page=page,
            search=search,
            filterby=filterby,
            ka_success=self._ka_follow_success(
                accepted=accepted if str(accepted or "").isdigit() else None,
                reported=reported if str(reported or "").isdigit() else None,
            ),
        )

    @http.route(
        [
            "/my/key-account/orders/<int:order_id>/recipients",
            "/my/key-account/orders/<int:order_id>/recipients/page/<int:page>",
        ],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_key_account_order_recipients(
        self, order_id, page=1, search=None, filterby=None, **kw
    ):
        return self._ka_follow_render_order(
            order_id,
            page=page,
            search=search,
            filterby=filterby,
            recipients_only=True,
        )

    # ------------------------------------------------------------------
    # Acceptance (验收), through the back office's engine
    # ------------------------------------------------------------------
    def _ka_follow_selected_allocations(self, order_sudo, allow_all=False):
        """The allocations (sudo) of ``order_sudo`` the form selected
        (``allocation_ids``), each checked to belong to the order; with
        ``allow_all`` and no selection, every delivered recipient still
        waiting for acceptance."""
        Allocation = request.env["key.account.allocation"].sudo()
        raw_ids = request.httprequest.form.getlist("allocation_ids")
        if not raw_ids:
            if not allow_all:
                raise UserError(_("Select the recipients concerned."))
            allocations = Allocation.search(
                [
                    ("order_id", "=", order_sudo.id),
                    ("acceptance_state", "=", "pending"),
                    ("picking_id.state", "=", "done"),
                ]
            )
            if not allocations:
                raise UserError(
                    _(
                        "No delivered recipient of %(order)s waits for acceptance.",
                        order=order_sudo.name,
                    )
                )
            return allocations
        try:
            ids = {int(value) for value in raw_ids}
        except ValueError:
            raise UserError(_("The selection of recipients is not valid.")) from None
        allocations = Allocation.search(
            [("id", "in", list(ids)), ("order_id", "=", order_sudo.id)]
        )
        if len(allocations) != len(ids):
            raise UserError(
                _(
                    "Some of the selected recipients are not recipients of "
                    "%(order)s: reload the page and select them again.",
                    order=order_sudo.name,
                )
            )
        return allocations

    def _ka_follow_post(self, order_id, action):
        """Run ``action(order_sudo)`` for a POST on the order ``order_id``:
        the order of the user's approved key account only, nothing written
        when it fails (its message is shown on the order page)."""
        try:
            order_sudo = self._ka_order_check(order_id, write=True)
        except (AccessError, MissingError) as error:
            try:
                # The account is not approved: its user reads the reason on
                # the page. Anybody else sees nothing of the order.
                self._ka_order_check(order_id)
            except (AccessError, MissingError):
                return request.redirect("/my")
            return self._ka_follow_render_order(
                order_id, ka_error=str(error.args[0] if error.args else error)
            )
        try:
            with request.env.cr.savepoint():
                redirect = action(order_sudo)
        except UserError as error:
            return self._ka_follow_render_order(
                order_id, ka_error=str(error.args[0] if error.args else error)
            )
        return request.redirect(redirect)

    @http.route(
        "/my/key-account/orders/<int:order_id>/accept",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_key_account_order_accept(self, order_id, **post):
        def accept(order_sudo):
            allocations = self._ka_follow_selected_allocations(
                order_sudo, allow_all=True
            )
            allocations._key_account_accept()
            return (
                f"/my/key-account/orders/{order_sudo.id}"
                f"?accepted={len(allocations)}#ka_recipients"
            )

        return self._ka_follow_post(order_id, accept)

    @http.route(
        "/my/key-account/orders/<int:order_id>/discrepancy",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_key_account_order_discrepancy(
        self, order_id, discrepancy_type=None, note=None, photo=None, **post
    ):
        def report(order_sudo):
            allocations = self._ka_follow_selected_allocations(order_sudo)
            image = None
            if photo and getattr(photo, "filename", None):
                image = self._ka_read_upload(photo, PHOTO_EXTENSIONS, photo=True)
            allocations._key_account_portal_report_discrepancy(
                discrepancy_type, note, photo=image
            )
            return (
                f"/my/key-account/orders/{order_sudo.id}"
                f"?reported={len(allocations)}#ka_recipients"
            )

        return self._ka_follow_post(order_id, report)

    # ------------------------------------------------------------------
    # Recipient delivery report (XLSX)
    # ------------------------------------------------------------------
    @http.route(
        "/my/key-account/orders/<int:order_id>/report.xlsx",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_key_account_order_report(self, order_id, **kw):
        try:
            order_sudo = self._ka_order_check(order_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        data = order_sudo._key_account_portal_report_xlsx()
        filename = _("%(order)s recipient deliveries.xlsx", order=order_sudo.name)
        return request.make_response(
            data,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Length", len(data)),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
