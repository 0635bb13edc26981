# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.tools import float_compare

# Context key carrying {sale.order.line id: quantity} while the consolidated
# invoicing of a contract period runs core's ``_create_invoices`` (set by
# ``key.account.contract._key_account_create_period_invoices`` only).
PERIOD_QUANTITIES = "key_account_period_quantities"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _get_invoice_grouping_keys(self):
        """An invoice belongs to one contract (it carries one
        ``key_account_contract_id``): orders of two contracts of a customer
        never share an invoice."""
        return super()._get_invoice_grouping_keys() + ["key_account_contract_id"]

    def _prepare_invoice(self):
        vals = super()._prepare_invoice()
        # a grouping key (below): every invoice's values carry it, so that
        # core can sort them (False sorts with ids, None would not)
        vals.setdefault("key_account_contract_id", False)
        return vals

    def _get_invoiceable_lines(self, final=False):
        lines = super()._get_invoiceable_lines(final)
        quantities = self.env.context.get(PERIOD_QUANTITIES)
        if quantities is None:
            return lines
        # consolidated invoicing: only the lines with a quantity delivered or
        # returned in the period (no down payments: they are deducted by hand
        # if ever)
        product_ids = {
            line.id
            for line in lines
            if not line.display_type and quantities.get(line.id)
        }
        if not product_ids:
            return lines.browse()
        return lines.filtered(lambda line: line.display_type or line.id in product_ids)

    def _key_account_period_orders(self):
        """Orders of ``self`` invoiced per period by their contract."""
        return self.filtered(
            lambda order: order.key_account_contract_id.invoice_policy == "period"
        )


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _prepare_invoice_line(self, **optional_values):
        quantities = self.env.context.get(PERIOD_QUANTITIES)
        if quantities is not None and self.id in quantities and not self.display_type:
            optional_values.setdefault("quantity", quantities[self.id])
        return super()._prepare_invoice_line(**optional_values)

    def _key_account_period_quantities(self, date_end):
        """Quantity of each line of ``self`` to invoice for a period ending on
        ``date_end``: {line id: quantity}, lines with nothing left omitted; a
        negative quantity is to credit (goods returned after they were
        invoiced).

        "Delivered in the period" is what core's accrued-revenue entries call
        delivered at a date: the done moves (deliveries minus returns to
        refund) whose date, in the user's timezone, is on or before
        ``date_end`` (context key ``accrual_entry_date`` of
        ``_get_outgoing_incoming_moves``). Deliveries and returns of earlier
        periods that are still uninvoiced are caught up; those done after the
        period wait for the next one. From it core's ``qty_invoiced`` (draft
        invoices and credit notes included, those made by hand from an
        invoice too) is subtracted. The result goes the way of core's
        ``qty_to_invoice`` and never beyond it: a quantity is never invoiced
        or credited twice, whatever the product's own invoicing policy (a
        product invoiced on ordered quantities is never credited for goods
        not delivered yet). Lines delivered otherwise than by stock moves
        (services) invoice core's ``qty_to_invoice`` once their order is
        confirmed by the end of the period.
        """
        precision = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        quantities = {}
        # core's invoiced quantities are read without the date (stored
        # fields, never recomputed in the accrual context)
        dated_lines = self.with_context(accrual_entry_date=date_end)
        for line, dated in zip(self, dated_lines, strict=True):
            if line.display_type or line.is_downpayment:
                continue
            to_invoice = line.qty_to_invoice
            direction = float_compare(to_invoice, 0.0, precision_digits=precision)
            if not direction:
                continue
            if line.qty_delivered_method == "stock_move":
                outgoing, incoming = dated._get_outgoing_incoming_moves()
                delivered = sum(
                    move.product_uom._compute_quantity(
                        move.quantity, line.product_uom, rounding_method="HALF-UP"
                    )
                    for move in outgoing
                    if move.state == "done"
                ) - sum(
                    move.product_uom._compute_quantity(
                        move.quantity, line.product_uom, rounding_method="HALF-UP"
                    )
                    for move in incoming
                    if move.state == "done"
                )
                period = delivered - line.qty_invoiced
                if direction > 0:
                    quantity = min(to_invoice, period)
                else:
                    quantity = max(to_invoice, period)
            elif fields.Date.context_today(line, line.order_id.date_order) <= date_end:
                quantity = to_invoice
            else:
                continue
            if float_compare(quantity, 0.0, precision_digits=precision) * direction > 0:
                quantities[line.id] = quantity
        return quantities
