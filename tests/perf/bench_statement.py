#!/usr/bin/env python3
# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Benchmark: month-end statements of every key account in one run.

    python3 tests/perf/bench_statement.py -c <odoo.conf> -d <db> [--sizes 50,200]
        [--invoices 20]

One company of its own holds max(N) approved key accounts with
``--invoices`` posted customer invoices each in the month and one payment
each (built once per database, in batches, and committed: use a scratch
database, as ``make bench`` does). For a smaller N, the other key accounts
are suspended inside the measuring transaction. What is timed is what an
accountant waits for: the month-end run ``key.account.statement._generate``
of the company (every approved key account with a balance or activity), as
an accountant, with a cold record cache, in a transaction rolled back after
it.
The last line printed is

    bench statements sizes=<n1>,<n2> seconds=<s1>,<s2> queries=<q1>,<q2>
        lines=<l1>,<l2> flat=<yes|no>

(on one line): the number of queries must not grow with N.
"""

import argparse
import sys
import time
from contextlib import contextmanager
from datetime import date

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import config

DATE_FROM = date(2026, 9, 1)
DATE_TO = date(2026, 9, 30)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="scratch database")
    parser.add_argument("--sizes", default="50,200", help="comma-separated N values")
    parser.add_argument(
        "--invoices", type=int, default=20, help="posted invoices per customer"
    )
    # ``make bench`` passes its arguments to every benchmark: ignore others'
    args, _unknown = parser.parse_known_args(argv)
    args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    return args


class Bench:
    def __init__(self, registry, invoices):
        self.registry = registry
        self.invoices = invoices

    @contextmanager
    def transaction(self, commit=False):
        with self.registry.cursor() as cr:
            try:
                yield api.Environment(cr, SUPERUSER_ID, {})
                if commit:
                    cr.commit()
            finally:
                cr.rollback()

    # ------------------------------------------------------------------
    # Fixtures: one company per size, built once and found by external id
    # ------------------------------------------------------------------
    def fixtures(self, n):
        """Return (company id, accountant id, customer ids) of a company with
        ``n`` key accounts, built if needed."""
        xmlid = f"__bench__.statement_company_{n}_{self.invoices}"
        with self.transaction(commit=True) as env:
            company = env.ref(xmlid, False)
            if not company:
                started = time.perf_counter()
                # a new company gets its chart of accounts when its creation
                # is committed (account's pre-commit hook): commit it first
                company = env["res.company"].create(
                    {
                        "name": f"Statement Bench {n}x{self.invoices} "
                        f"{time.time():.0f}",
                        "currency_id": env.ref("base.CNY").id,
                        "country_id": env.ref("base.cn").id,
                    }
                )
                env.cr.commit()
                self._build(env, company, n)
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
                    f"setup: {n} key accounts, {n * self.invoices} invoices and "
                    f"{n} payments posted in {time.perf_counter() - started:.1f} s",
                    flush=True,
                )
            accountant = env["res.users"].search(
                [("login", "=", f"bench_statement_accountant_{company.id}")]
            )
            customers = env["res.partner"].search(
                [("company_id", "=", company.id), ("is_key_account", "=", True)],
                order="id",
            )
            return company.id, accountant.id, customers.ids

    def _build(self, env, company, n):
        env = env(context={"tracking_disable": True, "mail_create_nolog": True})
        env = env(context=dict(env.context, allowed_company_ids=company.ids))
        env.user.company_ids |= company
        Account = env["account.account"].with_company(company)
        receivable = Account.create(
            {
                "name": "Bench Receivable",
                "code": "1122990",
                "account_type": "asset_receivable",
                "reconcile": True,
            }
        )
        income = Account.create(
            {"name": "Bench Sales", "code": "6001990", "account_type": "income"}
        )
        bank = Account.create(
            {"name": "Bench Bank", "code": "1002990", "account_type": "asset_cash"}
        )
        sale_journal, receipts = env["account.journal"].create(
            [
                {
                    "name": "Bench Invoices",
                    "code": "BINV",
                    "type": "sale",
                    "company_id": company.id,
                    "default_account_id": income.id,
                },
                {
                    "name": "Bench Receipts",
                    "code": "BRCP",
                    "type": "general",
                    "company_id": company.id,
                },
            ]
        )
        env["ir.default"].set(
            "res.partner",
            "property_account_receivable_id",
            receivable.id,
            company_id=company.id,
        )
        env["res.users"].with_context(no_reset_password=True).create(
            {
                "name": f"Bench Statement Accountant {company.id}",
                "login": f"bench_statement_accountant_{company.id}",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [
                    Command.set([env.ref("account.group_account_invoice").id])
                ],
            }
        )
        customers = env["res.partner"].create(
            [
                {
                    "name": f"Bench Key Account {company.id}-{i}",
                    "is_company": True,
                    "is_key_account": True,
                    "company_id": company.id,
                }
                for i in range(n)
            ]
        )
        customers.write({"key_account_state": "approved"})
        customers.with_company(company).property_account_receivable_id = receivable
        # The invoices' journal items are given (product and payment term
        # lines, what Odoo's invoice form computes) and posted in chunks.
        Move = env["account.move"].with_context(skip_invoice_sync=True)
        vals_list = []
        for customer in customers:
            for k in range(self.invoices):
                day = date(2026, 9, 1 + k % 28)
                amount = 100.0 + k
                vals_list.append(
                    {
                        "move_type": "out_invoice",
                        "partner_id": customer.id,
                        "company_id": company.id,
                        "journal_id": sale_journal.id,
                        "invoice_date": day,
                        "date": day,
                        "invoice_date_due": day,
                        "line_ids": [
                            Command.create(
                                {
                                    "display_type": "product",
                                    "name": "Bench Gift Box",
                                    "quantity": 1,
                                    "price_unit": amount,
                                    "account_id": income.id,
                                    "tax_ids": [],
                                    "balance": -amount,
                                }
                            ),
                            Command.create(
                                {
                                    "display_type": "payment_term",
                                    "name": "",
                                    "account_id": receivable.id,
                                    "balance": amount,
                                    "date_maturity": day,
                                }
                            ),
                        ],
                    }
                )
        for start in range(0, len(vals_list), 500):
            moves = Move.create(vals_list[start : start + 500])
            env.flush_all()
            # Fresh statistics: without them PostgreSQL plans core's payment
            # state query (run when posting) over thousands of new rows as if
            # the tables were empty, and takes minutes instead of a second.
            env.cr.execute("ANALYZE account_move, account_move_line")
            moves.action_post()
            env.flush_all()
            env.invalidate_all()
        receipts_moves = env["account.move"].create(
            [
                {
                    "move_type": "entry",
                    "journal_id": receipts.id,
                    "company_id": company.id,
                    "date": date(2026, 9, 15),
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": bank.id,
                                "partner_id": customer.id,
                                "debit": 500.0,
                            }
                        ),
                        Command.create(
                            {
                                "account_id": receivable.id,
                                "partner_id": customer.id,
                                "credit": 500.0,
                            }
                        ),
                    ],
                }
                for customer in customers
            ]
        )
        receipts_moves.action_post()

    # ------------------------------------------------------------------
    # Measure
    # ------------------------------------------------------------------
    def measure(self, company_id, accountant_id, suspended_ids):
        with self.transaction() as env:
            if suspended_ids:
                env.cr.execute(
                    "UPDATE res_partner SET key_account_state = 'suspended' "
                    "WHERE id IN %s",
                    (tuple(suspended_ids),),
                )
            env = env(user=accountant_id, context={"allowed_company_ids": [company_id]})
            company = env["res.company"].browse(company_id)
            env.invalidate_all()
            queries = env.cr.sql_log_count
            started = time.perf_counter()
            statements = env["key.account.statement"]._generate(
                company, DATE_FROM, DATE_TO
            )
            env.flush_all()
            seconds = time.perf_counter() - started
            queries = env.cr.sql_log_count - queries
            return seconds, queries, len(statements), len(statements.line_ids)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    if "key.account.statement" not in registry:
        sys.exit("key_account_settlement is not installed in this database")
    bench = Bench(registry, args.invoices)
    results = []
    company_id, accountant_id, customer_ids = bench.fixtures(max(args.sizes))
    for n in args.sizes:
        suspended = customer_ids[n:]
        bench.measure(company_id, accountant_id, suspended)  # warm the caches
        seconds, queries, count, lines = bench.measure(
            company_id, accountant_id, suspended
        )
        print(
            f"N={n}: {count} statements, {lines} lines in {seconds:.2f} s, "
            f"{queries} queries",
            flush=True,
        )
        results.append((n, seconds, queries, lines))
    flat = len({queries for _n, _s, queries, _l in results}) == 1
    print(
        "bench statements sizes={} seconds={} queries={} lines={} flat={}".format(
            ",".join(str(r[0]) for r in results),
            ",".join(f"{r[1]:.2f}" for r in results),
            ",".join(str(r[2]) for r in results),
            ",".join(str(r[3]) for r in results),
            "yes" if flat else "no",
        )
    )
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
