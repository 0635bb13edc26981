#!/usr/bin/env python3
# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Benchmark: tracking pushes and delivery slips at scale.

    python3 tests/perf/bench_tracking.py -c <odoo.conf> -d <db>
        [--tracking-events 10000] [--tracking-batch 100] [--slips 1000]
        [--slips-http-port 8299]

1. ``--tracking-events`` tracking events (default 10,000) for as many parcels
   go through the webhook handler's engine
   (``key.account.parcel._key_account_ingest_events``) in pushes of
   ``--tracking-batch`` events; then 200 pushes of one event each. Printed:
   queries per event, queries per single-event push, seconds.
2. ``--slips`` delivery slips (default 1,000) rendered as one PDF on the job
   path (``key.account.label.print._key_account_render_job``: chunks,
   merge, attachment). wkhtmltopdf fetches the report assets over HTTP: the
   benchmark starts an Odoo server of its own on ``--slips-http-port`` for
   that and stops it afterwards (0 skips the slips).

Everything runs in a transaction rolled back at the end. Other benchmarks'
options are ignored. The last lines printed are

    bench tracking pushes=<n> queries_per_push=<q> push_s=<s>
    bench slips N=<n> slips_1000_s=<s>
"""

import argparse
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import config


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n", 1)[0], allow_abbrev=False
    )
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--tracking-events", type=int, default=10000)
    parser.add_argument("--tracking-batch", type=int, default=100)
    parser.add_argument("--slips", type=int, default=1000)
    parser.add_argument("--slips-http-port", type=int, default=8299)
    args, _unknown = parser.parse_known_args(argv)
    return args


def make_pickings(env, count, tag):
    company = env.company
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", company.id)], limit=1
    )
    product = env["product.product"].create(
        {"name": f"Bench gift {tag}", "type": "consu", "is_storable": True}
    )
    partners = env["res.partner"].create(
        [
            {
                "name": f"收件人{index:05d}",
                "phone": f"139{index:08d}",
                "city": "上海市",
                "street": f"世纪大道 {index} 号",
            }
            for index in range(count)
        ]
    )
    customers = env.ref("stock.stock_location_customers")
    return env["stock.picking"].create(
        [
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": partner.id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": 1,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": customers.id,
                        }
                    )
                ],
            }
            for partner in partners
        ]
    )


def bench_tracking(env, args):
    n = args.tracking_events
    carrier_product = env["product.product"].create(
        {"name": "Bench freight", "type": "service"}
    )
    carrier = env["delivery.carrier"].create(
        {"name": "Bench courier", "product_id": carrier_product.id}
    )
    # ten parcels per delivery: the engine's cost is per event and parcel
    pickings = make_pickings(env, max(n // 10, 1), "tracking")
    parcels = env["key.account.parcel"].create(
        [
            {
                "picking_id": pickings[index % len(pickings)].id,
                "carrier_id": carrier.id,
                "waybill_number": f"BT{index:09d}",
                "tracking_state": "booked",
            }
            for index in range(n)
        ]
    )
    env.flush_all()
    engine = env["key.account.parcel"]
    start_time = datetime(2026, 12, 1, 8, 0)
    cr = env.cr
    queries = cr.sql_log_count
    started = time.perf_counter()
    batch = max(args.tracking_batch, 1)
    for offset in range(0, n, batch):
        events = [
            {
                "number": parcel.waybill_number,
                "status": "运输中",
                "time": (start_time + timedelta(minutes=offset + i)).isoformat(),
                "id": f"bench-{parcel.id}",
            }
            for i, parcel in enumerate(parcels[offset : offset + batch])
        ]
        engine._key_account_ingest_events(carrier, events)
        env.flush_all()
        env.invalidate_all()
    seconds = time.perf_counter() - started
    per_event = (cr.sql_log_count - queries) / n
    # single-event pushes (the worst case: nothing to share)
    singles = parcels[:200]
    queries = cr.sql_log_count
    single_started = time.perf_counter()
    for parcel in singles:
        engine._key_account_ingest_events(
            carrier,
            [
                {
                    "number": parcel.waybill_number,
                    "status": "已签收",
                    "time": "2026-12-03T10:00:00+08:00",
                }
            ],
        )
        env.flush_all()
    single_seconds = time.perf_counter() - single_started
    per_single = (cr.sql_log_count - queries) / len(singles)
    print(
        f"tracking: {n} events in pushes of {batch}: {seconds:.2f} s, "
        f"{per_event:.2f} queries per event; {len(singles)} single-event pushes: "
        f"{single_seconds:.2f} s, {per_single:.1f} queries per push"
    )
    return n, per_event, seconds, per_single


def wait_port(port, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(1)
    return False


def bench_slips(env, args):
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "odoo",
            "-c",
            args.config,
            "-d",
            args.database,
            f"--http-port={args.slips_http_port}",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if not wait_port(args.slips_http_port):
            sys.exit("the asset server for wkhtmltopdf did not start")
        env["ir.config_parameter"].set_param(
            "report.url", f"http://127.0.0.1:{args.slips_http_port}"
        )
        pickings = make_pickings(env, args.slips, "slips")
        env.flush_all()
        record = env["key.account.label.print"].create(
            {
                "name": "bench slips",
                "kind": "slip",
                "picking_ids": [Command.set(pickings.ids)],
                "picking_count": len(pickings),
            }
        )
        # the job path: the chunk jobs one after another, then the merge job
        started = time.perf_counter()
        ordered = record._key_account_sorted(record.picking_ids).ids
        size = record._key_account_chunk_size()
        chunk_seconds = []
        for index, start in enumerate(range(0, len(ordered), size)):
            chunk_started = time.perf_counter()
            record._key_account_render_chunk(index, ordered[start : start + size])
            chunk_seconds.append(time.perf_counter() - chunk_started)
        record._key_account_merge_job()
        seconds = time.perf_counter() - started
        print(
            f"slips: {len(chunk_seconds)} chunk jobs of {size}, the longest "
            f"{max(chunk_seconds):.1f} s"
        )
        if record.state != "done":
            sys.exit(f"slips failed: {record.error}")
        print(
            f"slips: {args.slips} delivery slips, one PDF of "
            f"{len(record.attachment_id.raw) // 1024} KiB, {seconds:.1f} s"
        )
        return seconds
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    config.parse_config(["-c", args.config, "-d", args.database])
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.database)
    if "key.account.label.print" not in registry:
        sys.exit(f"key_account_order is not installed in {args.database}")
    lines = []
    with registry.cursor() as cr:
        try:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            if args.tracking_events > 0:
                n, per_event, seconds, _single = bench_tracking(env, args)
                lines.append(
                    f"bench tracking pushes={n} queries_per_push={per_event:.2f} "
                    f"push_s={seconds:.2f}"
                )
            if args.slips > 0:
                seconds = bench_slips(env, args)
                lines.append(
                    f"bench slips N={args.slips} "
                    f"slips_1000_s={seconds * 1000 / args.slips:.1f}"
                )
        finally:
            cr.rollback()
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
