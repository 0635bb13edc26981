# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

# The customer's invoicing data, copied onto the invoice when it is created
# (a snapshot): editing the customer later never rewrites an issued invoice.
INVOICE_DATA_FIELDS = (
    "key_account_invoice_type",
    "key_account_invoice_title",
    "key_account_invoice_vat",
    "key_account_invoice_address",
    "key_account_invoice_bank",
)


def _invoice_type_selection(self):
    return self.env["res.partner"]._fields["key_account_invoice_type"].selection


class AccountMove(models.Model):
    _inherit = "account.move"

    key_account_invoice_type = fields.Selection(
        selection=_invoice_type_selection,
        string="Invoice Type",
        compute="_compute_key_account_invoice_data",
        store=True,
        readonly=False,
        precompute=True,
        copy=True,
        help="Invoice type the key account asked for (VAT special, VAT ordinary or "
        "electronic), copied from the customer when the invoice is created.",
    )
    key_account_invoice_title = fields.Char(
        string="Invoice Title",
        compute="_compute_key_account_invoice_data",
        store=True,
        readonly=False,
        precompute=True,
        copy=True,
        help="Buyer name printed on the invoice, copied from the customer when the "
        "invoice is created.",
    )
    key_account_invoice_vat = fields.Char(
        string="Buyer Tax Number",
        compute="_compute_key_account_invoice_data",
        store=True,
        readonly=False,
        precompute=True,
        copy=True,
    )
    key_account_invoice_address = fields.Char(
        string="Buyer Address and Phone",
        compute="_compute_key_account_invoice_data",
        store=True,
        readonly=False,
        precompute=True,
        copy=True,
    )
    key_account_invoice_bank = fields.Char(
        string="Buyer Bank and Account",
        compute="_compute_key_account_invoice_data",
        store=True,
        readonly=False,
        precompute=True,
        copy=True,
    )
    key_account_rebate_settlement_id = fields.Many2one(
        "key.account.rebate.settlement",
        string="Rebate Settlement",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
        help="Rebate settlement this credit note (or charge-back invoice) "
        "settles. Rebate documents do not count in the invoiced amount of later "
        "rebates.",
    )
    key_account_period_start = fields.Date(
        string="Invoiced Period Start",
        copy=False,
        readonly=True,
        help="Consolidated invoice (月结): first day of the contract period it "
        "invoices.",
    )
    key_account_period_end = fields.Date(
        string="Invoiced Period End",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Consolidated invoice (月结): last day of the contract period it "
        "invoices. Deliveries done up to the end of this day are on the invoice.",
    )

    @api.depends("partner_id", "move_type")
    def _compute_key_account_invoice_data(self):
        """Copy the key account's invoicing data. Depends on the partner only
        (not on its fields): later changes of the customer do not reach the
        invoice, changing the invoice's customer (in draft) does."""
        for move in self:
            partner = move.partner_id
            commercial = partner.commercial_partner_id
            if not (
                move.is_sale_document(include_receipts=False)
                and commercial.is_key_account
            ):
                move.update(dict.fromkeys(INVOICE_DATA_FIELDS, False))
                continue
            move.update(move._key_account_invoice_data_values(partner))

    @api.model
    def _key_account_invoice_data_values(self, partner):
        """The invoicing data of ``partner`` (an invoice address of a key
        account or the key account itself) as invoice values."""
        commercial = partner.commercial_partner_id
        # the buyer's address is the invoice address when the invoice is
        # sent to one, else the registered address of the key account
        address_partner = partner if partner.type == "invoice" else commercial
        address = " ".join(
            part
            for part in (
                address_partner.state_id.name,
                address_partner.city,
                address_partner.street,
                address_partner.street2,
                address_partner.zip,
                address_partner.phone or commercial.phone,
            )
            if part
        )
        bank = commercial.bank_ids[:1]
        return {
            "key_account_invoice_type": commercial.key_account_invoice_type,
            "key_account_invoice_title": commercial.key_account_invoice_title
            or commercial.name,
            "key_account_invoice_vat": commercial.vat,
            "key_account_invoice_address": address or False,
            "key_account_invoice_bank": " ".join(
                part for part in (bank.bank_id.name, bank.acc_number) if part
            )
            or False,
        }

    def write(self, vals):
        if any(name in vals for name in INVOICE_DATA_FIELDS):
            self._key_account_check_invoice_data_write(vals)
        return super().write(vals)

    def _key_account_check_invoice_data_write(self, vals):
        """The invoicing data of a posted or cancelled invoice is what was
        issued: it changes only in draft (reset the invoice to draft first)."""
        changed = self.filtered(
            lambda move: (
                move.state != "draft"
                and any(
                    move[name] != vals[name]
                    for name in INVOICE_DATA_FIELDS
                    if name in vals
                )
            )
        )
        if changed:
            raise UserError(
                self.env._(
                    "The buyer's invoicing data of %(invoices)s cannot be changed: "
                    "the invoice is no longer a draft. Reset it to draft first.",
                    invoices=", ".join(changed.mapped("display_name")),
                )
            )

    # Rebate documents: the settlement follows its credit note (or charge-back
    # invoice) through posting, reset to draft, cancellation and deletion.
    def _post(self, soft=True):
        rebate_moves = self.filtered("key_account_rebate_settlement_id")
        if rebate_moves:
            self.env["key.account.rebate.settlement"]._check_rebate_move_post(
                rebate_moves
            )
        posted = super()._post(soft=soft)
        rebate_moves = posted.filtered("key_account_rebate_settlement_id")
        if rebate_moves:
            self.env["key.account.rebate.settlement"]._on_credit_note_posted(
                rebate_moves
            )
        return posted

    def _reverse_moves(self, default_values_list=None, cancel=False):
        """The reversal of a rebate document keeps its settlement: it is not
        invoiced amount, and posting it un-credits the settlement."""
        default_values_list = default_values_list or [{} for _move in self]
        for move, default_values in zip(self, default_values_list, strict=True):
            if move.key_account_rebate_settlement_id:
                default_values.setdefault(
                    "key_account_rebate_settlement_id",
                    move.key_account_rebate_settlement_id.id,
                )
        return super()._reverse_moves(default_values_list, cancel=cancel)

    def button_draft(self):
        rebate_moves = self.filtered(
            lambda m: m.key_account_rebate_settlement_id and m.state == "posted"
        )
        res = super().button_draft()
        if rebate_moves:
            self.env["key.account.rebate.settlement"]._on_credit_note_reset(
                rebate_moves
            )
        return res

    def button_cancel(self):
        res = super().button_cancel()
        rebate_moves = self.filtered("key_account_rebate_settlement_id")
        if rebate_moves:
            self.env["key.account.rebate.settlement"]._on_credit_note_dropped(
                rebate_moves
            )
        return res

    def unlink(self):
        rebate_moves = self.filtered("key_account_rebate_settlement_id")
        if rebate_moves:
            self.env["key.account.rebate.settlement"]._on_credit_note_dropped(
                rebate_moves
            )
        return super().unlink()
