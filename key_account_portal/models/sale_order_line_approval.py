# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models

# The line fields whose change needs the customer's approval again.
APPROVAL_LINE_FIELDS = frozenset(
    {"product_id", "product_uom_qty", "product_uom", "price_unit", "discount", "tax_id"}
)


class SaleOrderLine(models.Model):
    """Every path that changes the products, quantities or prices of a
    quotation (the portal, the back office, RPC on the lines themselves)
    tells the order: refused while the customer's approval is pending, an
    approval needed again once it was approved."""

    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._key_account_approval_changed()
        return lines

    def write(self, vals):
        if APPROVAL_LINE_FIELDS & set(vals):
            self.order_id._key_account_approval_changed()
        return super().write(vals)

    def unlink(self):
        self.order_id._key_account_approval_changed()
        return super().unlink()
