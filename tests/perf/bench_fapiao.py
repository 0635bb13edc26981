#!/usr/bin/env python3
# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Benchmark: the month-end fapiao request of a key account.

    python3 tests/perf/bench_fapiao.py -c <odoo.conf> -d <db> [--lines 2000]
        [--lines-per-invoice 20]

One company of its own holds a key account with ``--lines`` posted invoice
lines in the month (``--lines-per-invoice`` lines an invoice, 13 % and 9 %
VAT, a line discount on every fifth line; built once per database and
committed: use a scratch database, as ``make bench`` does). What is timed is
what an accountant waits for: building the request of all those invoices
(checks, split at the line and amount limits, tax shared over the fapiao)
and exporting it to the 数电票 XLSX, as an accountant, with a cold cache, in
a transaction rolled back after it. The same is measured on a tenth of the
invoices: the number of queries must be the same. The last line printed is

    bench fapiao lines=<n> build_export_s=<s> queries=<q> queries_tenth=<q>
        fapiao=<k> flat=<yes|no>
"""

import argparse
import sys
import time
from contextlib import contextmanager
from datetime import date

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import config


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="scratch database")
    parser.add_argument("--lines", type=int, default=2000, help="invoice lines")
    parser.add_argument("--lines-per-invoice", type=int, default=20)
    # ``make bench`` passes its arguments to every benchmark: ignore others'
    args, _unknown = parser.parse_known_args(argv)
    return args


class Bench:
    def __init__(self, registry, lines, per_invoice):
        self.registry = registry
        self.lines = lines
        self.per_invoice = per_invoice

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
        """(company id, accountant id, invoice ids) of the bench company,
        built if needed."""
        xmlid = f"__bench__.fapiao_company_{self.lines}_{self.per_invoice}"
        with self.transaction(commit=True) as env:
            company = env.ref(xmlid, False)
            if not company:
                started = time.perf_counter()
                company = env["res.company"].create(
                    {
                        "name": f"Fapiao Bench {self.lines} {time.time():.0f}",
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
                    f"setup: {self.lines} invoice lines posted in "
                    f"{time.perf_counter() - started:.1f} s",
                    flush=True,
                )
            accountant = env["res.users"].search(
                [("login", "=", f"bench_fapiao_accountant_{company.id}")]
            )
            moves = env["account.move"].search(
                [("company_id", "=", company.id), ("move_type", "=", "out_invoice")],
                order="id",
            )
            return company.id, accountant.id, moves.ids

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
                "code": "1122991",
                "account_type": "asset_receivable",
                "reconcile": True,
            }
        )
        income = Account.create(
            {"name": "Bench Sales", "code": "6001991", "account_type": "income"}
        )
        journal = env["account.journal"].create(
            {
                "name": "Bench Invoices",
                "code": "BFPI",
                "type": "sale",
                "company_id": company.id,
                "default_account_id": income.id,
            }
        )
        group = env["account.tax.group"].create(
            {"name": "Bench VAT", "company_id": company.id}
        )
        taxes = env["account.tax"].create(
            [
                {
                    "name": f"Bench VAT {rate}%",
                    "amount": rate,
                    "type_tax_use": "sale",
                    "company_id": company.id,
                    "tax_group_id": group.id,
                }
                for rate in (13, 9)
            ]
        )
        category = env["product.category"].create(
            {
                "name": "Bench Gifts",
                "key_account_tax_code": "1030201010000000000",
                "key_account_tax_short_name": "茶叶",
            }
        )
        products = env["product.product"].create(
            [
                {"name": f"Bench Gift {i}", "categ_id": category.id, "type": "consu"}
                for i in range(20)
            ]
        )
        env["res.users"].with_context(no_reset_password=True).create(
            {
                "name": f"Bench Fapiao Accountant {company.id}",
                "login": f"bench_fapiao_accountant_{company.id}",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [
                    Command.set([env.ref("account.group_account_invoice").id])
                ],
            }
        )
        customer = env["res.partner"].create(
            {
                "name": f"Bench Fapiao Buyer {company.id}",
                "is_company": True,
                "is_key_account": True,
                "company_id": company.id,
                "vat": "91110000MA00BENCH1",
                "key_account_invoice_type": "vat_special",
            }
        )
        customer.write({"key_account_state": "approved"})
        customer.with_company(company).property_account_receivable_id = receivable
        invoices = -(-self.lines // self.per_invoice)
        vals_list = [
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "company_id": company.id,
                "journal_id": journal.id,
                "invoice_date": date(2026, 9, 1 + k % 28),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": products[j % 20].id,
                            "quantity": 1 + j % 7,
                            "price_unit": 88.8 + k * 0.37 + j,
                            "discount": 5 if j % 5 == 0 else 0,
                            "account_id": income.id,
                            "tax_ids": [Command.set(taxes[j % 2].ids)],
                        }
                    )
                    for j in range(self.per_invoice)
                ],
            }
            for k in range(invoices)
        ]
        for start in range(0, len(vals_list), 20):
            moves = env["account.move"].create(vals_list[start : start + 20])
            env.flush_all()
            env.cr.execute("ANALYZE account_move, account_move_line")
            moves.action_post()
            env.flush_all()
            env.invalidate_all()

    def measure(self, company_id, accountant_id, move_ids):
        with self.transaction() as env:
            env = env(user=accountant_id, context={"allowed_company_ids": [company_id]})
            env.invalidate_all()
            moves = env["account.move"].browse(move_ids)
            queries = env.cr.sql_log_count
            started = time.perf_counter()
            request = env["key.account.fapiao.request"]._key_account_build(moves)
            request.action_export(fmt="sdp_xlsx")
            env.flush_all()
            seconds = time.perf_counter() - started
            queries = env.cr.sql_log_count - queries
            lines = len(request.fapiao_ids.line_ids)
            return seconds, queries, len(request.fapiao_ids), lines


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    if "key.account.fapiao.request" not in registry:
        sys.exit("key_account_settlement is not installed in this database")
    bench = Bench(registry, args.lines, args.lines_per_invoice)
    company_id, accountant_id, move_ids = bench.fixtures()
    tenth = move_ids[: max(1, len(move_ids) // 10)]
    bench.measure(company_id, accountant_id, tenth)  # warm the caches
    _s, queries_tenth, _k, _l = bench.measure(company_id, accountant_id, tenth)
    seconds, queries, fapiao, lines = bench.measure(company_id, accountant_id, move_ids)
    print(
        f"{len(move_ids)} invoices, {args.lines} invoice lines: {fapiao} fapiao, "
        f"{lines} fapiao lines in {seconds:.2f} s, {queries} queries "
        f"(a tenth of the invoices: {queries_tenth} queries)",
        flush=True,
    )
    flat = queries == queries_tenth
    print(
        f"bench fapiao lines={args.lines} build_export_s={seconds:.2f} "
        f"queries={queries} queries_tenth={queries_tenth} fapiao={fapiao} "
        f"flat={'yes' if flat else 'no'}"
    )
    return 0 if flat and seconds <= 5 else 1


if __name__ == "__main__":
    sys.exit(main())
