# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The contract's pricelist: derived from the company's key-account price
tier (or its promotion pricelist) and the contract discounts, kept in sync
whenever the discounts change."""

from contextlib import contextmanager
from contextvars import ContextVar

from odoo import fields, models

# Ids of the contracts whose pricelist sync waits for the end of a write
# that syncs them once (their discount lines are written inside it). A
# Python-side switch: unlike a context key, no client can set it.
_SYNC_DEFERRED = ContextVar("key_account_contract_sync_deferred", default=frozenset())


class KeyAccountContract(models.Model):
    _inherit = "key.account.contract"

    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Contract Pricelist",
        readonly=True,
        copy=False,
        check_company=True,
        help="Pricelist derived from the key-account price and the contract "
        "discounts; kept in sync with the discount lines.",
    )

    @contextmanager
    def _defer_pricelist_sync(self):
        """Within this block, the pricelists of ``self`` are not synced (the
        caller syncs them once at the end)."""
        token = _SYNC_DEFERRED.set(_SYNC_DEFERRED.get() | frozenset(self.ids))
        try:
            yield
        finally:
            _SYNC_DEFERRED.reset(token)

    def _get_base_pricelists(self):
        """Return {contract: pricelist its prices are based on}.

        The key-account pricelist of the contract's company (else the shared
        one); for contracts where promotions apply, the
        company's promotion pricelist (``key_account_is_promotion``, itself based
        on the key-account pricelist) when there is one.
        """
        promotions = self.env["product.pricelist"]
        if any(self.mapped("allow_promotions")):
            promotions = (
                self.env["product.pricelist"]
                .sudo()
                .search(
                    [
                        ("key_account_is_promotion", "=", True),
                        ("company_id", "in", [*self.company_id.ids, False]),
                    ],
                    order="company_id, sequence, id",
                )
            )
        result = {}
        for contract in self:
            base = contract.company_id._key_account_get_pricelist()
            if contract.allow_promotions:
                # a company's own promotion pricelist wins over a shared one
                base = (
                    promotions.filtered(
                        lambda p, c=contract: p.company_id == c.company_id
                    )
                    or promotions.filtered(lambda p: not p.company_id)
                )[:1] or base
            result[contract] = base
        return result

    def _prepare_pricelist_item_vals(self, base_pricelist):
        self.ensure_one()
        common = {
            "pricelist_id": self.pricelist_id.id,
            "compute_price": "formula",
            "base": "pricelist" if base_pricelist else "list_price",
            "base_pricelist_id": base_pricelist.id,
        }
        vals_list = [dict(common, applied_on="3_global", price_discount=self.discount)]
        for line in self.discount_line_ids:
            if line.product_id:
                vals = {
                    "applied_on": "0_product_variant",
                    "product_id": line.product_id.id,
                }
            else:
                vals = {
                    "applied_on": "2_product_category",
                    "categ_id": line.categ_id.id,
                }
            vals_list.append(dict(common, price_discount=line.discount, **vals))
        return vals_list

    def _prepare_pricelist_vals(self):
        self.ensure_one()
        return {
            "name": self.env._("Contract %(contract)s", contract=self.name),
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "key_account_contract_id": self.id,
        }

    def _sync_pricelist(self):
        """Create the contract pricelists that are missing and rewrite their items
        from the contract discounts (one unlink and one create of items)."""
        deferred = _SYNC_DEFERRED.get()
        contracts = self.sudo().filtered(lambda c: c.id not in deferred)
        if not contracts:
            return
        Pricelist = self.env["product.pricelist"].sudo()
        missing = contracts.filtered(lambda c: not c.pricelist_id)
        if missing:
            pricelists = Pricelist.create(
                [contract._prepare_pricelist_vals() for contract in missing]
            )
            for contract, pricelist in zip(missing, pricelists, strict=True):
                contract.pricelist_id = pricelist
        for contract in contracts - missing:
            if (
                contract.pricelist_id.currency_id != contract.currency_id
                or contract.pricelist_id.company_id != contract.company_id
            ):
                contract.pricelist_id.write(
                    {
                        "currency_id": contract.currency_id.id,
                        "company_id": contract.company_id.id,
                    }
                )
        contracts.pricelist_id.item_ids.unlink()
        bases = contracts._get_base_pricelists()
        item_vals = []
        for contract in contracts:
            item_vals += contract._prepare_pricelist_item_vals(bases[contract])
        self.env["product.pricelist.item"].sudo().create(item_vals)
