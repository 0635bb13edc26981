#!/usr/bin/env python3
# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Benchmark: the portal's order page and recipient list for N recipients.

    python3 tests/perf/bench_portal.py -c <odoo.conf> -d <db> [--sizes 100,10000]
        [--delivered 60] [--repeat 3]

A key account of its own (approved, an active contract, a portal user) gets
for each N one order of a gift box allocated over N recipients, confirmed
through the delivery engine (one delivery per recipient, in the request:
background threshold 0), its first ``--delivered`` deliveries validated.
Built once per database and committed: use a scratch database, as
``make bench`` does (N=10,000 takes several minutes to build).

What is measured is what the portal user waits for: complete HTTP requests
through Odoo's WSGI application (``odoo.http.root``, werkzeug's test client:
routing, session, the controller, QWeb rendering of the portal layout), as
the portal user, caches warm, the best of ``--repeat`` runs:

- the order page ``/my/key-account/orders/<id>`` (lines, states, the first
  page of recipients),
- the recipient list ``/my/key-account/orders/<id>/recipients/page/2``.

It also times the recipient delivery report of every recipient
(``/my/key-account/orders/<id>/report.xlsx``, read in batches of 1,000: its
queries grow with N/1,000, it is not part of the ``flat`` verdict).

Queries are every query the request ran (``odoo.sql_db.sql_counter``). The
last line printed is

    bench portal sizes=<n1>,<n2> seconds=<order>+<list>,<order>+<list>
        queries=<order>+<list>,<order>+<list> flat=<yes|no>

(on one line): the number of queries must not grow with N.
"""

import argparse
import io
import re
import sys
import time
from contextlib import contextmanager
from datetime import timedelta

from werkzeug.test import Client

import odoo
import odoo.http
import odoo.sql_db
from odoo import SUPERUSER_ID, Command, api, fields
from odoo.service import security
from odoo.tools import config

PORTAL_LOGIN = "bench_portal_buyer"


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("-d", "--database", required=True, help="scratch database")
    parser.add_argument(
        "--sizes", default="100,10000", help="comma-separated recipient counts"
    )
    parser.add_argument(
        "--delivered", type=int, default=60, help="deliveries validated per order"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs, best kept")
    # ``make bench`` passes its arguments to every benchmark: ignore others'
    args, _unknown = parser.parse_known_args(argv)
    args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    return args


class Bench:
    def __init__(self, registry, dbname, delivered):
        self.registry = registry
        self.dbname = dbname
        self.delivered = delivered

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
    # Fixtures, built once and found again by external id
    # ------------------------------------------------------------------
    def fixtures(self, sizes):
        """Return (portal user id, {n: order id})."""
        with self.transaction(commit=True) as env:
            env = env(context={"tracking_disable": True, "mail_create_nolog": True})
            customer = env.ref("__bench__.portal_customer", False)
            if not customer:
                customer = self._build_customer(env)
                env.cr.commit()
            orders = {}
            for n in sizes:
                xmlid = f"__bench__.portal_order_{n}"
                order = env.ref(xmlid, False)
                if not order:
                    started = time.perf_counter()
                    order = self._build_order(env, customer, n)
                    self._xmlid(env, xmlid, order)
                    env.cr.commit()
                    print(
                        f"setup: order of {n} recipients confirmed, "
                        f"{min(n, self.delivered)} delivered, in "
                        f"{time.perf_counter() - started:.1f} s",
                        flush=True,
                    )
                orders[n] = order.id
            user = env["res.users"].search([("login", "=", PORTAL_LOGIN)])
            return user.id, orders

    def _xmlid(self, env, xmlid, record):
        env["ir.model.data"].create(
            {
                "module": "__bench__",
                "name": xmlid.split(".", 1)[1],
                "model": record._name,
                "res_id": record.id,
                "noupdate": True,
            }
        )

    def _build_customer(self, env):
        from stdnum.cn import uscc

        company = env.company
        body = f"91110105{int(time.time()) % 10**9:09d}"
        code = body + uscc.calc_check_digit(body)
        bank = env["res.bank"].create({"name": "Bench Portal Bank"})
        customer = env["res.partner"].create(
            {
                "name": "门户基准测试集团 Portal Bench Group",
                "is_company": True,
                "is_key_account": True,
                "company_id": company.id,
                "company_registry": code,
                "vat": code,
                "key_account_type": "enterprise",
                "key_account_source": "sales_entered",
                "key_account_tier": "a",
                "key_account_legal_representative": "张伟",
                "country_id": env.ref("base.cn").id,
                "state_id": env.ref("base.state_cn_BJ").id,
                "city": "北京市",
                "street": "朝阳区建国路 88 号",
                "phone": "+86 10 6500 0000",
                "key_account_invoice_type": "vat_special",
                "key_account_state": "approved",
                "bank_ids": [
                    Command.create(
                        {"acc_number": "6222 0200 9900 0001", "bank_id": bank.id}
                    )
                ],
            }
        )
        payment_term = env["account.payment.term"].create(
            {
                "name": "Bench 60 days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100.0, "nb_days": 60}
                    )
                ],
            }
        )
        product = env["product.product"].create(
            {
                "name": "端午礼盒 Bench Gift Box",
                "type": "consu",
                "is_storable": True,
                "list_price": 188.0,
                "invoice_policy": "delivery",
                "taxes_id": [],
            }
        )
        pricelist = env.ref("key_account_contract.pricelist_key_account")
        pricelist.write(
            {
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": product.product_tmpl_id.id,
                            "compute_price": "fixed",
                            "fixed_price": 150.0,
                        }
                    )
                ]
            }
        )
        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 1_000_000
        )
        today = fields.Date.context_today(env.user)
        contract = env["key.account.contract"].create(
            {
                "partner_id": customer.id,
                "company_id": company.id,
                "date_start": today - timedelta(days=1),
                "date_end": today + timedelta(days=365),
                "payment_term_id": payment_term.id,
                "payment_method": "acceptance_bill",
            }
        )
        contract.action_confirm()
        contact = env["res.partner"].create(
            {
                "name": "基准采购员",
                "parent_id": customer.id,
                "email": "bench.portal@example.com",
                "type": "contact",
            }
        )
        env["res.users"].with_context(no_reset_password=True).create(
            {
                "name": contact.name,
                "login": PORTAL_LOGIN,
                "password": PORTAL_LOGIN,
                "partner_id": contact.id,
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [Command.set([env.ref("base.group_portal").id])],
            }
        )
        self._xmlid(env, "__bench__.portal_customer", customer)
        self._xmlid(env, "__bench__.portal_product", product)
        return customer

    def _build_order(self, env, customer, n):
        product = env.ref("__bench__.portal_product")
        company = env.company
        company.key_account_background_threshold = 0
        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        state = env.ref("base.state_cn_SH")
        departments = ["行政部", "财务部", "市场部", "研发部", "人力资源部"]
        recipients = env["res.partner"]._key_account_get_or_create_recipients(
            customer,
            [
                {
                    "name": f"收件人{n}-{i:05d}",
                    "phone": f"13{n % 10}{i:08d}",
                    "country_id": env.ref("base.cn").id,
                    "state_id": state.id,
                    "city": "上海市",
                    "key_account_district": "浦东新区",
                    "street": f"世纪大道 {i} 号 {n}",
                }
                for i in range(n)
            ],
        )
        order = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "company_id": company.id,
                "warehouse_id": warehouse.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": n})
                ],
            }
        )
        env["key.account.allocation"].create(
            [
                {
                    "order_line_id": order.order_line.id,
                    "recipient_id": recipient.id,
                    "quantity": 1,
                    "department": departments[i % len(departments)],
                }
                for i, recipient in enumerate(recipients)
            ]
        )
        order.action_confirm()
        env.flush_all()
        allocations = env["key.account.allocation"].search(
            [("order_id", "=", order.id)], order="id", limit=self.delivered
        )
        pickings = allocations.picking_id
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings.with_context(skip_backorder=True, skip_sms=True).button_validate()
        env.flush_all()
        return order

    # ------------------------------------------------------------------
    # Measure
    # ------------------------------------------------------------------
    def client(self, uid):
        """A werkzeug client of Odoo's WSGI application, signed in as ``uid``
        (the session is built as Odoo's own HttpCase.authenticate does)."""
        session = odoo.http.root.session_store.new()
        session.update(odoo.http.get_default_session(), db=self.dbname)
        with self.transaction() as env:
            env = env(user=uid)
            session.uid = uid
            session.login = env.user.login
            session.session_token = security.compute_session_token(session, env)
            session.context = dict(env["res.users"].context_get())
        odoo.http.root.session_store.save(session)
        client = Client(odoo.http.root)
        client.set_cookie("localhost", "session_id", session.sid)
        return client

    def measure(self, client, url, repeat):
        best = None
        for _attempt in range(repeat):
            queries = odoo.sql_db.sql_counter
            started = time.perf_counter()
            response = client.get(url)
            seconds = time.perf_counter() - started
            queries = odoo.sql_db.sql_counter - queries
            body = response.get_data(as_text=True)
            if response.status_code != 200 or "o_ka_recipient_row" not in body:
                sys.exit(f"{url}: HTTP {response.status_code}, no recipient shown")
            if best is None or seconds < best[0]:
                best = (seconds, queries)
        return best

    def build_draft(self, order_id):
        """A quotation of the customer with the allocations of ``order_id``
        (the same recipients), committed: what a buyer submits after an
        upload. Auto-approval is on, as the issue's path describes."""
        with self.transaction(commit=True) as env:
            env = env(context={"tracking_disable": True, "mail_create_nolog": True})
            source = env["sale.order"].browse(order_id)
            source.company_id.key_account_review_auto_approve = True
            line = source.order_line[0]
            order = env["sale.order"].create(
                {
                    "partner_id": source.partner_id.id,
                    "company_id": source.company_id.id,
                    "warehouse_id": source.warehouse_id.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": line.product_id.id,
                                "product_uom_qty": line.product_uom_qty,
                            }
                        )
                    ],
                }
            )
            env["key.account.allocation"].create(
                [
                    {
                        "order_line_id": order.order_line.id,
                        "recipient_id": allocation.recipient_id.id,
                        "quantity": allocation.quantity,
                        "department": allocation.department,
                    }
                    for allocation in source.key_account_allocation_ids
                ]
            )
            return order.id

    def measure_submit(self, client, order_id):
        """Seconds and queries of the buyer's Submit (review pool, automatic
        approval, confirmation queued for the job runner)."""
        url = f"/my/key-account/orders/{order_id}"
        page = client.get(url).get_data(as_text=True)
        found = re.search(
            r'action="/my/key-account/orders/\d+/submit">\s*<input type="hidden" '
            r'name="csrf_token" value="([^"]+)"',
            page,
        )
        if not found:
            sys.exit(f"{url}: no Submit form on the draft's page")
        queries = odoo.sql_db.sql_counter
        started = time.perf_counter()
        response = client.post(f"{url}/submit", data={"csrf_token": found[1]})
        seconds = time.perf_counter() - started
        queries = odoo.sql_db.sql_counter - queries
        with self.transaction() as env:
            order = env["sale.order"].browse(order_id)
            states = (order.key_account_review_state, order.key_account_confirm_state)
        if response.status_code not in (302, 303) or states != ("approved", "queued"):
            sys.exit(f"{url}/submit: HTTP {response.status_code}, states {states}")
        return seconds, queries

    def measure_report(self, client, order_id):
        """Seconds, queries and rows of the XLSX delivery report."""
        from openpyxl import load_workbook

        url = f"/my/key-account/orders/{order_id}/report.xlsx"
        queries = odoo.sql_db.sql_counter
        started = time.perf_counter()
        response = client.get(url)
        data = response.get_data()
        seconds = time.perf_counter() - started
        queries = odoo.sql_db.sql_counter - queries
        if response.status_code != 200 or "spreadsheetml" not in response.mimetype:
            sys.exit(f"{url}: HTTP {response.status_code}, {response.mimetype}")
        sheet = load_workbook(io.BytesIO(data), read_only=True).active
        rows = sum(1 for _row in sheet.iter_rows(min_row=2, values_only=True))
        return seconds, queries, rows, len(data)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        cr.execute(
            "SELECT 1 FROM ir_module_module WHERE name = %s AND state = %s",
            ("key_account_portal", "installed"),
        )
        if not cr.fetchone():
            sys.exit("key_account_portal is not installed in this database")
    bench = Bench(registry, args.database, args.delivered)
    uid, orders = bench.fixtures(args.sizes)
    client = bench.client(uid)
    pages = (
        ("order page", "/my/key-account/orders/{id}"),
        ("recipient list", "/my/key-account/orders/{id}/recipients/page/2"),
    )
    # Warm up: routing map, templates compiled, registry caches.
    for n in args.sizes:
        for _label, pattern in pages:
            bench.measure(client, pattern.format(id=orders[n]), 1)
    results = []
    for n in args.sizes:
        row = []
        for label, pattern in pages:
            seconds, queries = bench.measure(
                client, pattern.format(id=orders[n]), args.repeat
            )
            print(f"N={n}: {label} in {seconds:.3f} s, {queries} queries", flush=True)
            row.append((seconds, queries))
        results.append((n, row))
    for n in args.sizes:
        seconds, queries, rows, size = bench.measure_report(client, orders[n])
        print(
            f"N={n}: delivery report (XLSX, {rows} rows, {size // 1024} KiB) in "
            f"{seconds:.2f} s, {queries} queries",
            flush=True,
        )
    for n in args.sizes:
        draft_id = bench.build_draft(orders[n])
        seconds, queries = bench.measure_submit(client, draft_id)
        print(
            f"N={n}: submit to the review pool (approved automatically, "
            f"confirmation queued) in {seconds:.2f} s, {queries} queries",
            flush=True,
        )
    flat = all(
        len({row[page][1] for _n, row in results}) == 1 for page in range(len(pages))
    )
    print(
        "bench portal sizes={} seconds={} queries={} flat={}".format(
            ",".join(str(n) for n, _row in results),
            ",".join("+".join(f"{s:.3f}" for s, _q in row) for _n, row in results),
            ",".join("+".join(str(q) for _s, q in row) for _n, row in results),
            "yes" if flat else "no",
        )
    )
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
