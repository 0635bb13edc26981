#!/usr/bin/env python3
# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Benchmark: importing a recipient list of N rows through the import wizard.

    python3 tests/perf/bench_import.py -c <odoo.conf> -d <db> [--import-rows 10000]
        [--repeat 1] [--import-scenarios new,known] [--import-profile new|known]
        [--profile-lines 45] [--import-profile-file FILE]

The whole request path a Sales user triggers with the wizard's Import button:
reading the CSV file, validating and normalising every row, finding or creating
the recipients, writing the order line and one allocation per recipient. Two
scenarios, each in a transaction of its own, rolled back after it:

  new    the customer's first list: every recipient is created;
  known  a repeat order for the same people: every recipient exists already.

Odoo's default ``limit_time_cpu`` is 60 s: the goal is at most 20 s of CPU for
10,000 rows. The fixtures (a Sales user, a product, a key-account customer) are
committed once: use a scratch database, as ``make bench`` does. Options it does
not know (the other benchmarks' ``--with-10000``...) are ignored. The last line
printed is

    bench_import rows=<n> new_s=<s> new_cpu_s=<s> new_queries=<q>
        known_s=<s> known_cpu_s=<s> known_queries=<q>

(on one line).
"""

import argparse
import base64
import cProfile
import csv
import io
import pstats
import sys
import time
from contextlib import contextmanager

from stdnum.cn import uscc

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import config

XMLID_MODULE = "__bench_import__"
HEADER = (
    "姓名",
    "手机",
    "省",
    "市",
    "区",
    "详细地址",
    "部门",
    "分支机构",
    "商品编码",
    "数量",
)
PRODUCT_CODE = "BENCH-IMPORT-GIFT"


def parse_args(argv):
    """Options of this benchmark. ``make bench`` passes the same options to
    every benchmark: the ones of bench_confirm.py (--sizes, --scenarios,
    --profile...) are ignored, and ``--import-rows`` means the same in both
    (0 skips the import benchmarks)."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n", 1)[0], allow_abbrev=False
    )
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="scratch database")
    parser.add_argument(
        "--import-rows", type=int, default=10000, help="rows of the file (0: skip)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="measure each scenario this many times and keep the fastest",
    )
    parser.add_argument(
        "--import-scenarios",
        default="new,known",
        help="comma-separated subset of new,known",
    )
    parser.add_argument(
        "--import-profile",
        choices=["new", "known"],
        help="print a cProfile summary of this scenario's import",
    )
    parser.add_argument("--profile-sort", default="cumulative")
    parser.add_argument("--profile-lines", type=int, default=45)
    parser.add_argument(
        "--import-profile-file", help="also save the profile to this file"
    )
    args, _unknown = parser.parse_known_args(argv)
    return args


def csv_file(rows, tag):
    """A recipient list of ``rows`` people, as a user would upload it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for i in range(rows):
        writer.writerow(
            (
                f"员工{tag}{i}",
                f"139 {i // 10000:04d} {i % 10000:04d}",
                "上海市",
                "上海市",
                "浦东新区",
                f"{tag}世纪大道 {i} 号",
                f"部门{i % 20}",
                "上海分公司",
                PRODUCT_CODE,
                "1",
            )
        )
    return buffer.getvalue().encode()


class Bench:
    def __init__(self, registry, args):
        self.registry = registry
        self.args = args
        self.env = self.cr = None
        with self.transaction(commit=True) as env:
            self._setup(env)

    @contextmanager
    def transaction(self, commit=False):
        with self.registry.cursor() as cr:
            try:
                self.cr = cr
                self.env = env = api.Environment(cr, SUPERUSER_ID, {})
                self.user = env.ref(f"{XMLID_MODULE}.salesperson", False)
                self.customer = env.ref(f"{XMLID_MODULE}.customer", False)
                yield env
                if commit:
                    cr.commit()
            finally:
                cr.rollback()
                self.env = self.cr = None

    def _setup(self, env):
        if self.user and self.customer:
            return
        company = env.company
        groups = [env.ref("sales_team.group_sale_salesman").id]
        ka_group = env.ref("key_account_base.key_account_group_user", False)
        if ka_group:
            groups.append(ka_group.id)
        self.user = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Import Benchmark Salesperson",
                    "login": "bench_import_salesperson",
                    "email": "bench.import@example.com",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": [Command.set(groups)],
                }
            )
        )
        product = env["product.product"].create(
            {
                "name": "Import Benchmark Gift Box",
                "default_code": PRODUCT_CODE,
                "type": "consu",
                "list_price": 100.0,
            }
        )
        body = "91310115" + "987654321"
        code = body + uscc.calc_check_digit(body)
        self.customer = env["res.partner"].create(
            {
                "name": "导入基准测试集团有限公司",
                "is_company": True,
                "is_key_account": True,
                "company_id": company.id,
                "company_registry": code,
                "vat": code,
                "country_id": env.ref("base.cn").id,
                "state_id": env.ref("base.state_cn_SH").id,
                "city": "上海市",
                "street": "浦东新区世纪大道 1 号",
                "phone": "+86 21 5000 0000",
            }
        )
        env["ir.model.data"].create(
            [
                {
                    "module": XMLID_MODULE,
                    "name": name,
                    "model": record._name,
                    "res_id": record.id,
                    "noupdate": True,
                }
                for name, record in (
                    ("salesperson", self.user),
                    ("product", product),
                    ("customer", self.customer),
                )
            ]
        )
        env.flush_all()

    def _order(self):
        return (
            self.env["sale.order"]
            .with_user(self.user)
            .create({"partner_id": self.customer.id})
        )

    def _import(self, order, data, filename="recipients.csv"):
        wizard = (
            self.env["key.account.recipient.import"]
            .with_user(self.user)
            .with_context(active_model="sale.order", active_id=order.id)
            .create({"file": base64.b64encode(data), "filename": filename})
        )
        return wizard.action_import()

    def measure(self, scenario, rows, attempt, profile=False):
        """Seconds, CPU seconds and queries of one import of ``rows`` rows, as
        the Sales user, with a cold record cache (as in a new request)."""
        tag = f"{scenario}{rows}r{attempt}"
        data = csv_file(rows, tag)
        if scenario == "known":
            self._import(self._order(), data)
        order = self._order()
        self.env.flush_all()
        self.env.invalidate_all()
        profiler = cProfile.Profile() if profile else None
        queries = self.cr.sql_log_count
        cpu = time.process_time()
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        self._import(order, data)
        self.env.flush_all()
        if profiler:
            profiler.disable()
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
        queries = self.cr.sql_log_count - queries
        allocations = self.env["key.account.allocation"].search_count(
            [("order_id", "=", order.id)]
        )
        if allocations != rows:
            raise RuntimeError(f"{allocations} allocations imported, {rows} expected")
        if profiler:
            if self.args.import_profile_file:
                profiler.dump_stats(self.args.import_profile_file)
            stats = pstats.Stats(profiler, stream=sys.stdout)
            stats.sort_stats(self.args.profile_sort).print_stats(
                self.args.profile_lines
            )
        return seconds, cpu, queries

    def run(self, scenarios, rows):
        with self.transaction():  # warm the registry caches
            for scenario in scenarios:
                self.measure(scenario, 20, "warmup")
        result = {}
        for attempt in range(max(1, self.args.repeat)):
            for scenario in scenarios:
                with self.transaction():
                    measured = self.measure(
                        scenario,
                        rows,
                        attempt,
                        profile=self.args.import_profile == scenario,
                    )
                if scenario not in result or measured[0] < result[scenario][0]:
                    result[scenario] = measured
        return result


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    if args.import_rows <= 0:
        print("bench_import skipped (--import-rows 0)")
        return
    config.parse_config(["-c", args.config, "-d", args.database])
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.database)
    if "key.account.recipient.import" not in registry:
        sys.exit(f"key_account_order is not installed in {args.database}")
    scenarios = [name for name in args.import_scenarios.split(",") if name]
    bench = Bench(registry, args)
    result = bench.run(scenarios, args.import_rows)
    labels = {
        "new": "import wizard, new recipients",
        "known": "import wizard, known recipients",
    }
    print(f"{'rows':>6} {'scenario':<34} {'seconds':>9} {'cpu_s':>7} {'queries':>9}")
    for scenario in scenarios:
        seconds, cpu, queries = result[scenario]
        print(
            f"{args.import_rows:>6} {labels[scenario]:<34} {seconds:>9.2f} {cpu:>7.2f} "
            f"{queries:>9}"
        )
    summary = " ".join(
        f"{scenario}_s={result[scenario][0]:.2f} "
        f"{scenario}_cpu_s={result[scenario][1]:.2f} "
        f"{scenario}_queries={result[scenario][2]}"
        for scenario in scenarios
    )
    print(f"bench_import rows={args.import_rows} {summary}")


if __name__ == "__main__":
    main()
