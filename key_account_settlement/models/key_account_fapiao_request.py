# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

FAPIAO_TYPES = [
    ("vat_special", "VAT Special Invoice"),
    ("vat_ordinary", "VAT Ordinary Invoice"),
    ("electronic", "Electronic Invoice"),
]


class KeyAccountFapiaoRequest(models.Model):
    """A fapiao request (开票申请): posted customer invoices and credit notes
    of one customer and company, to be issued in the tax system as one or
    more fapiao (split by tax rate, amount limit and line limit)."""

    _name = "key.account.fapiao.request"
    _description = "Fapiao Request"
    _inherit = ("mail.thread", "mail.activity.mixin")
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True, copy=False, readonly=True, default="/", index=True
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
    )
    statement_id = fields.Many2one(
        comodel_name="key.account.statement",
        index=True,
        check_company=True,
    )
    invoice_ids = fields.Many2many(
        comodel_name="account.move",
        relation="key_account_fapiao_request_move_rel",
        column1="request_id",
        column2="move_id",
        string="Invoices",
        check_company=True,
    )
    fapiao_type = fields.Selection(selection=FAPIAO_TYPES, required=True, tracking=True)
    # The buyer as the fapiao prints it, copied from the customer at build time
    buyer_title = fields.Char()
    buyer_tax_id = fields.Char(string="Buyer Tax Number")
    buyer_address_phone = fields.Char(string="Buyer Address and Phone")
    buyer_bank_account = fields.Char(string="Buyer Bank and Account")
    currency_id = fields.Many2one(comodel_name="res.currency", required=True)
    state = fields.Selection(
        selection=[
            ("to_approve", "Requested by Customer"),
            ("draft", "Draft"),
            ("exported", "Exported"),
            ("issued", "Issued"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    fapiao_ids = fields.One2many(
        comodel_name="key.account.fapiao",
        inverse_name="request_id",
    )
    export_count = fields.Integer(readonly=True, copy=False)
    note = fields.Text()


class KeyAccountFapiao(models.Model):
    """One fapiao (发票) of a request: a blue fapiao, or a red one reversing
    an issued fapiao for a credit note."""

    _name = "key.account.fapiao"
    _description = "Fapiao"
    _order = "request_id desc, sequence, id"
    _check_company_auto = True

    request_id = fields.Many2one(
        comodel_name="key.account.fapiao.request",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    company_id = fields.Many2one(
        related="request_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="request_id.partner_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="request_id.currency_id")
    fapiao_type = fields.Selection(related="request_id.fapiao_type", store=True)
    sequence = fields.Integer(default=1)
    serial = fields.Char(
        string="Serial Number",
        required=True,
        copy=False,
        index=True,
        help="The number that joins the exported fapiao to the issued one (流水号).",
    )
    kind = fields.Selection(
        selection=[("blue", "Blue Fapiao"), ("red", "Red Fapiao")],
        default="blue",
        required=True,
    )
    origin_fapiao_id = fields.Many2one(
        comodel_name="key.account.fapiao",
        string="Reversed Fapiao",
        index=True,
        check_company=True,
    )
    red_confirmation_number = fields.Char(string="Red-Letter Confirmation Number")
    fapiao_number = fields.Char(copy=False, index=True)
    fapiao_code = fields.Char(copy=False)
    issue_date = fields.Date(copy=False)
    amount_untaxed = fields.Monetary(currency_field="currency_id")
    amount_tax = fields.Monetary(currency_field="currency_id")
    amount_total = fields.Monetary(currency_field="currency_id")
    state = fields.Selection(
        selection=[
            ("draft", "Draft"),
            ("exported", "Exported"),
            ("issued", "Issued"),
            ("red_reversed", "Red-Reversed"),
            ("voided", "Voided"),
        ],
        default="draft",
        required=True,
        index=True,
        copy=False,
    )
    line_ids = fields.One2many(
        comodel_name="key.account.fapiao.line", inverse_name="fapiao_id", string="Lines"
    )
    attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="key_account_fapiao_attachment_rel",
        column1="fapiao_id",
        column2="attachment_id",
        string="Files",
        copy=False,
    )

    _sql_constraints = (
        ("serial_uniq", "unique(company_id, serial)", "A fapiao serial is used once."),
        (
            "fapiao_number_uniq",
            "unique(company_id, fapiao_code, fapiao_number)",
            "A fapiao number is used once per seller.",
        ),
    )


class KeyAccountFapiaoLine(models.Model):
    """One goods line of a fapiao, from one invoice line (or a discount line
    right after the line it discounts)."""

    _name = "key.account.fapiao.line"
    _description = "Fapiao Line"
    _order = "fapiao_id, sequence, id"

    fapiao_id = fields.Many2one(
        comodel_name="key.account.fapiao", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="fapiao_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="fapiao_id.currency_id")
    sequence = fields.Integer(default=1)
    move_line_id = fields.Many2one(
        comodel_name="account.move.line", string="Invoice Line", index=True
    )
    move_id = fields.Many2one(
        related="move_line_id.move_id", store=True, index=True, string="Invoice"
    )
    is_discount = fields.Boolean(string="Discount Line")
    tax_code = fields.Char(string="Tax Classification Code")
    item_name = fields.Char(help="Printed as *short name*name.")
    uom_name = fields.Char(string="Unit")
    quantity = fields.Float(digits="Product Unit of Measure")
    price_unit = fields.Float(digits="Product Price")
    tax_rate = fields.Float(digits=(16, 4), help="0.13 for 13 %.")
    amount_untaxed = fields.Monetary(currency_field="currency_id")
    amount_tax = fields.Monetary(currency_field="currency_id")
    preferential = fields.Boolean(string="Preferential Policy")
