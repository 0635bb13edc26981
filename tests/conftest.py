"""pytest-odoo set-up for the cross-module suite.

``make test`` passes ``--odoo-extra=test-enable`` so that ``odoo.tests`` is
imported in test mode (Odoo logs an ERROR otherwise). With ``test_enable``
still set when the registry loads, Odoo would also run the at_install tests of
every installed module, so it is switched off again once the configuration is
parsed: the module tests already ran in the Odoo test runner.
"""

from odoo.tools import config as odoo_config


def pytest_configure(config):
    odoo_config["test_enable"] = False
