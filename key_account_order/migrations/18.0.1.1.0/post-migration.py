# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Background confirmation moved from a cron of this module to queue_job:
remove the former cron (a noupdate record, kept by the update otherwise)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    cron = env.ref("key_account_order.ir_cron_key_account_confirm", False)
    if cron:
        cron.unlink()
