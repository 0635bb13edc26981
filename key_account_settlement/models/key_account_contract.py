# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

import psycopg2
from dateutil.relativedelta import relativedelta

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .sale_order import PERIOD_QUANTITIES

_logger = logging.getLogger(__name__)

INVOICING_GROUP = "account.group_account_invoice"
# contracts whose deliveries may still be invoiced
INVOICEABLE_STATES = ("active", "expired", "terminated")


class KeyAccountContract(models.Model):
    _inherit = "key.account.contract"

    period_invoiced_until = fields.Date(
        string="Invoiced up to",
        readonly=True,
        copy=False,
        help="End of the last period invoiced by a consolidated invoice (月结).",
    )

    # ------------------------------------------------------------------
    # Consolidated invoicing per period (月结)
    # ------------------------------------------------------------------
    def action_open_period_invoice_wizard(self):
        self._key_account_check_invoicing_rights()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_settlement.key_account_period_invoice_action"
        )
        action["context"] = {
            "active_model": self._name,
            "active_ids": self.ids,
        }
        return action

    def _key_account_check_invoicing_rights(self):
        if not self.env.su and not self.env.user.has_group(INVOICING_GROUP):
            raise AccessError(
                self.env._(
                    "Only users who may create invoices (Accounting: Billing) run "
                    "the consolidated invoicing of contracts."
                )
            )

    def _key_account_create_period_invoices(self, date_start, date_end):
        """Create the consolidated invoice of each contract of ``self`` for the
        period ``date_start`` - ``date_end``: one draft invoice per contract
        (and invoice address and currency, as core groups invoices) for
        everything delivered up to the end of ``date_end`` and not invoiced
        yet, net of the goods returned (to refund) after they were invoiced
        (see ``sale.order.line._key_account_period_quantities``).

        Returns are netted as core's final invoicing of orders nets them
        (``_create_invoices(final=True)``, the "Create Invoice" of orders with
        returns): one document per contract and period, its returned lines
        with negative quantities; when the period's net is negative, it is a
        credit note (``out_refund``) of the net, its lines still linked to the
        order lines. One document per period keeps the customer's statement,
        the fapiao and the rebate base on the period's real net, and it is
        what core's own invoicing of the same orders would give.

        Never twice for a quantity: the contracts are locked first (a second
        run on them fails at once instead of waiting), then the quantities
        are computed from core's ``qty_invoiced``, which counts the invoices
        the first run created; running it again creates nothing.
        Returns the invoices created.
        """
        self._key_account_check_invoicing_rights()
        date_start = fields.Date.to_date(date_start)
        date_end = fields.Date.to_date(date_end)
        if date_start > date_end:
            raise UserError(
                self.env._(
                    "The period starts on %(start)s, after its end %(end)s: "
                    "correct the dates.",
                    start=date_start,
                    end=date_end,
                )
            )
        not_period = self.filtered(lambda c: c.invoice_policy != "period")
        if not_period:
            raise UserError(
                self.env._(
                    "%(contracts)s are invoiced per delivery, not per period: "
                    "invoice their orders from the orders.",
                    contracts=", ".join(not_period.mapped("name")),
                )
            )
        self._key_account_lock_for_invoicing()
        return self._key_account_invoice_locked_period(date_start, date_end)

    def _key_account_lock_for_invoicing(self, skip_locked=False):
        """Lock the contracts' rows for this transaction without waiting.

        ``skip_locked``: return the contracts that could be locked (the others
        are being invoiced by another transaction), else raise for them.
        """
        if not self.ids:
            return self
        if skip_locked:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM key_account_contract WHERE id IN %s "
                    "FOR UPDATE SKIP LOCKED",
                    tuple(self.ids),
                )
            )
            return self.browse([row[0] for row in self.env.cr.fetchall()])
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM key_account_contract WHERE id IN %s "
                        "FOR UPDATE NOWAIT",
                        tuple(self.ids),
                    )
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                self.env._(
                    "%(contracts)s is being invoiced or changed by another user "
                    "right now. Wait a moment, then check its invoices before "
                    "invoicing the period again.",
                    contracts=", ".join(self.mapped("name")),
                )
            ) from None
        return self

    def _key_account_invoice_locked_period(self, date_start, date_end):
        """Invoice the period of the (locked) contracts of ``self``."""
        if not self:
            return self.env["account.move"]
        orders = self.env["sale.order"].search(
            [
                ("key_account_contract_id", "in", self.ids),
                ("state", "=", "sale"),
                ("invoice_status", "=", "to invoice"),
            ]
        )
        # reading the deliveries is part of invoicing (rights checked above)
        quantities = orders.order_line.sudo()._key_account_period_quantities(date_end)
        invoices = self.env["account.move"]
        if quantities:
            orders = orders.filtered(
                lambda order: any(line.id in quantities for line in order.order_line)
            )
            invoices = (
                orders.with_context(
                    **{
                        PERIOD_QUANTITIES: quantities,
                        "raise_if_nothing_to_invoice": False,
                    }
                )
                ._create_invoices(grouped=False, final=True)
                .with_env(self.env)
            )
            invoices.write(
                {
                    "key_account_period_start": date_start,
                    "key_account_period_end": date_end,
                }
            )
        # Written on every run, in SQL (the ORM skips a write that changes
        # nothing): a transaction that read the contracts before this one
        # committed cannot lock them afterwards (serialization failure under
        # REPEATABLE READ), so it never invoices from a stale
        # ``qty_invoiced``.
        self.env.cr.execute(
            SQL(
                "UPDATE key_account_contract SET period_invoiced_until = "
                "GREATEST(period_invoiced_until, %s), write_date = %s, "
                "write_uid = %s WHERE id IN %s",
                date_end,
                self.env.cr.now(),
                self.env.uid,
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["period_invoiced_until", "write_date", "write_uid"])
        return invoices

    def _cron_key_account_period_invoicing(self, date=None):
        """Scheduled action (monthly): the consolidated invoices of the
        previous calendar month for every contract invoiced per period (or
        for those of ``self`` when given). Contracts another transaction is
        invoicing are left to it."""
        today = date or fields.Date.context_today(self)
        date_end = today + relativedelta(day=1, days=-1)
        date_start = date_end + relativedelta(day=1)
        domain = [
            ("invoice_policy", "=", "period"),
            ("state", "in", INVOICEABLE_STATES),
            ("date_start", "<=", date_end),
        ]
        # the scheduled action runs on every contract, a caller may name some
        contracts = self.filtered_domain(domain) if self else self.search(domain)
        locked = contracts._key_account_lock_for_invoicing(skip_locked=True)
        if contracts - locked:
            _logger.info(
                "Period invoicing: contracts %s skipped (being invoiced elsewhere)",
                (contracts - locked).mapped("name"),
            )
        invoices = locked._key_account_invoice_locked_period(date_start, date_end)
        _logger.info(
            "Period invoicing %s - %s: %d invoices for %d contracts",
            date_start,
            date_end,
            len(invoices),
            len(locked),
        )
        return invoices
