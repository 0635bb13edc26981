# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The recipients of a draft order in the portal: upload a list (the back
office's import engine; long lists in the background) or pick recipients of
earlier orders."""

import base64

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools import SQL, file_open, float_round

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .common import KeyAccountPortal

UPLOAD_EXTENSIONS = (".csv", ".xlsx")
TEMPLATES = {
    "xlsx": (
        "key_account_order/static/import/key_account_recipients.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "csv": (
        "key_account_order/static/import/key_account_recipients.csv",
        "text/csv; charset=utf-8",
    ),
}
PICK_PAGE_SIZE = 50


class KeyAccountPortalRecipients(KeyAccountPortal):
    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _ka_recip_order(self, order_id):
        """The order (sudo) the user may read, or None."""
        try:
            return self._ka_order_check(order_id)
        except (AccessError, MissingError):
            return None

    def _ka_recip_can_edit(self, order_sudo):
        return (
            request.env.user.partner_id._key_account_portal_access() == "active"
            and order_sudo._key_account_portal_is_editable()
        )

    def _ka_recip_upload_values(self, order_sudo, **values):
        allocations, recipients = order_sudo._key_account_portal_recipient_counts()
        imports = (
            request.env["key.account.portal.import"]
            .sudo()
            .search([("order_id", "=", order_sudo.id)], limit=5)
        )
        return {
            "page_name": "key_account_recipients",
            "order": order_sudo,
            "can_edit": self._ka_recip_can_edit(order_sudo),
            "allocation_count": allocations,
            "recipient_count": recipients,
            "imports": imports,
            "background_rows": imports._key_account_portal_background_rows(),
            "errors": [],
            "message": False,
            "imported": False,
            **values,
        }

    def _ka_recip_render_upload(self, order_sudo, **values):
        return request.render(
            "key_account_portal.portal_recipients_upload",
            self._ka_recip_upload_values(order_sudo, **values),
        )

    def _ka_recip_write_check(self, order_id):
        """``(order_sudo, None)`` for an order the user may change, else
        ``(None, response)``: the page with the reason when the user may read
        the order, a redirect to /my when not."""
        try:
            order_sudo = self._ka_order_check(order_id, write=True)
            order_sudo._key_account_portal_check_editable()
        except (AccessError, MissingError, UserError) as error:
            readable = self._ka_recip_order(order_id)
            if not readable:
                return None, request.redirect("/my")
            return None, self._ka_recip_render_upload(readable, message=error.args[0])
        return order_sudo, None

    # ------------------------------------------------------------------
    # Upload
    # ------------------------------------------------------------------
    @http.route(
        "/my/key-account/orders/<int:order_id>/recipients/upload",
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
    )
    def key_account_recipients_upload_page(self, order_id, imported=None, **kw):
        order_sudo = self._ka_recip_order(order_id)
        if not order_sudo:
            return request.redirect("/my")
        try:
            imported = int(imported) if imported else False
        except ValueError:
            imported = False
        return self._ka_recip_render_upload(order_sudo, imported=imported)

    @http.route(
        "/my/key-account/orders/<int:order_id>/recipients/upload",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def key_account_recipients_upload(
        self, order_id, recipients_file=None, import_mode=None, **kw
    ):
        order_sudo, response = self._ka_recip_write_check(order_id)
        if response:
            return response
        mode = import_mode if import_mode in ("add", "replace") else False
        try:
            filename, data = self._ka_read_upload(recipients_file, UPLOAD_EXTENSIONS)
        except UserError as error:
            return self._ka_recip_render_upload(
                order_sudo, errors=[{"row": False, "message": error.args[0]}]
            )
        wizard = (
            request.env["key.account.recipient.import"]
            .sudo()
            .with_company(order_sudo.company_id)
            .create(
                {
                    "order_id": order_sudo.id,
                    "file": base64.b64encode(data),
                    "filename": filename,
                    "import_mode": mode,
                }
            )
        )
        Import = request.env["key.account.portal.import"]
        rows = wizard._key_account_portal_count_rows()
        if rows > Import._key_account_portal_background_rows():
            try:
                record = Import._key_account_portal_queue(
                    order_sudo, request.env.user, filename, data, mode, rows
                )
            except UserError as error:
                return self._ka_recip_render_upload(
                    order_sudo, errors=[{"row": False, "message": error.args[0]}]
                )
            return request.redirect(
                f"/my/key-account/orders/{order_sudo.id}/recipients/import/{record.id}"
            )
        result = wizard._key_account_portal_import()
        if result["errors"]:
            return self._ka_recip_render_upload(
                order_sudo, errors=result["errors"], filename=filename
            )
        return request.redirect(
            f"/my/key-account/orders/{order_sudo.id}/recipients/upload"
            f"?imported={result['rows']}"
        )

    # ------------------------------------------------------------------
    # Background import progress
    # ------------------------------------------------------------------
    @http.route(
        "/my/key-account/orders/<int:order_id>/recipients/import/<int:import_id>",
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
    )
    def key_account_recipients_import(self, order_id, import_id, format=None, **kw):
        order_sudo = self._ka_recip_order(order_id)
        record = (
            request.env["key.account.portal.import"]
            .sudo()
            .search([("id", "=", import_id), ("order_id", "=", order_sudo.id)])
            if order_sudo
            else None
        )
        if not record:
            if format == "json":
                return request.make_json_response({"error": "not_found"}, status=404)
            return request.redirect("/my")
        status = record._key_account_portal_status()
        if format == "json":
            return request.make_json_response(status)
        allocations, recipients = order_sudo._key_account_portal_recipient_counts()
        return request.render(
            "key_account_portal.portal_recipients_import",
            {
                "page_name": "key_account_recipients",
                "order": order_sudo,
                "import": record,
                "status": status,
                "allocation_count": allocations,
                "recipient_count": recipients,
            },
        )

    # ------------------------------------------------------------------
    # Templates
    # ------------------------------------------------------------------
    @http.route(
        [
            "/my/key-account/recipients/template.xlsx",
            "/my/key-account/recipients/template.csv",
        ],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
    )
    def key_account_recipients_template(self, **kw):
        try:
            self._ka_customer(role="buyer")
        except AccessError:
            return request.redirect("/my")
        extension = request.httprequest.path.rsplit(".", 1)[1]
        path, mimetype = TEMPLATES[extension]
        with file_open(path, "rb") as template:
            content = template.read()
        return request.make_response(
            content,
            headers=[
                ("Content-Type", mimetype),
                (
                    "Content-Disposition",
                    http.content_disposition(
                        _("recipients_template") + "." + extension
                    ),
                ),
            ],
        )

    # ------------------------------------------------------------------
    # Recipients of earlier orders
    # ------------------------------------------------------------------
    def _ka_recip_pick_domain(self, customer, search):
        domain = [
            ("parent_id", "=", customer.id),
            ("key_account_recipient", "=", True),
        ]
        search = (search or "").strip()
        if search:
            # Recipients of the customer's allocations in that department:
            # a sub-query, whatever the number of recipients.
            by_department = (
                request.env["key.account.allocation"]
                .sudo()
                ._search(
                    [
                        ("order_id.partner_id.commercial_partner_id", "=", customer.id),
                        ("department", "ilike", search),
                    ]
                )
            )
            domain += [
                "|",
                "|",
                ("name", "ilike", search),
                ("phone", "ilike", search),
                (
                    "id",
                    "in",
                    by_department.subselect(
                        SQL.identifier(by_department.table, "recipient_id")
                    ),
                ),
            ]
        return domain

    def _ka_recip_pick_products(self, order_sudo, customer):
        """Products offered on the pick page: those of the order and of the
        customer's earlier orders that the order's contract allows."""
        groups = (
            request.env["sale.order.line"]
            .sudo()
            ._read_group(
                [
                    ("order_id.partner_id.commercial_partner_id", "=", customer.id),
                    ("display_type", "=", False),
                    ("product_id.sale_ok", "=", True),
                    ("company_id", "=", order_sudo.company_id.id),
                ],
                groupby=["product_id"],
            )
        )
        products = order_sudo.order_line.product_id
        for (product,) in groups:
            products |= product
        return order_sudo._key_account_portal_orderable(products).sorted("display_name")

    def _ka_recip_pick_values(self, order_sudo, search=None, page=1, **values):
        customer = order_sudo.partner_id.commercial_partner_id
        Partner = request.env["res.partner"].sudo().with_context(active_test=False)
        domain = self._ka_recip_pick_domain(customer, search)
        total = Partner.search_count(domain)
        url = f"/my/key-account/orders/{order_sudo.id}/recipients/pick"
        pager = portal_pager(
            url=url,
            total=total,
            page=page,
            step=PICK_PAGE_SIZE,
            url_args={"search": search} if search else {},
        )
        recipients = Partner.search(
            domain, order="name, id", limit=PICK_PAGE_SIZE, offset=pager["offset"]
        )
        departments = {}
        if recipients:
            for recipient, department in (
                request.env["key.account.allocation"]
                .sudo()
                ._read_group(
                    [
                        ("recipient_id", "in", recipients.ids),
                        ("department", "!=", False),
                    ],
                    groupby=["recipient_id", "department"],
                )
            ):
                departments.setdefault(recipient.id, department)
        on_order = set()
        if recipients:
            on_order = {
                recipient.id
                for (recipient,) in request.env["key.account.allocation"]
                .sudo()
                ._read_group(
                    [
                        ("order_id", "=", order_sudo.id),
                        ("recipient_id", "in", recipients.ids),
                    ],
                    groupby=["recipient_id"],
                )
            }
        allocations, recipient_count = order_sudo._key_account_portal_recipient_counts()
        return {
            "page_name": "key_account_recipients_pick",
            "order": order_sudo,
            "can_edit": self._ka_recip_can_edit(order_sudo),
            "recipients": recipients,
            "departments": departments,
            "on_order": on_order,
            "products": self._ka_recip_pick_products(order_sudo, customer),
            "pager": pager,
            "search": search or "",
            "total": total,
            "allocation_count": allocations,
            "recipient_count": recipient_count,
            "message": False,
            "error": False,
            "added": False,
            **values,
        }

    @http.route(
        [
            "/my/key-account/orders/<int:order_id>/recipients/pick",
            "/my/key-account/orders/<int:order_id>/recipients/pick/page/<int:page>",
        ],
        type="http",
        auth="user",
        methods=["GET"],
        website=True,
    )
    def key_account_recipients_pick_page(
        self, order_id, page=1, search=None, added=None, **kw
    ):
        order_sudo = self._ka_recip_order(order_id)
        if not order_sudo:
            return request.redirect("/my")
        try:
            added = int(added) if added else False
        except ValueError:
            added = False
        return request.render(
            "key_account_portal.portal_recipients_pick",
            self._ka_recip_pick_values(order_sudo, search, page, added=added),
        )

    @http.route(
        "/my/key-account/orders/<int:order_id>/recipients/pick",
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def key_account_recipients_pick(self, order_id, **post):
        try:
            order_sudo = self._ka_order_check(order_id, write=True)
        except (AccessError, MissingError) as error:
            readable = self._ka_recip_order(order_id)
            if not readable:
                return request.redirect("/my")
            return request.render(
                "key_account_portal.portal_recipients_pick",
                self._ka_recip_pick_values(readable, error=error.args[0]),
            )
        customer = order_sudo.partner_id.commercial_partner_id
        search = post.get("search") or None
        try:
            recipient_ids = [
                int(value)
                for value in request.httprequest.form.getlist("recipient_ids")
            ]
            product_id = int(post.get("product_id") or 0)
            quantity = float_round(float(post.get("quantity") or 0), 6)
        except ValueError:
            recipient_ids, product_id, quantity = [], 0, 0.0
        products = self._ka_recip_pick_products(order_sudo, customer)
        product = products.filtered(lambda p: p.id == product_id)
        try:
            if not product:
                raise UserError(_("Choose one of the products in the list."))
            recipients = (
                request.env["res.partner"]
                .sudo()
                .with_context(active_test=False)
                .search(
                    [
                        ("id", "in", recipient_ids),
                        ("parent_id", "=", customer.id),
                        ("key_account_recipient", "=", True),
                    ]
                )
            )
            if len(recipients) != len(set(recipient_ids)):
                raise UserError(_("Choose recipients from the list."))
            with request.env.cr.savepoint():
                count = order_sudo._key_account_portal_add_recipients(
                    recipients,
                    product,
                    quantity,
                    department=post.get("department"),
                    branch=post.get("branch"),
                )
        except UserError as error:
            return request.render(
                "key_account_portal.portal_recipients_pick",
                self._ka_recip_pick_values(order_sudo, search, error=error.args[0]),
            )
        return request.redirect(
            f"/my/key-account/orders/{order_sudo.id}/recipients/pick?added={count}"
        )
