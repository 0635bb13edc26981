#!/usr/bin/env python3
# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Benchmark: confirming a key-account order allocated over N recipients.

    python3 tests/perf/bench_confirm.py -c <odoo.conf> -d <db> [--sizes 100,1000]
        [--with-10000] [--import-rows 10000] [--repeat 2] [--profile ka]

For each N it times and counts the SQL queries of
  (a) standard Odoo confirming one order of N lines to one address,
  (b) standard Odoo confirming N one-line orders to N addresses,
  (c) key_account_order confirming one line allocated over N recipients
      (one delivery per recipient),
all with the same storable product (in stock) and the same Sales user, caches
warmed by a small run of each first. It also times the creation of 10,000
recipients with ``res.partner._key_account_get_or_create_recipients`` against
Odoo's own ``res.partner.load`` of the same contacts.

Each measurement runs in a transaction of its own, rolled back after it, so
that no scenario pays for the rows another one left (PostgreSQL walks the
versions a transaction wrote before). The fixtures (a Sales user, a product
in stock, a customer) are committed once: use a scratch database, as
``make bench`` does. The last line printed is

    bench N=<n> ka_s=<s> single_address_s=<s> n_orders_s=<s>
        ka_queries_per_recipient=<q> pickings=<count>

(on one line) for the largest N measured.
"""

import argparse
import cProfile
import pstats
import sys
import time
from contextlib import contextmanager

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import config


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="scratch database")
    parser.add_argument("--sizes", default="100,1000", help="comma-separated N values")
    parser.add_argument(
        "--with-10000", action="store_true", help="also measure N=10000"
    )
    parser.add_argument(
        "--import-rows",
        type=int,
        default=10000,
        help="rows of the recipient import benchmark (0 to skip)",
    )
    parser.add_argument(
        "--profile",
        choices=["single_address", "n_orders", "ka", "all"],
        help="print a cProfile summary of this scenario's confirmation",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="measure each scenario this many times (fresh orders each time) and "
        "keep the fastest: the machine may be shared",
    )
    parser.add_argument("--profile-sort", default="cumulative")
    parser.add_argument("--profile-lines", type=int, default=45)
    parser.add_argument(
        "--scenarios",
        default="single_address,n_orders,ka",
        help="comma-separated subset of single_address,n_orders,ka",
    )
    # make bench passes every benchmark the same options: ignore the others'
    args, _others = parser.parse_known_args(argv)
    args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    if args.with_10000 and 10000 not in args.sizes:
        args.sizes.append(10000)
    return args


class Bench:
    sort = "cumulative"
    repeat = 1
    lines = 45

    def __init__(self, registry):
        self.registry = registry
        self.env = self.cr = None
        with self.transaction(commit=True) as env:
            self._setup(env)

    @contextmanager
    def transaction(self, commit=False):
        """A new cursor and environment, rolled back at the end (unless
        ``commit``); the fixtures are browsed in it."""
        with self.registry.cursor() as cr:
            try:
                self.cr = cr
                self.env = env = api.Environment(cr, SUPERUSER_ID, {})
                ref = env.ref
                self.user = ref("__bench__.salesperson", False)
                self.product = ref("__bench__.product", False)
                self.customer = ref("__bench__.customer", False)
                self.warehouse = env["stock.warehouse"].search(
                    [("company_id", "=", env.company.id)], limit=1
                )
                yield env
                if commit:
                    cr.commit()
            finally:
                cr.rollback()
                self.env = self.cr = None

    # ------------------------------------------------------------------
    # Fixtures (created as superuser, measured as a Sales user)
    # ------------------------------------------------------------------
    def _setup(self, env):
        """Create the fixtures once per database (found again by their
        external ids in the module ``__bench__``)."""
        if self.user and self.product and self.customer:
            return
        company = env.company
        group_ids = [env.ref("sales_team.group_sale_salesman").id]
        ka_user_group = env.ref("key_account_base.key_account_group_user", False)
        if ka_user_group:
            group_ids.append(ka_user_group.id)
        self.user = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Benchmark Salesperson",
                    "login": "bench_salesperson_ka",
                    "email": "bench.salesperson@example.com",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": [Command.set(group_ids)],
                }
            )
        )
        self.product = env["product.product"].create(
            {
                "name": "Benchmark Gift Box",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "invoice_policy": "order",
            }
        )
        # Enough stock for every scenario of every size: each is reserved.
        env["stock.quant"]._update_available_quantity(
            self.product, self.warehouse.lot_stock_id, 10_000_000
        )
        self.customer = env["res.partner"].create(
            {"name": "Benchmark Customer Group", "is_company": True}
        )
        env["ir.model.data"].create(
            [
                {
                    "module": "__bench__",
                    "name": name,
                    "model": record._name,
                    "res_id": record.id,
                    "noupdate": True,
                }
                for name, record in (
                    ("salesperson", self.user),
                    ("product", self.product),
                    ("customer", self.customer),
                )
            ]
        )
        env.flush_all()

    def _addresses(self, n, tag):
        return (
            self.env["res.partner"]
            .with_context(tracking_disable=True)
            .create(
                [
                    {
                        "name": f"{tag} address {i}",
                        "parent_id": self.customer.id,
                        "type": "delivery",
                        "street": f"{i} Bench Road",
                        "city": "Shanghai",
                    }
                    for i in range(n)
                ]
            )
        )

    def _recipients(self, n, tag):
        state = self.env.ref("base.state_cn_SH")
        return self.env["res.partner"]._key_account_get_or_create_recipients(
            self.customer,
            [
                {
                    "name": f"{tag} recipient {i}",
                    "phone": f"139{i:08d}",
                    "state_id": state.id,
                    "city": "上海市",
                    "key_account_district": "浦东新区",
                    "street": f"{tag} 世纪大道 {i} 号",
                }
                for i in range(n)
            ],
        )

    def _order_vals(self, lines, **vals):
        return {
            "partner_id": self.customer.id,
            "warehouse_id": self.warehouse.id,
            "order_line": [
                Command.create({"product_id": self.product.id, "product_uom_qty": qty})
                for qty in lines
            ],
            **vals,
        }

    def prepare_single_address(self, n, tag):
        Order = self.env["sale.order"].with_user(self.user)
        return Order.create(self._order_vals([1] * n))

    def prepare_n_orders(self, n, tag):
        addresses = self._addresses(n, tag)
        Order = self.env["sale.order"].with_user(self.user)
        return Order.create(
            [
                self._order_vals([1], partner_shipping_id=address.id)
                for address in addresses
            ]
        )

    def prepare_ka(self, n, tag):
        recipients = self._recipients(n, tag)
        order = (
            self.env["sale.order"]
            .with_user(self.user)
            .create(self._order_vals([n], key_account_delivery_grouping="recipient"))
        )
        self.env["key.account.allocation"].with_user(self.user).create(
            [
                {
                    "order_line_id": order.order_line.id,
                    "recipient_id": recipient.id,
                    "quantity": 1,
                }
                for recipient in recipients
            ]
        )
        return order

    # ------------------------------------------------------------------
    # Measure
    # ------------------------------------------------------------------
    def measure(self, orders, profile=False):
        """Seconds and queries of confirming ``orders`` as the Sales user,
        with a cold record cache (as in a new request) and warm registry
        caches."""
        # Confirmed in the request even when large (threshold 0): the
        # background job would do the same work later.
        if "key_account_background_threshold" in orders.company_id._fields:
            orders.company_id.sudo().key_account_background_threshold = 0
        self.env.flush_all()
        self.env.invalidate_all()
        orders = orders.with_user(self.user)
        profiler = cProfile.Profile() if profile else None
        queries = self.cr.sql_log_count
        cpu = time.process_time()
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        orders.action_confirm()
        orders.env.flush_all()
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
        queries = self.cr.sql_log_count - queries
        if profiler:
            profiler.dump_stats(f"/tmp/bench_profile_{len(orders)}_{seconds:.0f}.out")
            stats = pstats.Stats(profiler, stream=sys.stdout)
            stats.sort_stats(self.sort).print_stats(self.lines)
        return seconds, queries, cpu

    def run_size(
        self, n, profile=False, scenarios=("single_address", "n_orders", "ka")
    ):
        result = {}
        for attempt in range(self.repeat):
            # Scenarios interleaved, so that a busy moment of a shared machine
            # does not fall on one scenario's every attempt.
            for name in scenarios:
                with self.transaction():
                    prepare = getattr(self, f"prepare_{name}")
                    orders = prepare(n, f"{name}{n}r{attempt}")
                    seconds, queries, cpu = self.measure(
                        orders, profile=profile in (name, "all")
                    )
                    pickings = len(orders.picking_ids)
                best = result.get(name)
                if not best or seconds < best[0]:
                    result[name] = (seconds, queries, pickings, cpu)
        return result

    def warm_up(self):
        with self.transaction():
            for prepare in (
                self.prepare_single_address,
                self.prepare_n_orders,
                self.prepare_ka,
            ):
                self.measure(prepare(5, f"warmup{prepare.__name__}"))
                self.env.flush_all()

    def bench_import(self, rows):
        """``_key_account_get_or_create_recipients`` vs ``res.partner.load``
        of the same contacts, each in a transaction of its own."""
        results = {}
        for name in ("ka_import", "partner_load"):
            with self.transaction():
                results[name] = self._bench_import(name, rows)
        return results

    def _bench_import(self, name, rows):
        state = self.env.ref("base.state_cn_SH")
        customer = self.env["res.partner"].create(
            {"name": f"Import customer {name}", "is_company": True}
        )
        data = [
            {
                "name": f"员工 {i}",
                "phone": f"138{i:08d}",
                "state_id": state.id,
                "city": "上海市",
                "key_account_district": "浦东新区",
                "street": f"世纪大道 {i} 号",
            }
            for i in range(rows)
        ]
        # As an administrator: Odoo's load() of contacts needs the
        # accounting fields a Sales user cannot read (credit limit).
        Partner = self.env["res.partner"].with_user(self.env.ref("base.user_admin"))
        self.env.flush_all()
        self.env.invalidate_all()
        queries = self.cr.sql_log_count
        start = time.perf_counter()
        if name == "ka_import":
            created = Partner._key_account_get_or_create_recipients(customer, data)
            count = len(set(created.ids))
        else:
            fields = [
                "name",
                "phone",
                "state_id/.id",
                "city",
                "key_account_district",
                "street",
                "parent_id/.id",
                "type",
            ]
            load_rows = [
                [
                    vals["name"],
                    vals["phone"],
                    str(vals["state_id"]),
                    vals["city"],
                    vals["key_account_district"],
                    vals["street"],
                    str(customer.id),
                    "delivery",
                ]
                for vals in data
            ]
            result = Partner.load(fields, load_rows)
            if result["messages"]:
                raise RuntimeError(result["messages"][:3])
            count = len(result["ids"])
        self.env.flush_all()
        seconds = time.perf_counter() - start
        return seconds, self.cr.sql_log_count - queries, count


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    config.parse_config(["-c", args.config, "-d", args.database])
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.database)
    if "key.account.allocation" not in registry:
        sys.exit(f"key_account_order is not installed in {args.database}")
    bench = Bench(registry)
    bench.sort = args.profile_sort
    bench.repeat = max(1, args.repeat)
    bench.lines = args.profile_lines
    bench.warm_up()
    print(
        f"{'N':>6} {'scenario':<34} {'seconds':>9} {'cpu_s':>7} "
        f"{'queries':>9} {'q/record':>9} {'pickings':>9} {'vs (a)':>7}"
    )
    labels = {
        "single_address": "(a) one order, N lines, 1 address",
        "n_orders": "(b) N one-line orders, N addresses",
        "ka": "(c) key account, N recipients",
    }
    summary = {}
    for n in sorted(args.sizes):
        result = bench.run_size(
            n, profile=args.profile, scenarios=args.scenarios.split(",")
        )
        base = result.get("single_address", (0, 0, 0))[0]
        for name, (seconds, queries, pickings, cpu) in result.items():
            ratio = f"{seconds / base:.2f}" if base else "-"
            print(
                f"{n:>6} {labels[name]:<34} {seconds:>9.2f} {cpu:>7.2f} "
                f"{queries:>9} {queries / n:>9.2f} {pickings:>9} {ratio:>7}"
            )
        sys.stdout.flush()
        summary[n] = result
    if args.import_rows:
        imports = bench.bench_import(args.import_rows)
        print()
        print(
            f"{'rows':>6} {'recipient import':<38} {'seconds':>9} "
            f"{'queries':>9} {'partners':>9}"
        )
        for name, label in (
            ("ka_import", "_key_account_get_or_create_recipients"),
            ("partner_load", "res.partner.load"),
        ):
            seconds, queries, count = imports[name]
            print(
                f"{args.import_rows:>6} {label:<38} {seconds:>9.2f} "
                f"{queries:>9} {count:>9}"
            )
    n = max(summary)
    result = summary[n]
    ka_s, ka_q, ka_pickings, _cpu = result["ka"]
    single_s = result.get("single_address", (0.0,))[0]
    orders_s = result.get("n_orders", (0.0,))[0]
    print(
        f"bench N={n} ka_s={ka_s:.2f} single_address_s={single_s:.2f} "
        f"n_orders_s={orders_s:.2f} ka_queries_per_recipient={ka_q / n:.2f} "
        f"pickings={ka_pickings}"
    )


if __name__ == "__main__":
    main()
