# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Stock speed-up layer (see ``stock_move_batched.py``): the stock rule of
identical recipient procurements is looked up once."""

from odoo import api, models

RULE_CACHE = "key_account_rules"


class ProcurementGroup(models.Model):
    _inherit = "procurement.group"

    @api.model
    def _get_rule(self, product_id, location_id, values):
        """While recipient procurements run (see ``_key_account_run``), the
        rule of identical (product, location, route, warehouse, company...)
        procurements is looked up once instead of once per recipient."""
        cache = self.env.cr.cache.get(RULE_CACHE)
        if cache is None or not values.get("key_account_allocation_id"):
            return super()._get_rule(product_id, location_id, values)
        routes = values.get("route_ids") or self.env["stock.route"]
        key = (
            self.env.uid,
            self.env.su,
            product_id.id,
            location_id.id,
            tuple(routes.ids),
            values.get("product_packaging_id") and values["product_packaging_id"].id,
            values.get("warehouse_id") and values["warehouse_id"].id,
            values.get("company_id") and values["company_id"].id,
            "sale_line_id" in values,
        )
        if key not in cache:
            cache[key] = super()._get_rule(product_id, location_id, values)
        return cache[key]

    @api.model
    def _key_account_run(self, procurements):
        """``run`` for recipient procurements, with the rule cache when the
        stock speed-up layer is on."""
        if not self.env["stock.move"]._key_account_stock_batch_enabled():
            return self.run(procurements)
        self.env.cr.cache[RULE_CACHE] = {}
        try:
            return self.run(procurements)
        finally:
            self.env.cr.cache.pop(RULE_CACHE, None)
