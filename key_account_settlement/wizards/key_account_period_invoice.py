# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import format_date


class KeyAccountPeriodInvoice(models.TransientModel):
    _name = "key.account.period.invoice"
    _description = "Consolidated Invoicing of Contracts per Period"

    contract_ids = fields.Many2many(
        "key.account.contract",
        string="Contracts",
        required=True,
        domain="[('invoice_policy', '=', 'period'), "
        "('state', 'in', ('active', 'expired', 'terminated'))]",
    )
    date_start = fields.Date(
        string="Period Start",
        required=True,
        default=lambda self: fields.Date.context_today(self) + relativedelta(day=1),
    )
    date_end = fields.Date(
        string="Period End",
        required=True,
        default=fields.Date.context_today,
        help="Deliveries done up to the end of this day (and not invoiced yet) "
        "are invoiced; later deliveries wait for the next period.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if (
            "contract_ids" in fields_list
            and context.get("active_model") == "key.account.contract"
            and context.get("active_ids")
        ):
            values["contract_ids"] = [fields.Command.set(context["active_ids"])]
        return values

    def action_create_invoices(self):
        self.ensure_one()
        invoices = self.contract_ids._key_account_create_period_invoices(
            self.date_start, self.date_end
        )
        if not invoices:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "message": self.env._(
                        "Nothing to invoice or credit: every quantity delivered "
                        "or returned up to %(date)s is invoiced already.",
                        date=format_date(self.env, self.date_end),
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return invoices._get_records_action(name=self.env._("Consolidated Invoices"))
