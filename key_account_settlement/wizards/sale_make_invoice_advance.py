# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models
from odoo.exceptions import UserError

from ..models.sale_order import PERIOD_QUANTITIES


class SaleAdvancePaymentInv(models.TransientModel):
    _inherit = "sale.advance.payment.inv"

    @api.model
    def default_get(self, fields_list):
        """Orders of contracts invoiced per delivery are invoiced order by
        order by default (one invoice per order, the contract's policy);
        the user may still tick "Consolidated Billing"."""
        values = super().default_get(fields_list)
        context = self.env.context
        if (
            "consolidated_billing" in fields_list
            and context.get("active_model") == "sale.order"
            and context.get("active_ids")
        ):
            orders = self.env["sale.order"].browse(context["active_ids"])
            if all(
                order.key_account_contract_id.invoice_policy == "delivery"
                for order in orders
            ):
                values["consolidated_billing"] = False
        return values

    def _create_invoices(self, sale_orders):
        """The "Create Invoice" of orders (regular invoices and down
        payments) respects the contract: orders of a contract invoiced per
        period are invoiced by the period's consolidated invoice."""
        period_orders = sale_orders._key_account_period_orders()
        if period_orders:
            raise UserError(
                self.env._(
                    "%(orders)s cannot be invoiced on their own: their contract "
                    "%(contracts)s is invoiced once per period (consolidated "
                    'invoice). Use "Invoice Period" on the contract, or change '
                    "the contract's invoicing policy.",
                    orders=", ".join(period_orders.mapped("name")),
                    contracts=", ".join(
                        period_orders.key_account_contract_id.mapped("name")
                    ),
                )
            )
        # quantities of a consolidated invoice never come from the client
        return super()._create_invoices(
            sale_orders.with_context(**{PERIOD_QUANTITIES: None})
        )
