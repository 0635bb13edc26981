#!/usr/bin/env python3
# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Benchmark: the import of the tax system's list of 1,000 issued fapiao.

    python3 tests/perf/bench_fapiao_import.py -c <odoo.conf> -d <db> [--rows 1000]

One company of its own holds ``--rows`` posted customer invoices, each on
an exported fapiao request of one fapiao (built once per database and
committed: use a scratch database, as ``make bench`` does). What is timed
is what an invoicing user waits for: reading the CSV list of issued fapiao
and importing it (every row checked, the fapiao issued with their numbers,
their requests issued, the invoices' fapiao state recomputed, one note per
request), with a cold cache, in a transaction rolled back after it. The
same is measured on a tenth of the rows: the number of queries must be the
same up to the ORM's write batches of 100 rows (one UPDATE per 100
fapiao, invoices and requests: the import's own reads and the notes are one
query each, whatever the number of rows). The last line printed is

    bench fapiao import_1000_s=<s> import_queries=<q> queries_tenth=<q>
        orm_batches=<b>
"""

import argparse
import csv
import io
import sys
import time
from contextlib import contextmanager
from datetime import date

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import config

HEADERS = (
    "流水号",
    "发票号码",
    "发票代码",
    "开票日期",
    "金额",
    "税额",
    "价税合计",
    "发票状态",
)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="scratch database")
    parser.add_argument("--rows", type=int, default=1000, help="issued fapiao")
    # ``make bench`` passes its arguments to every benchmark: ignore others'
    args, _unknown = parser.parse_known_args(argv)
    return args


class Bench:
    def __init__(self, registry, rows):
        self.registry = registry
        self.rows = rows

    @contextmanager
    def transaction(self, commit=False):
        with self.registry.cursor() as cr:
            try:
                yield api.Environment(cr, SUPERUSER_ID, {})
                if commit:
                    cr.commit()
            finally:
                cr.rollback()

    def fixtures(self):
        """(company id, accountant id, fapiao ids) of the bench company,
        built if needed."""
        xmlid = f"__bench__.fapiao_import_company_{self.rows}"
        with self.transaction(commit=True) as env:
            company = env.ref(xmlid, False)
            if not company:
                started = time.perf_counter()
                company = env["res.company"].create(
                    {
                        "name": f"Fapiao Import Bench {self.rows} {time.time():.0f}",
                        "currency_id": env.ref("base.CNY").id,
                        "country_id": env.ref("base.cn").id,
                    }
                )
                env.cr.commit()
                self._build(env, company)
                env["ir.model.data"].create(
                    {
                        "module": "__bench__",
                        "name": xmlid.split(".", 1)[1],
                        "model": "res.company",
                        "res_id": company.id,
                        "noupdate": True,
                    }
                )
                env.flush_all()
                print(
                    f"setup: {self.rows} invoices on exported fapiao in "
                    f"{time.perf_counter() - started:.1f} s",
                    flush=True,
                )
            accountant = env["res.users"].search(
                [("login", "=", f"bench_fapiao_import_{company.id}")]
            )
            fapiaos = env["key.account.fapiao"].search(
                [("company_id", "=", company.id)], order="id"
            )
            return company.id, accountant.id, fapiaos.ids

    def _build(self, env, company):
        env = env(
            context={
                "tracking_disable": True,
                "mail_create_nolog": True,
                "allowed_company_ids": company.ids,
            }
        )
        env.user.company_ids |= company
        Account = env["account.account"].with_company(company)
        receivable = Account.create(
            {
                "name": "Bench Receivable",
                "code": "1122992",
                "account_type": "asset_receivable",
                "reconcile": True,
            }
        )
        income = Account.create(
            {"name": "Bench Sales", "code": "6001992", "account_type": "income"}
        )
        journal = env["account.journal"].create(
            {
                "name": "Bench Invoices",
                "code": "BFII",
                "type": "sale",
                "company_id": company.id,
                "default_account_id": income.id,
            }
        )
        env["res.users"].with_context(no_reset_password=True).create(
            {
                "name": f"Bench Fapiao Import {company.id}",
                "login": f"bench_fapiao_import_{company.id}",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [
                    Command.set([env.ref("account.group_account_invoice").id])
                ],
            }
        )
        customer = env["res.partner"].create(
            {
                "name": f"Bench Fapiao Import Buyer {company.id}",
                "is_company": True,
                "is_key_account": True,
                "company_id": company.id,
            }
        )
        customer.with_company(company).property_account_receivable_id = receivable
        moves = env["account.move"]
        for start in range(0, self.rows, 100):
            batch = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "partner_id": customer.id,
                        "company_id": company.id,
                        "journal_id": journal.id,
                        "invoice_date": date(2026, 9, 1 + k % 28),
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Bench Gift",
                                    "quantity": 1,
                                    "price_unit": 100.0 + k,
                                    "account_id": income.id,
                                    "tax_ids": [],
                                }
                            )
                        ],
                    }
                    for k in range(start, min(start + 100, self.rows))
                ]
            )
            batch.action_post()
            env.flush_all()
            moves |= batch
        requests = env["key.account.fapiao.request"].create(
            [
                {
                    "name": f"BFI/{company.id}/{index:06d}",
                    "company_id": company.id,
                    "partner_id": customer.id,
                    "invoice_ids": [Command.set(move.ids)],
                    "fapiao_type": "electronic",
                    "currency_id": company.currency_id.id,
                    "state": "exported",
                }
                for index, move in enumerate(moves)
            ]
        )
        env["key.account.fapiao"].create(
            [
                {
                    "request_id": request.id,
                    "serial": f"BFI{company.id}X{index:06d}",
                    "state": "exported",
                    "amount_untaxed": move.amount_untaxed,
                    "amount_tax": move.amount_tax,
                    "amount_total": move.amount_total,
                    "line_ids": [
                        Command.create(
                            {
                                "move_line_id": move.invoice_line_ids.id,
                                "item_name": "Bench Gift",
                                "tax_code": "1030201010000000000",
                                "quantity": 1,
                                "price_unit": move.amount_untaxed,
                                "amount_untaxed": move.amount_untaxed,
                            }
                        )
                    ],
                }
                for index, (request, move) in enumerate(
                    zip(requests, moves, strict=True)
                )
            ]
        )
        env.flush_all()

    @staticmethod
    def _csv(fapiaos, company_id):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(HEADERS)
        for index, fapiao in enumerate(fapiaos):
            writer.writerow(
                [
                    fapiao.serial,
                    f"2644{company_id % 10000:04d}{index:012d}",
                    "",
                    "2026-10-08",
                    f"{fapiao.amount_untaxed:.2f}",
                    f"{fapiao.amount_tax:.2f}",
                    f"{fapiao.amount_total:.2f}",
                    "正常",
                ]
            )
        return out.getvalue().encode("utf-8-sig")

    def measure(self, company_id, accountant_id, fapiao_ids):
        with self.transaction() as env:
            env = env(user=accountant_id, context={"allowed_company_ids": [company_id]})
            Fapiao = env["key.account.fapiao"].with_company(company_id)
            content = self._csv(Fapiao.sudo().browse(fapiao_ids), company_id)
            env.invalidate_all()
            queries = env.cr.sql_log_count
            started = time.perf_counter()
            rows = Fapiao._issue_parse_file(content, "issued.csv")
            result = Fapiao._issue_import_apply(rows)
            env.flush_all()
            seconds = time.perf_counter() - started
            queries = env.cr.sql_log_count - queries
            issued = len(result["changes"])
            return seconds, queries, issued


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    if "key.account.fapiao" not in registry:
        sys.exit("key_account_settlement is not installed in this database")
    bench = Bench(registry, args.rows)
    company_id, accountant_id, fapiao_ids = bench.fixtures()
    tenth = fapiao_ids[: max(1, len(fapiao_ids) // 10)]
    bench.measure(company_id, accountant_id, tenth)  # warm the caches
    _s, queries_tenth, _n = bench.measure(company_id, accountant_id, tenth)
    seconds, queries, issued = bench.measure(company_id, accountant_id, fapiao_ids)
    print(
        f"{issued} issued fapiao imported in {seconds:.2f} s, {queries} queries "
        f"(a tenth of the rows: {queries_tenth} queries)",
        flush=True,
    )
    print(
        f"bench fapiao import_{args.rows}_s={seconds:.2f} import_queries={queries} "
        f"queries_tenth={queries_tenth} orm_batches={-(-len(fapiao_ids) // 100)}"
    )
    return 0 if seconds <= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
