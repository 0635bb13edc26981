# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Ordering in the portal: the contract catalog, draft orders created once
per submission token, the draft panel's forms (quantities, quick-order
pad, delivery options, submit) and reorders. Thin: the rules are the
``_key_account_portal_*`` methods of sale.order and key.account.contract."""

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .common import KeyAccountPortal

# Messages shown by the next page (the catalog or the order's draft panel).
FLASH_KEY = "key_account_portal_order_flash"
# Longest quick-order pad kept in the session to show it again after an error.
PAD_KEEP_CHARS = 20000


class KeyAccountPortalOrdering(KeyAccountPortal):
    _ka_catalog_step = 20

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @staticmethod
    def _ka_flash(target, kind, text, **extra):
        """Keep a message for the next page showing ``target`` ("catalog"
        or an order id)."""
        # new containers: the session saves a value that compares different
        flash = dict(request.session.get(FLASH_KEY) or {})
        flash[str(target)] = [
            *flash.get(str(target), []),
            dict(extra, type=kind, text=text),
        ]
        request.session[FLASH_KEY] = flash

    @staticmethod
    def _ka_new_token():
        return request.env["sale.order"]._key_account_portal_new_token()

    def _ka_active_contract(self, customer):
        return request.env["key.account.contract"].sudo()._get_active_contract(customer)

    @staticmethod
    def _ka_order_url(order):
        return f"/my/key-account/orders/{order.id}"

    def _ka_order_or_redirect(self, order_id):
        """The order (sudo) the user may change, else None."""
        try:
            return self._ka_order_check(order_id, write=True)
        except (AccessError, MissingError):
            return None

    # ------------------------------------------------------------------
    # Catalog
    # ------------------------------------------------------------------
    def _ka_catalog_values(self, customer, contract, search, category, page):
        Product = request.env["product.product"].sudo()
        allowed = contract._key_account_product_domain()
        domain = list(allowed)
        if search:
            domain += [
                "|",
                ("name", "ilike", search),
                ("default_code", "ilike", search),
            ]
        categories = Product._read_group(domain, ["categ_id"], ["__count"])
        category_rec = request.env["product.category"].sudo()
        if category:
            category_rec = category_rec.browse(category).exists()
            if category_rec:
                domain += [("categ_id", "child_of", category_rec.id)]
        total = Product.search_count(domain)
        url_args = {"search": search} if search else {}
        if category_rec:
            url_args["category"] = category_rec.id
        pager = portal_pager(
            url="/my/key-account/catalog",
            url_args=url_args,
            total=total,
            page=page,
            step=self._ka_catalog_step,
        )
        products = Product.search(
            domain,
            order="default_code, name, id",
            limit=self._ka_catalog_step,
            offset=pager["offset"],
        )
        pricelist = contract.sudo().pricelist_id
        currency = pricelist.currency_id or contract.currency_id
        prices = contract._key_account_portal_prices(products)
        warehouse = contract._key_account_portal_warehouse()
        stock_products = products.with_context(warehouse_id=warehouse.id)
        free_qty = dict(
            zip(stock_products.ids, stock_products.mapped("free_qty"), strict=True)
        )
        retail = contract._key_account_portal_retail_prices(products)
        return {
            "page_name": "key_account_catalog",
            "customer": customer,
            "contract": contract,
            "products": products,
            "prices": prices,
            "retail": retail,
            "free_qty": free_qty,
            "warehouse": warehouse,
            "currency": currency,
            "categories": categories,
            "category": category_rec,
            "search": search,
            "pager": pager,
            "token": self._ka_new_token(),
        }

    @http.route(
        ["/my/key-account/catalog", "/my/key-account/catalog/page/<int:page>"],
        type="http",
        auth="user",
        # website=True as core's portal pages: the frontend values
        # portal.portal_layout needs (languages...) are prepared for it
        website=True,
        methods=["GET"],
    )
    def key_account_catalog(self, page=1, search=None, category=None, **kw):
        values = {"page_name": "key_account_catalog", "messages": []}
        values["messages"] = (request.session.get(FLASH_KEY) or {}).get("catalog", [])
        if values["messages"]:
            flash = dict(request.session[FLASH_KEY])
            flash.pop("catalog", None)
            request.session[FLASH_KEY] = flash
        try:
            customer = self._ka_customer(write=True, role="buyer")
        except AccessError as error:
            values["unavailable"] = error.args[0]
            return request.render("key_account_portal.portal_order_catalog", values)
        contract = self._ka_active_contract(customer)
        if not contract:
            values["unavailable"] = _(
                "%(customer)s has no active contract today: the catalog shows "
                "the products and prices of your contract once it is active. "
                "Contact your account manager.",
                customer=customer.name,
            )
            return request.render("key_account_portal.portal_order_catalog", values)
        try:
            category = int(category) if category else None
        except ValueError:
            category = None
        search = (search or "").strip()[:100]
        values.update(
            self._ka_catalog_values(customer, contract, search, category, page)
        )
        return request.render("key_account_portal.portal_order_catalog", values)

    # ------------------------------------------------------------------
    # New draft order (idempotent per token)
    # ------------------------------------------------------------------
    @http.route(
        "/my/key-account/orders/new",
        type="http",
        auth="user",
        website=False,
        methods=["POST"],
    )
    def key_account_order_new(self, token=None, **post):
        try:
            customer = self._ka_customer(write=True, role="buyer")
        except AccessError:
            return request.redirect("/my/key-account/catalog")
        contract = self._ka_active_contract(customer)
        if not contract:
            return request.redirect("/my/key-account/catalog")
        raw_quantities = {}
        for key, value in post.items():
            if key.startswith("qty_") and key[4:].isdigit():
                raw_quantities[int(key[4:])] = value
        SaleOrder = request.env["sale.order"].sudo()
        try:
            SaleOrder._key_account_portal_check_token(token)
            existing = SaleOrder._key_account_portal_find_token(customer, token)
            if existing:
                return request.redirect(self._ka_order_url(existing))
            with request.env.cr.savepoint():
                quantities = SaleOrder._key_account_portal_catalog_quantities(
                    contract, raw_quantities
                )
                order, _created = SaleOrder._key_account_portal_create_draft(
                    contract,
                    token,
                    quantities,
                    buyer=request.env.user.partner_id,
                )
        except UserError as error:
            self._ka_flash("catalog", "danger", error.args[0])
            return request.redirect("/my/key-account/catalog")
        return request.redirect(self._ka_order_url(order))

    # ------------------------------------------------------------------
    # The draft panel's forms
    # ------------------------------------------------------------------
    @http.route(
        "/my/key-account/orders/<int:order_id>/lines",
        type="http",
        auth="user",
        website=False,
        methods=["POST"],
    )
    def key_account_order_lines(self, order_id, quick_pad=None, **post):
        order_sudo = self._ka_order_or_redirect(order_id)
        if order_sudo is None:
            return request.redirect("/my/key-account/orders")
        line_quantities = {}
        for key, value in post.items():
            if key.startswith("line_qty_") and key[9:].isdigit():
                line_quantities[int(key[9:])] = value
        try:
            with request.env.cr.savepoint():
                if line_quantities:
                    order_sudo._key_account_portal_set_lines(line_quantities)
                if (quick_pad or "").strip():
                    order_sudo._key_account_portal_quick_pad(quick_pad)
        except UserError as error:
            self._ka_flash(
                order_sudo.id,
                "danger",
                error.args[0],
                quick_pad=(quick_pad or "")[:PAD_KEEP_CHARS],
            )
        else:
            self._ka_flash(order_sudo.id, "success", _("Quantities saved."))
        return request.redirect(self._ka_order_url(order_sudo))

    @http.route(
        "/my/key-account/orders/<int:order_id>/delivery",
        type="http",
        auth="user",
        website=False,
        methods=["POST"],
    )
    def key_account_order_delivery(self, order_id, **post):
        order_sudo = self._ka_order_or_redirect(order_id)
        if order_sudo is None:
            return request.redirect("/my/key-account/orders")
        try:
            with request.env.cr.savepoint():
                order_sudo._key_account_portal_set_delivery(post)
        except UserError as error:
            self._ka_flash(order_sudo.id, "danger", error.args[0])
        else:
            self._ka_flash(order_sudo.id, "success", _("Delivery options saved."))
        return request.redirect(self._ka_order_url(order_sudo))

    @http.route(
        "/my/key-account/orders/<int:order_id>/submit",
        type="http",
        auth="user",
        website=False,
        methods=["POST"],
    )
    def key_account_order_submit(self, order_id, **post):
        order_sudo = self._ka_order_or_redirect(order_id)
        if order_sudo is None:
            return request.redirect("/my/key-account/orders")
        try:
            with request.env.cr.savepoint():
                submitted = order_sudo._key_account_portal_submit()
        except UserError as error:
            self._ka_flash(order_sudo.id, "danger", error.args[0])
        else:
            if submitted:
                self._ka_flash(
                    order_sudo.id,
                    "success",
                    _(
                        "%(order)s was submitted: our team reviews it and you "
                        "follow its review state on this page.",
                        order=order_sudo.name,
                    ),
                )
            else:
                self._ka_flash(
                    order_sudo.id,
                    "info",
                    _(
                        "%(order)s was already submitted: nothing more to do.",
                        order=order_sudo.name,
                    ),
                )
        return request.redirect(self._ka_order_url(order_sudo))

    # ------------------------------------------------------------------
    # Reorder
    # ------------------------------------------------------------------
    @http.route(
        "/my/key-account/orders/<int:order_id>/reorder",
        type="http",
        auth="user",
        website=False,
        methods=["POST"],
    )
    def key_account_order_reorder(self, order_id, token=None, **post):
        order_sudo = self._ka_order_or_redirect(order_id)
        if order_sudo is None:
            return request.redirect("/my/key-account/orders")
        customer = order_sudo.partner_id.commercial_partner_id
        contract = self._ka_active_contract(customer)
        if not contract:
            self._ka_flash(
                order_sudo.id,
                "danger",
                _(
                    "%(customer)s has no active contract today: a new order "
                    "cannot be started. Contact your account manager.",
                    customer=customer.name,
                ),
            )
            return request.redirect(self._ka_order_url(order_sudo))
        try:
            with request.env.cr.savepoint():
                new_order, created, left_out = order_sudo._key_account_portal_reorder(
                    contract, token, buyer=request.env.user.partner_id
                )
        except UserError as error:
            self._ka_flash(order_sudo.id, "danger", error.args[0])
            return request.redirect(self._ka_order_url(order_sudo))
        if created:
            self._ka_flash(
                new_order.id,
                "success",
                _(
                    "New order started from %(order)s with its products and "
                    "recipients: check the quantities and submit it.",
                    order=order_sudo.name,
                ),
            )
            if left_out:
                self._ka_flash(
                    new_order.id,
                    "warning",
                    _(
                        "Left out, not part of your contract any more: %(products)s.",
                        products=", ".join(left_out.mapped("display_name")),
                    ),
                )
        return request.redirect(self._ka_order_url(new_order))
