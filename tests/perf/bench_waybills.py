#!/usr/bin/env python3
# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Benchmark: courier files for N recipient deliveries.

    python3 tests/perf/bench_waybills.py -c <odoo.conf> -d <db> [--waybills 10000]

Creates N recipient deliveries cheaply in one batch (draft pickings of one
move each, to N recipients, with a file-based carrier), then times
  - the booking export of the N deliveries (XLSX, GBK-safe), which creates
    their parcels,
  - the import of the N waybill numbers of the courier's returned file (CSV),
    counting its SQL queries.
Everything runs in one transaction rolled back at the end. The last line
printed is

    bench waybills N=<n> import_s=<s> export_s=<s> import_queries=<n>
"""

import argparse
import csv
import io
import sys
import time

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import config


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="scratch database")
    parser.add_argument("--waybills", type=int, default=10000, help="deliveries (N)")
    # make bench passes every benchmark the same options: ignore the others'
    args, _others = parser.parse_known_args(argv)
    return args


def create_deliveries(env, n):
    # imported once the registry has loaded the addons
    from odoo.addons.key_account_order.models.stock_picking_batched import (
        DEFER_FOLLOWERS,
    )

    company = env.company
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", company.id)], limit=1
    )
    product = env["product.product"].create(
        {"name": "Waybill Bench Gift", "type": "consu", "is_storable": True}
    )
    carrier = env["delivery.carrier"].create(
        {
            "name": "Bench 顺丰",
            "delivery_type": "key_account_file",
            "product_id": env["product.product"]
            .create({"name": "Bench Shipping", "type": "service"})
            .id,
            "tracking_url": "https://example.com/t/<shipmenttrackingnumber>",
        }
    )
    carrier.with_context(key_account_layout="sf").action_key_account_load_columns()
    customer = env["res.partner"].create(
        {"name": "Waybill Bench Group", "is_company": True}
    )
    state = env.ref("base.state_cn_SH")
    recipients = env["res.partner"]._key_account_get_or_create_recipients(
        customer,
        [
            {
                "name": f"收件人{i}",
                "phone": f"137{i:08d}",
                "state_id": state.id,
                "city": "上海市",
                "key_account_district": "浦东新区",
                "street": f"世纪大道 {i} 号",
            }
            for i in range(n)
        ],
    )
    out_type = warehouse.out_type_id
    customers = env.ref("stock.stock_location_customers")
    pickings = (
        env["stock.picking"]
        .with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            # no follower per delivery: the confirmation's own batching
            key_account_defer_followers=DEFER_FOLLOWERS,
        )
        .create(
            [
                {
                    "name": f"BENCH/WB/{i:06d}",
                    "picking_type_id": out_type.id,
                    "location_id": warehouse.lot_stock_id.id,
                    "location_dest_id": customers.id,
                    "partner_id": recipient.id,
                    "carrier_id": carrier.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": product.name,
                                "product_id": product.id,
                                "product_uom_qty": 1,
                                "product_uom": product.uom_id.id,
                                "location_id": warehouse.lot_stock_id.id,
                                "location_dest_id": customers.id,
                            }
                        )
                    ],
                }
                for i, recipient in enumerate(recipients)
            ]
        )
    )
    env.flush_all()
    return pickings


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    config.parse_config(["-c", args.config, "-d", args.database])
    odoo.service.server.load_server_wide_modules()
    registry = odoo.modules.registry.Registry(args.database)
    if "key.account.parcel.waybill" not in registry:
        print("bench waybills: key_account_order is not installed", file=sys.stderr)
        return 1
    n = args.waybills
    with registry.cursor() as cr:
        try:
            env = api.Environment(cr, SUPERUSER_ID, {})
            started = time.perf_counter()
            pickings = create_deliveries(env, n)
            created_s = time.perf_counter() - started
            print(f"bench waybills: {n} deliveries created in {created_s:.1f} s")
            Waybill = env["key.account.parcel.waybill"]
            env.invalidate_all()
            started = time.perf_counter()
            Waybill._key_account_export(pickings, file_format="xlsx")
            env.flush_all()
            export_s = time.perf_counter() - started
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(["客户订单号", "运单号"])
            writer.writerows(
                (picking.name, f"SF{picking.id:012d}") for picking in pickings
            )
            data = buffer.getvalue().encode("gbk")
            env.invalidate_all()
            before = cr.sql_log_count
            started = time.perf_counter()
            summary = Waybill._key_account_import(data, "waybills.csv", apply=True)
            env.flush_all()
            import_s = time.perf_counter() - started
            queries = cr.sql_log_count - before
            assert summary["applied"] == n, summary["counts"]
            print(
                f"bench waybills N={n} import_s={import_s:.2f} export_s={export_s:.2f} "
                f"import_queries={queries}"
            )
        finally:
            cr.rollback()
    return 0


if __name__ == "__main__":
    sys.exit(main())
