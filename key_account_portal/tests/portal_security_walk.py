# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Machinery of the portal security walk (tests/test_portal_security_walk.py):
the module's routes read from the live routing map, URL building, database
snapshots and the text of a response as a person (or a script) reads it."""

import contextlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from types import SimpleNamespace
from urllib.parse import unquote, urlencode, urlsplit

from odoo.tools import SQL

MODULE_PREFIX = "odoo.addons.key_account_portal"

# Tables whose rows a refused request must leave untouched (plus every table
# of a key.account.* model and of a model the portal module adds).
WATCHED_TABLES = (
    "sale_order",
    "sale_order_line",
    "key_account_allocation",
    "res_partner",
    "res_partner_bank",
    "res_users",
    "ir_attachment",
    "mail_message",
    "mail_followers",
    "mail_tracking_value",
    "key_account_statement",
    "key_account_statement_line",
    "key_account_contract",
    "queue_job",
    "stock_picking",
    "stock_move",
)

# Rows that rendering any page may create: the compiled asset bundles.
TABLE_FILTERS = {
    "ir_attachment": SQL(
        "(t.url IS NULL OR t.url NOT LIKE '/web/assets/%%')"
        " AND t.res_model IS DISTINCT FROM 'ir.ui.view'"
    ),
}

URL_ARGUMENT = re.compile(r"<(?:[^<>:]+:)?(\w+)>")


@dataclass
class Route:
    """How the walk calls one route of the module.

    ``args(t)`` gives the URL arguments for the records of the bundle ``t``
    (see ``KeyAccountPortalWalkCommon._walk_bundle``), ``form(t)`` the form
    fields of a POST (``files(t)`` its files), ``query(t)`` extra GET
    parameters. ``token`` adds ``access_token=`` of ``t.token_record(t)``
    (the bundle's confirmed order by default) to GETs. ``scoped=False``: the
    URL and form name no record of a customer (a list, the catalog, a
    template): a logged-in user gets his own page (200) in which the walk
    looks for the other customer's data. ``marker(t)``: the string of the
    bundle's own records that the page shows its owner (positive control;
    ``None``: the page shows no customer data, e.g. a blank template).
    ``public``: auth="public" by design (the application form).
    ``walk_post``: False when a POST of the route is tested elsewhere.
    ``owner_post``: the POST of the owner A on his own records must change
    the database (proves that the form the walk sends is a real one).
    """

    args: object = None
    form: object = None
    files: object = None
    query: object = None
    token: bool = False
    token_record: object = None
    scoped: bool = True
    marker: object = None
    public: bool = False
    walk_post: bool = True
    owner_post: bool = False
    note: str = ""
    extra: dict = field(default_factory=dict)


def _is_module_endpoint(endpoint):
    original = getattr(endpoint, "original_endpoint", None)
    if original is not None and original.__module__.startswith(MODULE_PREFIX):
        return True
    # a route of another module overridden by this one
    method = getattr(endpoint, "func", None)
    controller = getattr(method, "__self__", None)
    name = getattr(method, "__name__", None)
    if controller is None or not name:
        return False
    return any(
        name in cls.__dict__ and cls.__module__.startswith(MODULE_PREFIX)
        for cls in type(controller).__mro__
    )


def module_routes(env):
    """``{pattern: [routing, ...]}`` of every route of the module: the
    merged routing dict (auth, methods, csrf, type, ...) of each endpoint
    bound to the pattern (a GET and a POST endpoint may share one URL)."""
    routes = {}
    for rule in env["ir.http"].routing_map().iter_rules():
        if _is_module_endpoint(rule.endpoint):
            routes.setdefault(rule.rule, []).append(dict(rule.endpoint.routing))
    return dict(sorted(routes.items()))


def route_methods(routings):
    """``[(method, routing)]``: GET and POST, each with the endpoint that
    serves it."""
    result = []
    for method in ("GET", "POST"):
        for routing in routings:
            if method in (routing.get("methods") or ("GET", "POST")):
                result.append((method, routing))
                break
    return result


def build_url(pattern, args):
    """``pattern`` with its ``<converter:name>`` arguments from ``args``;
    raises KeyError naming a missing argument."""

    def value(match):
        name = match.group(1)
        if name not in args:
            raise KeyError(name)
        return str(args[name])

    return URL_ARGUMENT.sub(value, pattern)


def url_arguments(pattern):
    return URL_ARGUMENT.findall(pattern)


def with_query(url, params):
    params = {k: v for k, v in (params or {}).items() if v not in (None, False)}
    if not params:
        return url
    return url + ("&" if "?" in url else "?") + urlencode(params, doseq=True)


# ----------------------------------------------------------------------
# Database snapshots
# ----------------------------------------------------------------------
def watched_tables(env):
    """``{table: has a write_date column}`` of the tables to watch."""
    tables = set(WATCHED_TABLES)
    models = env["ir.model"].sudo().search([("model", "=like", "key.account.%")])
    portal_models = (
        env["ir.model.data"]
        .sudo()
        .search([("module", "=", "key_account_portal"), ("model", "=", "ir.model")])
    )
    models |= env["ir.model"].sudo().browse(portal_models.mapped("res_id"))
    for model in models:
        record = env.get(model.model)
        if record is not None and record._auto and not record._abstract:
            tables.add(record._table)
    env.cr.execute(
        "SELECT t.table_name, bool_or(c.column_name = 'write_date') "
        "FROM information_schema.tables t "
        "JOIN information_schema.columns c ON c.table_schema = t.table_schema "
        "AND c.table_name = t.table_name "
        "WHERE t.table_schema = current_schema() AND t.table_name = ANY(%s) "
        "GROUP BY t.table_name",
        [sorted(tables)],
    )
    return dict(sorted(env.cr.fetchall()))


def snapshot(env, tables):
    """Per table: row count, max id, max write_date and a digest of every
    row, read with a flushed cursor."""
    env.flush_all()
    result = {}
    for table, has_write_date in tables.items():
        where = TABLE_FILTERS.get(table, SQL("TRUE"))
        env.cr.execute(
            SQL(
                "SELECT count(*), max(t.id), %s, "
                "md5(string_agg(md5(t::text), '' ORDER BY t.id)) "
                "FROM %s t WHERE %s",
                SQL("max(t.write_date)") if has_write_date else SQL("NULL"),
                SQL.identifier(table),
                where,
            )
        )
        count, max_id, max_write, digest = env.cr.fetchone()
        result[table] = SimpleNamespace(
            count=count, max_id=max_id, max_write=max_write, digest=digest
        )
    return result


def snapshot_diff(before, after):
    """Readable differences between two snapshots (empty: no change)."""
    changes = []
    for table, old in before.items():
        new = after[table]
        if old == new:
            continue
        parts = []
        if old.count != new.count:
            parts.append(f"rows {old.count} -> {new.count}")
        if old.max_id != new.max_id:
            parts.append(f"max(id) {old.max_id} -> {new.max_id}")
        if old.max_write != new.max_write:
            parts.append(f"max(write_date) {old.max_write} -> {new.max_write}")
        if not parts:
            parts.append("row contents changed")
        changes.append(f"{table}: {', '.join(parts)}")
    return changes


def changed_rows(env, table, before_max_id):
    """Ids of rows of ``table`` above ``before_max_id`` (what was created)."""
    env.cr.execute(
        SQL(
            "SELECT id FROM %s WHERE id > %s ORDER BY id",
            SQL.identifier(table),
            before_max_id or 0,
        )
    )
    return [row[0] for row in env.cr.fetchall()]


# ----------------------------------------------------------------------
# What a response shows
# ----------------------------------------------------------------------
def _xlsx_text(content):
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    values = []
    for sheet in workbook.worksheets:
        values.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            values.extend(str(v) for v in row if v is not None)
    return "\n".join(values)


def response_text(response):
    """Everything a response shows: headers that carry text (Location,
    Content-Disposition), the body decoded (HTML, JSON with its escapes
    resolved, the cells of an XLSX workbook, other zip members)."""
    parts = [
        unquote(response.headers.get("Location", "")),
        unquote(response.headers.get("Content-Disposition", "")),
    ]
    content = response.content or b""
    ctype = response.headers.get("Content-Type", "")
    if content[:2] == b"PK":
        try:
            parts.append(_xlsx_text(content))
        except Exception:  # noqa: BLE001 - not a workbook: read the zip members
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                for name in archive.namelist():
                    parts.append(archive.read(name).decode("utf-8", "replace"))
    else:
        text = content.decode("utf-8", "replace")
        parts.append(text)
        if "json" in ctype:
            # the escaped characters (\uXXXX) as a person reads them
            with contextlib.suppress(ValueError):
                parts.append(json.dumps(json.loads(text), ensure_ascii=False))
    return "\n".join(parts)


def found_markers(text, markers):
    """The markers present in ``text`` (phone numbers also with their
    spaces, dashes and parentheses taken out)."""
    squeezed = re.sub(r"[\s\-()]", "", text)
    found = []
    for marker in markers:
        phone = marker.isdigit() and len(marker) >= 8
        if marker in text or (phone and marker in squeezed):
            found.append(marker)
    return found


def location_path(response):
    location = response.headers.get("Location", "")
    return urlsplit(location).path
