"""Tests of this folder need mrp and stock_picking_batch installed next to
the key-account modules (the second install of ``make test``). Against a
database without them the folder is left out of the collection (run it with
``pytest tests/with_mrp``: pytest then fails when it collects nothing)."""

from pathlib import Path

import odoo

HERE = Path(__file__).parent
REQUIRED = ("key_account_order", "mrp", "stock_picking_batch")


def _installed(config):
    database = config.getoption("odoo_database", None) or odoo.tools.config.get(
        "db_name"
    )
    if not database:
        return False
    with odoo.sql_db.db_connect(database).cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM ir_module_module"
            " WHERE name IN %s AND state = 'installed'",
            [REQUIRED],
        )
        return cr.fetchone()[0] == len(REQUIRED)


def pytest_ignore_collect(collection_path, config):
    if collection_path.parent == HERE and collection_path.name.startswith("test_"):
        return not _installed(config)
    return None
