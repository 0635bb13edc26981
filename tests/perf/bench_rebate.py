#!/usr/bin/env python3
# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Benchmark: the rebate run (返点) for N contracts.

    python3 tests/perf/bench_rebate.py -c <odoo.conf> -d <db> [--contracts 200]
        [--invoices 5] [--compare 50]

Setup (not timed, built in batches): a company with the generic chart of
accounts, N key accounts with one contract each (2025, quarterly rebates, half
of them cumulative, two tiers) and ``--invoices`` posted customer invoices per
contract spread over the year (plus a credit note for one contract in ten),
all created and posted in one batch.

Timed, what a user (or the scheduled action) waits for:
  (1) the first run for 31 December 2025: one settlement per contract and
      quarter (4 N settlements);
  (2) the same run again: nothing new, computed settlements recomputed;
  (3) approving every settlement with a rebate: one draft credit note each.
With ``--compare M`` the first run is also measured for M contracts with one
invoice each: the queries per contract shown flat between the two means the
run does not read invoice by invoice.

Everything runs in one transaction rolled back at the end: the database is
left as it was. The last line printed is

    bench rebate contracts=<n> invoices=<i> run_s=<s> run_queries=<q>
        rerun_s=<s> rerun_queries=<q> approve_s=<s> settlements=<count>
"""

import argparse
import sys
import time
from datetime import date

from stdnum.cn import uscc

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import config


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="scratch database")
    parser.add_argument("--contracts", type=int, default=200)
    parser.add_argument(
        "--invoices", type=int, default=4, help="posted invoices per contract"
    )
    parser.add_argument(
        "--compare",
        type=int,
        default=50,
        help="also run for this many contracts of one invoice each (0: skip)",
    )
    return parser.parse_args(argv)


def make_uscc(serial):
    """A valid unified social credit code (as key_account_base's tests make
    them; odoo.tests is not imported by a benchmark)."""
    body = f"91110105{serial:09d}"
    return body + uscc.calc_check_digit(body)


def make_company(env):
    company = env["res.company"].create(
        {
            # unique name: the transaction is rolled back, but a company is
            # never left behind by a run that failed before its end
            "name": f"Rebate Bench Distributor {time.time():.0f}",
            "currency_id": env.ref("base.CNY").id,
            # no country: a Chinese company would install l10n_cn (and commit)
        }
    )
    env.user.company_ids |= company
    env = env(context=dict(env.context, allowed_company_ids=company.ids))
    env["account.chart.template"].try_loading(
        "generic_coa", company=company, install_demo=False
    )
    return env, company


def make_contracts(env, company, count, invoices_each, tag):
    """``count`` key accounts, contracts and their posted invoices."""
    # credit codes of their own (the transaction is rolled back at the end)
    serial = 600_000_000 + {"main": 0, "warm": 1, "compare": 2}[tag] * 100_000
    partners = (
        env["res.partner"]
        .with_context(tracking_disable=True)
        .create(
            [
                {
                    "name": f"Rebate Bench {tag} {i}",
                    "is_company": True,
                    "is_key_account": True,
                    "key_account_state": "approved",
                    "company_id": company.id,
                    "company_registry": (code := make_uscc(serial + i)),
                    "vat": code,
                    "key_account_type": "enterprise",
                    "country_id": env.ref("base.cn").id,
                    "city": "北京市",
                    "street": f"朝阳区建国路 {i} 号",
                }
                for i in range(count)
            ]
        )
    )
    contracts = (
        env["key.account.contract"]
        .with_context(tracking_disable=True)
        .create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "date_start": date(2025, 1, 1),
                    "date_end": date(2025, 12, 31),
                    "rebate_period": "quarterly",
                    "rebate_mode": "cumulative" if i % 2 else "per_period",
                    "rebate_tier_ids": [
                        Command.create({"amount_from": 1000.0, "rate": 1.0}),
                        Command.create({"amount_from": 5000.0, "rate": 2.0}),
                    ],
                }
                for i, partner in enumerate(partners)
            ]
        )
    )
    contracts.write({"state": "expired"})
    vals_list = []
    for i, contract in enumerate(contracts):
        for n in range(invoices_each):
            refund = n == invoices_each - 1 and i % 10 == 0 and invoices_each > 1
            vals_list.append(
                {
                    "move_type": "out_refund" if refund else "out_invoice",
                    "partner_id": contract.partner_id.id,
                    "company_id": company.id,
                    "invoice_date": date(2025, 1 + (n * 12 // invoices_each), 15),
                    "key_account_contract_id": contract.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Gift boxes",
                                "quantity": 1.0,
                                "price_unit": 300.0 + 37.0 * ((i + n) % 40),
                                "tax_ids": [],
                            }
                        )
                    ],
                }
            )
    moves = env["account.move"].with_context(tracking_disable=True).create(vals_list)
    moves.action_post()
    env.flush_all()
    return contracts, len(moves)


def timed(env, function):
    env.flush_all()
    env.invalidate_all()
    queries = env.cr.sql_log_count
    start = time.perf_counter()
    result = function()
    env.flush_all()
    return result, time.perf_counter() - start, env.cr.sql_log_count - queries


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    config.parse_config(["-c", args.config, "-d", args.database])
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.database)
    if "key.account.rebate.settlement" not in registry:
        sys.exit(f"key_account_settlement is not installed in {args.database}")
    until = date(2025, 12, 31)
    with registry.cursor() as cr:
        try:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            start = time.perf_counter()
            env, company = make_company(env)
            Settlement = env["key.account.rebate.settlement"]
            contracts, invoice_count = make_contracts(
                env, company, args.contracts, args.invoices, "main"
            )
            print(
                f"setup: {args.contracts} contracts, {invoice_count} posted invoices "
                f"and credit notes in {time.perf_counter() - start:.1f} s"
            )
            # warm the caches (registry, sequences, chart) on a small run
            warm, _count = make_contracts(env, company, 3, 1, "warm")
            Settlement._run_rebates(until, contracts=warm)
            print(f"{'scenario':<48} {'seconds':>8} {'queries':>8} {'q/contract':>10}")

            def show(label, seconds, queries, n):
                print(f"{label:<48} {seconds:>8.2f} {queries:>8} {queries / n:>10.2f}")
                sys.stdout.flush()

            if args.compare:
                small, small_invoices = make_contracts(
                    env, company, args.compare, 1, "compare"
                )
                _res, seconds, queries = timed(
                    env, lambda: Settlement._run_rebates(until, contracts=small)
                )
                show(
                    f"run, {args.compare} contracts, {small_invoices} invoices",
                    seconds,
                    queries,
                    args.compare,
                )
            settlements, run_s, run_q = timed(
                env, lambda: Settlement._run_rebates(until, contracts=contracts)
            )
            show(
                f"(1) run, {args.contracts} contracts, {invoice_count} invoices",
                run_s,
                run_q,
                args.contracts,
            )
            again, rerun_s, rerun_q = timed(
                env, lambda: Settlement._run_rebates(until, contracts=contracts)
            )
            show(
                "(2) same run again (recompute, nothing new)",
                rerun_s,
                rerun_q,
                args.contracts,
            )
            total = Settlement.search_count([("contract_id", "in", contracts.ids)])
            assert total == 4 * args.contracts, total
            assert again <= settlements, "the second run created settlements"
            to_approve = settlements.filtered(lambda s: s.amount_credit > 0)
            _res, approve_s, approve_q = timed(env, to_approve.action_approve)
            show(
                f"(3) approve {len(to_approve)} settlements (credit notes)",
                approve_s,
                approve_q,
                args.contracts,
            )
            print(
                f"bench rebate contracts={args.contracts} invoices={invoice_count} "
                f"run_s={run_s:.2f} run_queries={run_q} rerun_s={rerun_s:.2f} "
                f"rerun_queries={rerun_q} approve_s={approve_s:.2f} "
                f"settlements={total}"
            )
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
