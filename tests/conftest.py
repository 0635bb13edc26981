"""pytest-odoo set-up for the cross-module suite.

``make test`` passes ``--odoo-extra=test-enable`` so that ``odoo.tests`` is
imported in test mode (Odoo logs an ERROR otherwise). With ``test_enable``
still set when the registry loads, Odoo would also run the at_install tests of
every installed module, so it is switched off again once the configuration is
parsed: the module tests already ran in the Odoo test runner.
"""

import pytest

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import config as odoo_config


def pytest_configure(config):
    odoo_config["test_enable"] = False


@pytest.fixture
def registry():
    """The test database's registry: its cursors are real, separate
    connections (the concurrency tests commit their fixtures)."""
    return Registry(odoo_config["db_name"])


@pytest.fixture
def confirm_apart(registry):
    """Confirm an order in a transaction of its own, as a request would, and
    record in ``outcome`` what happened (``confirmed`` or ``error``)."""

    def confirm(order_id, outcome):
        with registry.cursor() as cr:
            cr.execute("SET LOCAL lock_timeout = '20s'")
            env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
            try:
                env["sale.order"].browse(order_id).action_confirm()
            except Exception as error:  # noqa: BLE001 - the test inspects it
                outcome["error"] = error
                cr.rollback()
                return
            outcome["confirmed"] = True

    return confirm
