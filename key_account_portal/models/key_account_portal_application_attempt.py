# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import hashlib
from datetime import timedelta

from odoo import api, fields, models

# Limits when the system parameters say nothing; 0 or less switches a limit off.
DEFAULT_MAX_PER_IP_HOUR = 5
DEFAULT_MAX_PER_CODE_DAY = 3
PARAM_MAX_PER_IP_HOUR = "key_account_portal.apply_max_per_ip_hour"
PARAM_MAX_PER_CODE_DAY = "key_account_portal.apply_max_per_code_day"
# Attempts older than the longest window are of no use any more.
KEEP_ATTEMPTS = timedelta(days=2)


class KeyAccountPortalApplicationAttempt(models.Model):
    """One submission of the public online application form, counted to
    throttle spam: per client address and per credit code."""

    _name = "key.account.portal.application.attempt"
    _description = "Key Account Online Application Attempt"
    _order = "id desc"

    ip_address = fields.Char(string="IP Address", required=True, index=True)
    code_hash = fields.Char(
        string="Credit Code Hash",
        index=True,
        help="SHA-256 of the normalised unified social credit code the form "
        "carried (the code itself is not kept).",
    )

    @api.model
    def _key_account_portal_code_hash(self, code):
        return hashlib.sha256(code.encode()).hexdigest() if code else False

    @api.model
    def _key_account_portal_limit(self, param, default):
        value = self.env["ir.config_parameter"].sudo().get_param(param)
        try:
            return int(value) if value not in (None, False, "") else default
        except ValueError:
            return default

    @api.model
    def _key_account_portal_rate_error(self, ip_address, code):
        """A translated message when the client ``ip_address`` or the credit
        code ``code`` (normalised) has reached its limit, else ``False``."""
        now = fields.Datetime.now()
        per_ip = self._key_account_portal_limit(
            PARAM_MAX_PER_IP_HOUR, DEFAULT_MAX_PER_IP_HOUR
        )
        if per_ip > 0 and ip_address:
            count = self.search_count(
                [
                    ("ip_address", "=", ip_address),
                    ("create_date", ">=", now - timedelta(hours=1)),
                ]
            )
            if count >= per_ip:
                return self.env._(
                    "Too many applications were sent from your network in the "
                    "last hour: try again in an hour, or contact us."
                )
        per_code = self._key_account_portal_limit(
            PARAM_MAX_PER_CODE_DAY, DEFAULT_MAX_PER_CODE_DAY
        )
        if per_code > 0 and code:
            count = self.search_count(
                [
                    ("code_hash", "=", self._key_account_portal_code_hash(code)),
                    ("create_date", ">=", now - timedelta(days=1)),
                ]
            )
            if count >= per_code:
                return self.env._(
                    "Too many applications were sent today for the unified "
                    "social credit code %(code)s: try again tomorrow, or "
                    "contact us.",
                    code=code,
                )
        return False

    @api.model
    def _key_account_portal_register(self, ip_address, code):
        return self.create(
            {
                "ip_address": ip_address or "-",
                "code_hash": self._key_account_portal_code_hash(code),
            }
        )

    @api.autovacuum
    def _gc_key_account_portal_attempts(self):
        self.search(
            [("create_date", "<", fields.Datetime.now() - KEEP_ATTEMPTS)]
        ).unlink()
