import logging

from . import models
from . import wizards

_logger = logging.getLogger(__name__)


def post_init_hook(env):
    """The demo story's settlement steps (posted invoices, a payment,
    statements, a credited rebate: ``demo/settlement_demo.py``), run after the
    module's demo XML was loaded, only when it was: the demo code is no model
    and stays out of the registry of every database."""
    module = env["ir.module.module"].search([("name", "=", "key_account_settlement")])
    if not module.demo:
        return
    from .demo import settlement_demo

    try:
        # as core's demo loading: a failure leaves the module installed,
        # without this part of its demo data (the demo test then fails)
        with env.cr.savepoint():
            settlement_demo.load(env)
    except Exception:
        _logger.warning(
            "key_account_settlement: the demo settlement steps failed",
            exc_info=True,
        )
