# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

# 数电票 (fully digitalised invoices) carry up to 2,000 lines.
DEFAULT_FAPIAO_LINE_LIMIT = 2000
FAPIAO_FORMATS = [
    ("sdp_xlsx", "E-Tax Bureau Batch Template (数电票, XLSX)"),
    ("legacy_xml", "Tax-Control Software Import (XML, GBK)"),
]


class ResCompany(models.Model):
    """The seller's fapiao settings: how requests are split and exported."""

    _inherit = "res.company"

    key_account_fapiao_amount_limit = fields.Monetary(
        string="Fapiao Amount Limit",
        currency_field="currency_id",
        help="The highest untaxed amount one fapiao may carry (限额), as the "
        "tax authority granted it to the company. A request above it is split "
        "into several fapiao. 0: no limit.",
    )
    key_account_fapiao_line_limit = fields.Integer(
        string="Fapiao Line Limit",
        default=DEFAULT_FAPIAO_LINE_LIMIT,
        help="The most lines one fapiao carries (discount lines included): "
        "2,000 for 数电票; 8 for a legacy paper fapiao without a list of goods.",
    )
    key_account_fapiao_split_tax_rate = fields.Boolean(
        string="One Fapiao per Tax Rate",
        help="Put the lines of each tax rate on fapiao of their own. A 数电票 "
        "(special or ordinary) may carry several tax rates, so this is off by "
        "default; turn it on where the tax office or the customer asks for it.",
    )
    key_account_fapiao_format = fields.Selection(
        selection=FAPIAO_FORMATS,
        string="Fapiao Export Format",
        default="sdp_xlsx",
        required=True,
        help="The file a fapiao request is exported to for issuing.",
    )

    @api.constrains("key_account_fapiao_amount_limit", "key_account_fapiao_line_limit")
    def _check_key_account_fapiao_limits(self):
        for company in self:
            if company.key_account_fapiao_line_limit < 2:
                raise ValidationError(
                    self.env._(
                        "The fapiao line limit of %(company)s is at least 2 (a "
                        "line and its discount line), e.g. 2000 for 数电票.",
                        company=company.name,
                    )
                )
            if company.key_account_fapiao_amount_limit < 0:
                raise ValidationError(
                    self.env._(
                        "The fapiao amount limit of %(company)s is positive, or 0 "
                        "for no limit.",
                        company=company.name,
                    )
                )
