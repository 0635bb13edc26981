# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import fields

from odoo.addons.key_account_contract.tests.common import KeyAccountContractCommon
from odoo.addons.key_account_order.tests.common import KeyAccountOrderCommon


class KeyAccountInvoicingCommon(KeyAccountOrderCommon, KeyAccountContractCommon):
    """An accounting company (generic chart of accounts) with the fixtures of
    the order engine (key account, gift box in stock, order helpers) and of
    the contracts (payment term, contract helper)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company, install_demo=False
        )
        # the gift box invoices delivered quantities (core's own policy)
        cls.product.invoice_policy = "delivery"
        cls.product.taxes_id = False
        cls.month_start = cls.today + relativedelta(day=1)
        cls.last_month_end = cls.month_start - relativedelta(days=1)
        cls.last_month_start = cls.last_month_end + relativedelta(day=1)

    @classmethod
    def _confirmed_order(cls, count, **vals):
        """An order of one line allocated over ``count`` recipients (one
        each), confirmed: one delivery per recipient."""
        order = cls._create_order([1] * count, **vals)
        order.action_confirm()
        return order

    def _deliver_on(self, pickings, day):
        """Deliver ``pickings`` and date their moves at noon (Shanghai) of
        ``day``."""
        self._deliver(pickings)
        pickings.move_ids.date = datetime.combine(day, time(4, 0))

    def _period_invoices(self, contracts, date_start, date_end):
        return contracts._key_account_create_period_invoices(date_start, date_end)

    @classmethod
    def _today(cls):
        return fields.Date.context_today(cls.env.user)
