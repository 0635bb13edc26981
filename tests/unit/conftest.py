"""Plain unit tests: no Odoo database, no Odoo configuration.

pytest-odoo loads a registry for every session through its autouse fixture
``load_registry``; the tests under this folder need none, so the fixture is
overridden here by one that does nothing (``make test`` runs them together
with the database tests: those outside this folder still get the registry).
"""

import pytest


@pytest.fixture(scope="session", autouse=True)
def load_registry():
    yield
