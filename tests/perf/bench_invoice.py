#!/usr/bin/env python3
# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Benchmark: invoicing one key-account order delivered to N recipients.

    python3 tests/perf/bench_invoice.py -c <odoo.conf> -d <db> [--sizes 20,200,2000]

For each N, one order of one line allocated over N recipients (one each) is
confirmed and every delivery done (setup, not timed: the deliveries are
validated in one batch). Then it times and counts the SQL queries of what an
accountant waits for:
  (a) per delivery: "Create Invoice" on the order (core's
      sale.advance.payment.inv, delivered quantities), contract invoiced per
      delivery;
  (b) consolidated: the contract's period invoice (月结) for the month,
      contract invoiced per period.
Both must give one invoice with one line (one product), not one per
recipient. Each N runs in a transaction rolled back at the end; the fixtures
(a product in stock, an approved key account, its contract, an accounting
chart for the company when it has none) are committed once: use a scratch
database, as ``make bench`` does. The last line printed is

    bench_invoice N=<n> per_delivery_s=<s> per_delivery_queries=<q>
        consolidated_s=<s> consolidated_queries=<q> invoice_lines=<count>

(on one line) for the largest N.
"""

import argparse
import sys
import time
from contextlib import contextmanager

from dateutil.relativedelta import relativedelta
from stdnum.cn import uscc

import odoo
from odoo import SUPERUSER_ID, Command, api, fields
from odoo.tools import config

MODULE = "__bench_invoice__"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="scratch database")
    parser.add_argument(
        "--sizes", default="20,200,2000", help="comma-separated N values"
    )
    args, _unknown = parser.parse_known_args(argv)  # make bench passes its own
    args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    return args


class Bench:
    def __init__(self, registry):
        self.registry = registry
        with self.transaction(commit=True) as env:
            self._setup(env)

    @contextmanager
    def transaction(self, commit=False):
        with self.registry.cursor() as cr:
            try:
                self.cr = cr
                self.env = env = api.Environment(
                    cr,
                    SUPERUSER_ID,
                    {"tracking_disable": True, "skip_sms": True, "tz": "Asia/Shanghai"},
                )
                self.product = env.ref(f"{MODULE}.product", False)
                self.customer = env.ref(f"{MODULE}.customer", False)
                self.contract = env.ref(f"{MODULE}.contract", False)
                self.accountant = env.ref(f"{MODULE}.accountant", False)
                self.warehouse = env["stock.warehouse"].search(
                    [("company_id", "=", env.company.id)], limit=1
                )
                yield env
                if commit:
                    cr.commit()
            finally:
                cr.rollback()

    def _setup(self, env):
        if self.product and self.customer and self.contract and self.accountant:
            self.accountant.groups_id = [Command.set(self._accountant_groups(env))]
            return
        company = env.company
        if not company.chart_template:
            env["account.chart.template"].try_loading(
                "generic_coa", company=company, install_demo=False
            )
        self.product = env["product.product"].create(
            {
                "name": "Invoice Benchmark Gift Box",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "invoice_policy": "delivery",
                "taxes_id": [Command.clear()],
            }
        )
        env["stock.quant"]._update_available_quantity(
            self.product, self.warehouse.lot_stock_id, 10_000_000
        )
        # a key-account price (its list price): the contract allows it
        env.ref("key_account_contract.pricelist_key_account").item_ids = [
            Command.create(
                {
                    "applied_on": "1_product",
                    "product_tmpl_id": self.product.product_tmpl_id.id,
                    "compute_price": "percentage",
                    "percent_price": 0.0,
                }
            )
        ]
        body = "91310115" + "MA1BENCH0"
        code = body + uscc.calc_check_digit(body)
        self.customer = env["res.partner"].create(
            {
                "name": "发票基准测试集团有限公司",
                "is_company": True,
                "is_key_account": True,
                "key_account_state": "approved",
                "company_id": company.id,
                "company_registry": code,
                "vat": code,
                "key_account_type": "enterprise",
                "key_account_invoice_type": "vat_special",
                "city": "上海市",
                "street": "世纪大道 1 号",
            }
        )
        today = fields.Date.context_today(self.customer)
        self.contract = env["key.account.contract"].create(
            {
                "partner_id": self.customer.id,
                "company_id": company.id,
                "date_start": today - relativedelta(years=1),
                "date_end": today + relativedelta(years=1),
            }
        )
        self.contract.action_confirm()
        self.accountant = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Benchmark Accountant",
                    "login": "bench_accountant_ka",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": [Command.set(self._accountant_groups(env))],
                }
            )
        )
        env["ir.model.data"].create(
            [
                {
                    "module": MODULE,
                    "name": name,
                    "model": record._name,
                    "res_id": record.id,
                    "noupdate": True,
                }
                for name, record in (
                    ("product", self.product),
                    ("customer", self.customer),
                    ("contract", self.contract),
                    ("accountant", self.accountant),
                )
            ]
        )
        env.flush_all()

    @staticmethod
    def _accountant_groups(env):
        """An accountant (Billing) who sees every order."""
        return [
            env.ref("account.group_account_invoice").id,
            env.ref("sales_team.group_sale_salesman_all_leads").id,
        ]

    # ------------------------------------------------------------------
    def prepare(self, n):
        """An order of 1 line over ``n`` recipients, confirmed and delivered
        (the deliveries validated in one batch)."""
        env = self.env
        env.company.key_account_background_threshold = 0
        state = env.ref("base.state_cn_SH")
        recipients = env["res.partner"]._key_account_get_or_create_recipients(
            self.customer,
            [
                {
                    "name": f"N{n} 收件人 {i}",
                    "phone": f"137{n:03d}{i:05d}",
                    "state_id": state.id,
                    "city": "上海市",
                    "street": f"N{n} 张江路 {i} 号",
                }
                for i in range(n)
            ],
        )
        order = env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "key_account_contract_id": self.contract.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": n}
                    )
                ],
            }
        )
        env["key.account.allocation"].create(
            [
                {
                    "order_line_id": order.order_line.id,
                    "recipient_id": recipient.id,
                    "quantity": 1,
                }
                for recipient in recipients
            ]
        )
        order.action_confirm()
        moves = order.picking_ids.move_ids
        for move in moves:
            move.quantity = move.product_uom_qty
        moves.picked = True
        order.picking_ids._action_done()
        env.flush_all()
        assert order.order_line.qty_delivered == n, order.order_line.qty_delivered
        return order

    def measure(self, function):
        self.env.flush_all()
        self.env.invalidate_all()
        queries = self.cr.sql_log_count
        start = time.perf_counter()
        invoices = function()
        self.env.flush_all()
        seconds = time.perf_counter() - start
        return seconds, self.cr.sql_log_count - queries, invoices

    def per_delivery(self, order):
        self.contract.invoice_policy = "delivery"

        def run():
            wizard = (
                self.env["sale.advance.payment.inv"]
                .with_user(self.accountant)
                .with_context(active_model="sale.order", active_ids=order.ids)
                .create({"advance_payment_method": "delivered"})
            )
            wizard.create_invoices()
            return order.invoice_ids

        return self.measure(run)

    def consolidated(self, order):
        self.contract.invoice_policy = "period"
        today = fields.Date.context_today(self.contract)
        contract = self.contract.with_user(self.accountant)
        return self.measure(
            lambda: contract._key_account_create_period_invoices(
                today + relativedelta(day=1), today
            )
        )

    def run_size(self, n):
        with self.transaction():
            order = self.prepare(n)
            result = {}
            for name in ("per_delivery", "consolidated"):
                seconds, queries, invoices = getattr(self, name)(order)
                assert len(invoices) == 1, invoices
                lines = invoices.invoice_line_ids
                assert len(lines) == 1 and lines.quantity == n, lines
                result[name] = (seconds, queries, len(lines))
                # undo, so that the other way invoices the same quantity
                invoices.unlink()
                self.env.flush_all()
            return result


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    config.parse_config(["-c", args.config, "-d", args.database])
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.database)
    if "key.account.period.invoice" not in registry:
        sys.exit(f"key_account_settlement is not installed in {args.database}")
    bench = Bench(registry)
    bench.run_size(5)  # warm the registry caches
    print(f"{'N':>6} {'scenario':<40} {'seconds':>9} {'queries':>9} {'lines':>6}")
    labels = {
        "per_delivery": "(a) per delivery: Create Invoice",
        "consolidated": "(b) consolidated: period invoice (月结)",
    }
    summary = {}
    for n in sorted(args.sizes):
        result = bench.run_size(n)
        for name, (seconds, queries, lines) in result.items():
            print(f"{n:>6} {labels[name]:<40} {seconds:>9.2f} {queries:>9} {lines:>6}")
        sys.stdout.flush()
        summary[n] = result
    n = max(summary)
    per_s, per_q, lines = summary[n]["per_delivery"]
    con_s, con_q, _lines = summary[n]["consolidated"]
    print(
        f"bench_invoice N={n} per_delivery_s={per_s:.2f} per_delivery_queries={per_q} "
        f"consolidated_s={con_s:.2f} consolidated_queries={con_q} invoice_lines={lines}"
    )


if __name__ == "__main__":
    main()
