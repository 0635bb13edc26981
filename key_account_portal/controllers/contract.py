# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from . import common

PRICES_PER_PAGE = 40


class KeyAccountPortalContract(common.KeyAccountPortal):
    """The key account's active contract: terms, validity, execution and
    contract prices, and its other contracts (read only)."""

    @http.route(
        ["/my/key-account/contract", "/my/key-account/contract/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def key_account_contract(self, page=1, **kw):
        try:
            customer = self._ka_customer(role=common.PORTAL_ROLES)
        except AccessError:
            return request.redirect("/my")
        Contract = request.env["key.account.contract"]
        # record rules: the user's company's contracts once signed
        contract = Contract._get_active_contract(customer)
        other_contracts = Contract.search(
            [
                ("partner_id", "=", customer.id),
                ("state", "not in", ("draft", "cancelled")),
                ("id", "!=", contract.id),
            ]
        )
        values = {
            "page_name": "key_account_contract",
            "customer": customer,
            "contract": contract.sudo(),
            "other_contracts": other_contracts.sudo(),
        }
        if contract:
            values.update(self._ka_contract_price_values(contract.sudo(), page))
        return request.render("key_account_portal.portal_key_account_contract", values)

    def _ka_contract_price_values(self, contract_sudo, page):
        """The page ``page`` of the contract's products with their contract
        and retail prices (one pricelist computation for the page)."""
        Product = (
            request.env["product.product"].sudo().with_company(contract_sudo.company_id)
        )
        domain = contract_sudo._key_account_product_domain()
        total = Product.search_count(domain)
        pager = portal_pager(
            url="/my/key-account/contract",
            total=total,
            page=page,
            step=PRICES_PER_PAGE,
        )
        products = Product.search(
            domain,
            order="default_code, name, id",
            limit=PRICES_PER_PAGE,
            offset=pager["offset"],
        )
        return {
            "pager": pager,
            "products": products,
            "prices": contract_sudo._key_account_portal_prices(products),
            "retail": contract_sudo._key_account_portal_retail_prices(products),
            "progress": contract_sudo._key_account_portal_progress(),
        }
