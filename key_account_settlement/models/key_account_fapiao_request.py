# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Fapiao requests (开票申请): posted customer invoices of one customer,
company and currency, split into the fapiao the tax system issues.

The engine is ``key.account.fapiao.request._key_account_build(moves)`` (and
``create_from_statement``): it reads the invoices once, resolves the tax
classification of every product at once, splits the lines into fapiao (tax
rate, amount limit, line limit; a discount line stays right after the line
it discounts), distributes the invoices' tax over the fapiao so that every
fapiao's line taxes stay within the tax bureau's 0.06 of the tax on its
total, and creates the fapiao and their lines in batches. Amounts are
handled in integer cents: the fapiao add up exactly to the invoices."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_round

from odoo.addons.key_account_base.models.key_account_guard_mixin import NOT_ON_CREATE

from ..fapiao_formats import FORMATS

FAPIAO_TYPES = [
    ("vat_special", "VAT Special Invoice"),
    ("vat_ordinary", "VAT Ordinary Invoice"),
    ("electronic", "Electronic Invoice"),
]
INVOICE_GROUP = "account.group_account_invoice"
ACCOUNT_MANAGER_GROUP = "account.group_account_manager"
REQUEST_SEQUENCE_CODE = "key.account.fapiao.request"
SERIAL_SEQUENCE_CODE = "key.account.fapiao"
# The tax bureau's tolerance between the sum of a fapiao's line taxes and the
# tax computed on its total, in cents.
TAX_TOLERANCE_CENTS = 6
# A request no longer holds its invoices once cancelled (voided).
RELEASED_STATES = ("cancelled",)


class TaxShortfall(Exception):
    """The invoices' tax cannot be shared over the fapiao within the
    tolerance (the message says why)."""


def _percent(rate):
    return f"{rate:.0%}"


def _cents(amount, factor):
    return int(float_round(amount * factor, precision_digits=0))


class KeyAccountFapiaoRequest(models.Model):
    """A fapiao request (开票申请): posted customer invoices and credit notes
    of one customer and company, to be issued in the tax system as one or
    more fapiao (split by tax rate, amount limit and line limit)."""

    _name = "key.account.fapiao.request"
    _description = "Fapiao Request"
    _inherit = ("mail.thread", "mail.activity.mixin", "key.account.guard.mixin")
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True, copy=False, readonly=True, default="/", index=True
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        readonly=True,
        check_company=True,
        tracking=True,
    )
    statement_id = fields.Many2one(
        comodel_name="key.account.statement",
        index=True,
        readonly=True,
        check_company=True,
    )
    invoice_ids = fields.Many2many(
        comodel_name="account.move",
        relation="key_account_fapiao_request_move_rel",
        column1="request_id",
        column2="move_id",
        string="Invoices",
        readonly=True,
        check_company=True,
    )
    invoice_count = fields.Integer(compute="_compute_counts")
    fapiao_type = fields.Selection(
        selection=FAPIAO_TYPES, required=True, tracking=True, readonly=True
    )
    # The buyer as the fapiao prints it, copied from the customer at build time
    buyer_title = fields.Char(readonly=True)
    buyer_tax_id = fields.Char(string="Buyer Tax Number", readonly=True)
    buyer_address = fields.Char(readonly=True)
    buyer_phone = fields.Char(readonly=True)
    buyer_bank = fields.Char(readonly=True)
    buyer_account = fields.Char(string="Buyer Bank Account", readonly=True)
    buyer_address_phone = fields.Char(string="Buyer Address and Phone", readonly=True)
    buyer_bank_account = fields.Char(string="Buyer Bank and Account", readonly=True)
    currency_id = fields.Many2one(
        comodel_name="res.currency", required=True, readonly=True
    )
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
        readonly=True,
    )
    fapiao_ids = fields.One2many(
        comodel_name="key.account.fapiao",
        inverse_name="request_id",
        readonly=True,
    )
    fapiao_count = fields.Integer(compute="_compute_counts")
    amount_untaxed = fields.Monetary(readonly=True)
    amount_tax = fields.Monetary(readonly=True)
    amount_total = fields.Monetary(readonly=True)
    export_count = fields.Integer(readonly=True, copy=False)
    export_format = fields.Selection(
        selection=lambda self: (
            self.env["res.company"]._fields["key_account_fapiao_format"].selection
        ),
        readonly=True,
        help="The format of the last export.",
    )
    export_attachment_id = fields.Many2one(
        comodel_name="ir.attachment",
        string="Export File",
        readonly=True,
        copy=False,
    )
    export_date = fields.Datetime(string="Exported On", readonly=True, copy=False)
    note = fields.Text(help="Printed in the remarks (备注) of every fapiao.")

    _sql_constraints = (
        (
            "name_company_uniq",
            "unique(company_id, name)",
            "A fapiao request number is used once per company.",
        ),
    )

    @api.depends("invoice_ids", "fapiao_ids")
    def _compute_counts(self):
        for request in self:
            request.invoice_count = len(request.invoice_ids)
            request.fapiao_count = len(request.fapiao_ids)

    # ------------------------------------------------------------------
    # Authority: requests are built by the engine, their status changes
    # through the buttons (the guard mixin refuses any other write, RPC
    # included); only the note is free.
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Fapiao requests are built from posted invoices: use Request "
                    "Fapiao on the invoices or on a confirmed statement."
                )
            )
        return super().create(vals_list)

    @api.model
    def _key_account_guarded_fields(self):
        free = (
            {"note"}
            | set(self.env["mail.thread"]._fields)
            | set(self.env["mail.activity.mixin"]._fields)
        )
        return dict.fromkeys(
            (name for name in self._fields if name not in free), NOT_ON_CREATE
        )

    def _key_account_guard_error(self, names):
        return AccessError(
            self.env._(
                "%(fields)s of fapiao request %(request)s change only through its "
                "buttons (Export, Re-export, Void) and the import of issued fapiao.",
                fields=self._key_account_field_labels(names),
                request=", ".join(self.mapped("name")),
            )
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        for request in self.filtered(lambda r: r.state not in ("draft", "cancelled")):
            raise UserError(
                self.env._(
                    "Fapiao request %(request)s has been exported: void it instead "
                    "of deleting it.",
                    request=request.name,
                )
            )

    @api.model
    def _key_account_check_invoicing_user(self, action):
        if not (self.env.su or self.env.user.has_group(INVOICE_GROUP)):
            raise AccessError(
                self.env._(
                    "%(action)s of fapiao requests is for invoicing users "
                    "(Accounting: Billing): ask one of them.",
                    action=action,
                )
            )

    @api.model
    def _key_account_check_account_manager(self, action):
        if not (self.env.su or self.env.user.has_group(ACCOUNT_MANAGER_GROUP)):
            raise AccessError(
                self.env._(
                    "%(action)s of fapiao requests is for accounting managers "
                    "(Accounting: Administrator): ask one of them.",
                    action=action,
                )
            )

    def _key_account_state_error(self, action, fname):
        self.ensure_one()
        return self.env._(
            "%(action)s is not possible for fapiao request %(request)s in status "
            "%(state)s.",
            action=action,
            request=self.name,
            state=dict(self._fields[fname]._description_selection(self.env))[
                self[fname]
            ],
        )

    def _log(self, body):
        for request in self:
            request._message_log(body=body)

    # ------------------------------------------------------------------
    # The engine
    # ------------------------------------------------------------------
    @api.model
    def create_from_statement(self, statement, fapiao_type=None, note=None):
        """One request for the invoices of a confirmed statement: its invoices,
        and its credit notes that reverse one of them (netted); the other
        credit notes go the red-fapiao way and are named in the chatter."""
        statement.ensure_one()
        self._key_account_check_invoicing_user(self.env._("Creation"))
        if statement.state != "confirmed":
            raise UserError(
                self.env._(
                    "Statement %(statement)s is not confirmed by the customer yet: "
                    "a fapiao is requested for a confirmed statement.",
                    statement=statement.name,
                )
            )
        moves = statement.line_ids.filtered(
            lambda line: line.line_type in ("invoice", "credit_note")
        ).move_id
        invoices = moves.filtered(lambda m: m.move_type == "out_invoice")
        refunds = moves.filtered(lambda m: m.move_type == "out_refund")
        netted = refunds.filtered(lambda m: m.reversed_entry_id in invoices)
        if not invoices:
            raise UserError(
                self.env._(
                    "Statement %(statement)s has no customer invoice to request a "
                    "fapiao for.",
                    statement=statement.name,
                )
            )
        request = self._key_account_build(
            invoices | netted, statement=statement, fapiao_type=fapiao_type, note=note
        )
        left = refunds - netted
        if left:
            request._log(
                Markup("<p>%s</p>")
                % self.env._(
                    "Credit notes of the statement not on this request (they "
                    "reverse invoices of other periods: issue red fapiao for "
                    "them): %(moves)s",
                    moves=", ".join(left.mapped("name")),
                )
            )
        return request

    @api.model
    def _key_account_build(self, moves, statement=None, fapiao_type=None, note=None):
        """Build one fapiao request for the posted customer invoices ``moves``
        (with credit notes reversing invoices of ``moves``, netted), split
        into fapiao. Raises a UserError naming what stands in the way;
        nothing is written then."""
        self._key_account_check_invoicing_user(self.env._("Creation"))
        moves = moves.exists()
        self._key_account_check_moves(moves)
        self._key_account_lock_moves(moves)
        company = moves.company_id
        partner = moves.commercial_partner_id
        fapiao_type = fapiao_type or partner.key_account_invoice_type
        if not fapiao_type:
            raise UserError(
                self.env._(
                    "Customer %(partner)s has no invoice type (special, ordinary or "
                    "electronic): set it on the customer (Key Account, Finance) or "
                    "choose it when requesting the fapiao.",
                    partner=partner.display_name,
                )
            )
        buyer = self._key_account_buyer_values(partner, fapiao_type)
        items, tax_cents = self._key_account_items(moves)
        factor = 10**moves.currency_id.decimal_places
        groups = self._key_account_split(items, company, factor)
        fapiao_vals, extra = self._key_account_share_tax(groups, tax_cents, factor)
        request_vals = {
            "name": self._key_account_next_names(company, REQUEST_SEQUENCE_CODE, 1)[0],
            "company_id": company.id,
            "partner_id": partner.id,
            "statement_id": statement.id if statement else False,
            "invoice_ids": [fields.Command.set(moves.ids)],
            "fapiao_type": fapiao_type,
            "currency_id": moves.currency_id.id,
            "note": note or False,
            "amount_untaxed": sum(v["amount_untaxed"] for v in fapiao_vals),
            "amount_tax": sum(v["amount_tax"] for v in fapiao_vals),
            "amount_total": sum(v["amount_total"] for v in fapiao_vals),
            **buyer,
        }
        request = (
            self.sudo()
            .with_context(mail_create_nolog=True, tracking_disable=True)
            .create(request_vals)
        )
        serials = self._key_account_next_names(
            company, SERIAL_SEQUENCE_CODE, len(fapiao_vals)
        )
        fapiao = (
            self.env["key.account.fapiao"]
            .sudo()
            .create(
                [
                    {
                        "request_id": request.id,
                        "sequence": index,
                        "serial": serials[index - 1],
                        "amount_untaxed": vals["amount_untaxed"],
                        "amount_tax": vals["amount_tax"],
                        "amount_total": vals["amount_total"],
                    }
                    for index, vals in enumerate(fapiao_vals, start=1)
                ]
            )
        )
        self.env["key.account.fapiao.line"]._key_account_insert(
            [
                dict(line, fapiao_id=record.id, company_id=company.id)
                for record, vals in zip(fapiao, fapiao_vals, strict=True)
                for line in vals["lines"]
            ]
        )
        request = request.with_env(self.env)
        body = Markup("<p>%s</p>") % self.env._(
            "Fapiao request built from %(count)s invoices: %(fapiao)s fapiao.",
            count=len(moves),
            fapiao=len(fapiao),
        )
        if extra:
            body += Markup("<p>%s</p>") % self.env._(
                "%(extra)s of these fapiao only keep each fapiao's tax within "
                "0.06 of the tax on its total: the invoices' taxes were rounded "
                "per line. Round Globally (Accounting settings) avoids that.",
                extra=extra,
            )
        request._log(body)
        return request

    @api.model
    def _key_account_check_moves(self, moves):
        """Posted customer invoices of one company, customer and currency,
        not on an active request; credit notes only reversing one of them."""
        if not moves:
            raise UserError(self.env._("Select the posted customer invoices first."))
        wrong = moves.filtered(
            lambda m: m.move_type not in ("out_invoice", "out_refund")
        )
        if wrong:
            raise UserError(
                self.env._(
                    "Only customer invoices and credit notes go on a fapiao "
                    "request, not %(moves)s.",
                    moves=", ".join(wrong.mapped("display_name")),
                )
            )
        unposted = moves.filtered(lambda m: m.state != "posted")
        if unposted:
            raise UserError(
                self.env._(
                    "These invoices are not posted: %(moves)s. Post them (or leave "
                    "them out) and request the fapiao again.",
                    moves=", ".join(unposted.mapped("display_name")),
                )
            )
        for fname, label in (
            ("company_id", self.env._("companies")),
            ("commercial_partner_id", self.env._("customers")),
            ("currency_id", self.env._("currencies")),
        ):
            if len(moves[fname]) > 1:
                raise UserError(
                    self.env._(
                        "A fapiao request is for one seller, one customer and one "
                        "currency: these invoices mix %(what)s (%(values)s). "
                        "Request a fapiao for each separately.",
                        what=label,
                        values=", ".join(moves[fname].mapped("display_name")),
                    )
                )
        invoices = moves.filtered(lambda m: m.move_type == "out_invoice")
        refunds = moves - invoices
        alone = refunds.filtered(lambda m: m.reversed_entry_id not in invoices)
        if alone:
            raise UserError(
                self.env._(
                    "Credit notes %(moves)s do not reverse an invoice of this "
                    "request: a credit note against an invoice already on a "
                    "fapiao is issued as a red fapiao (红字发票) from the fapiao "
                    "it reverses. Leave them out of this request.",
                    moves=", ".join(alone.mapped("display_name")),
                )
            )
        active = self.sudo().search(
            [("invoice_ids", "in", moves.ids), ("state", "not in", RELEASED_STATES)]
        )
        if active:
            taken = moves & active.invoice_ids
            raise UserError(
                self.env._(
                    "These invoices are already on fapiao request %(requests)s: "
                    "%(moves)s. Leave them out, or have an accounting manager void "
                    "that request first.",
                    requests=", ".join(active.mapped("name")),
                    moves=", ".join(taken.mapped("display_name")),
                )
            )

    @api.model
    def _key_account_lock_moves(self, moves):
        """Two users requesting the same invoice at once: touching the rows
        makes the second transaction fail to serialise (and retry, then see
        the first request) instead of both succeeding."""
        self.env["account.move"].flush_model(["write_date"])
        self.env.cr.execute(
            "UPDATE account_move SET write_date = write_date WHERE id IN %s",
            (tuple(moves.ids),),
        )

    @api.model
    def _key_account_buyer_values(self, partner, fapiao_type):
        if fapiao_type == "vat_special" and not partner.vat:
            raise UserError(
                self.env._(
                    "A VAT special invoice needs the buyer's tax number: customer "
                    "%(partner)s has none. Set it (Tax ID) or request an ordinary "
                    "fapiao.",
                    partner=partner.display_name,
                )
            )
        address = " ".join(
            part
            for part in (
                partner.state_id.name,
                partner.city,
                partner.street,
                partner.street2,
            )
            if part
        )
        bank = partner.bank_ids[:1]
        phone = partner.phone or ""
        return {
            "buyer_title": partner.key_account_invoice_title or partner.name,
            "buyer_tax_id": partner.vat or False,
            "buyer_address": address or False,
            "buyer_phone": phone or False,
            "buyer_bank": bank.bank_id.name or False,
            "buyer_account": bank.acc_number or False,
            "buyer_address_phone": " ".join(p for p in (address, phone) if p) or False,
            "buyer_bank_account": " ".join(
                p for p in (bank.bank_id.name, bank.acc_number) if p
            )
            or False,
        }

    @api.model
    def _key_account_line_rate(self, line):
        """The VAT rate (0.13 for 13 %) of an invoice line: one percent tax,
        or none (rate 0)."""
        taxes = line.tax_ids
        if len(taxes) > 1 or (taxes and taxes.amount_type != "percent"):
            raise UserError(
                self.env._(
                    "Line %(line)s of invoice %(move)s has taxes %(taxes)s: a "
                    "fapiao line carries one VAT rate. Give the line one "
                    "percentage tax.",
                    line=line.name or line.product_id.display_name,
                    move=line.move_id.name,
                    taxes=", ".join(taxes.mapped("name")),
                )
            )
        return round(taxes.amount / 100.0, 4) if taxes else 0.0

    @api.model
    def _key_account_items(self, moves):
        """The fapiao items of ``moves`` in invoice order (a goods line with
        its discount), amounts in cents, credit notes netted; and the
        invoices' tax per rate in cents."""
        factor = 10**moves.currency_id.decimal_places
        moves = moves.sorted(lambda m: (m.invoice_date or m.date, m.name, m.id))
        lines = moves.invoice_line_ids
        lines.fetch(
            [
                "display_type",
                "move_id",
                "product_id",
                "name",
                "quantity",
                "price_subtotal",
                "discount",
                "tax_ids",
                "sequence",
            ]
        )
        lines = lines.filtered(lambda l: l.display_type == "product")
        no_product = lines.filtered(lambda l: not l.product_id)
        if no_product:
            raise UserError(
                self.env._(
                    "Lines without a product cannot go on a fapiao (it needs the "
                    "product's tax classification): %(lines)s. Give each a "
                    "product.",
                    lines=", ".join(
                        "%s: %s" % (line.move_id.name, line.name) for line in no_product
                    ),
                )
            )
        values = lines.product_id._key_account_check_fapiao_classification()
        tax_cents = {}
        all_lines = moves.line_ids
        all_lines.fetch(["display_type", "tax_line_id", "amount_currency"])
        for line in all_lines:
            if line.display_type == "tax":
                rate = round(line.tax_line_id.amount / 100.0, 4)
                tax_cents[rate] = tax_cents.get(rate, 0) + _cents(
                    -line.amount_currency, factor
                )
        by_move = lines.grouped("move_id")
        items = []
        move_items = {}
        for move in moves.filtered(lambda m: m.move_type == "out_invoice"):
            own = move_items[move.id] = []
            for line in by_move.get(move, lines.browse()).sorted(
                lambda l: (l.sequence, l.id)
            ):
                net = _cents(line.price_subtotal, factor)
                if not net:
                    continue
                rate = self._key_account_line_rate(line)
                if net < 0:
                    self._key_account_attach_discount(own, line, rate, -net)
                    continue
                discount = 0
                if 0 < line.discount < 100:
                    # the line before its discount, and the discount line
                    gross = _cents(
                        line.price_subtotal / (1 - line.discount / 100.0), factor
                    )
                    discount = max(gross - net, 0)
                item = {
                    "move_line_id": line.id,
                    "move": move,
                    "product_id": line.product_id.id,
                    "values": values[line.product_id.id],
                    "rate": rate,
                    "quantity": line.quantity,
                    "net": net,
                    "discount": discount,
                }
                own.append(item)
                items.append(item)
        for refund in moves.filtered(lambda m: m.move_type == "out_refund"):
            for line in by_move.get(refund, lines.browse()):
                self._key_account_net_credit(
                    move_items[refund.reversed_entry_id.id], line, factor
                )
        items = [item for item in items if item["net"]]
        self._key_account_check_totals(moves, items, factor)
        return items, tax_cents

    @api.model
    def _key_account_attach_discount(self, own, line, rate, amount):
        """A negative invoice line discounts the nearest line before it with
        the same tax rate (a fapiao discount line follows the line it
        discounts and carries its rate)."""
        for item in reversed(own):
            if item["rate"] == rate and item["net"] >= amount:
                item["net"] -= amount
                item["discount"] += amount
                return
        raise UserError(
            self.env._(
                "The negative line %(line)s of invoice %(move)s discounts no line "
                "before it with the same tax rate and at least its amount: a "
                "fapiao discount line follows the line it discounts. Put it after "
                "that line (or credit it with a credit note).",
                line=line.name or line.product_id.display_name,
                move=line.move_id.name,
            )
        )

    @api.model
    def _key_account_net_credit(self, own, line, factor):
        """Net a credit note line from the lines of the invoice it reverses
        (same product and tax rate): each item concerned is scaled down."""
        amount = _cents(line.price_subtotal, factor)
        rate = self._key_account_line_rate(line)
        for item in own:
            if amount <= 0:
                break
            if item["product_id"] != line.product_id.id or item["rate"] != rate:
                continue
            take = min(amount, item["net"])
            if not take:
                continue
            ratio = (item["net"] - take) / item["net"]
            item["quantity"] = item["quantity"] * ratio
            item["discount"] = int(float_round(item["discount"] * ratio, 0))
            item["net"] -= take
            amount -= take
        if amount:
            raise UserError(
                self.env._(
                    "Credit note %(refund)s credits %(product)s beyond what invoice "
                    "%(move)s invoiced of it at that tax rate: it cannot be netted "
                    "on this request. Issue a red fapiao for it instead.",
                    refund=line.move_id.name,
                    product=line.product_id.display_name,
                    move=line.move_id.reversed_entry_id.name,
                )
            )

    @api.model
    def _key_account_check_totals(self, moves, items, factor):
        expected = sum(
            _cents(m.amount_untaxed, factor)
            * (1 if m.move_type == "out_invoice" else -1)
            for m in moves
        )
        if sum(item["net"] for item in items) != expected:
            raise UserError(
                self.env._(
                    "The product lines of these invoices do not add up to their "
                    "untaxed amounts (%(moves)s): check their lines.",
                    moves=", ".join(moves.mapped("name")),
                )
            )

    @api.model
    def _key_account_split(self, items, company, factor):
        """Lists of pieces, one per fapiao: per tax rate when the company says
        so, at most the line limit (a discount line counts) and the amount
        limit (untaxed) each. A goods line and its discount stay together; a
        line above the amount limit alone is split in equal parts."""
        line_limit = company.key_account_fapiao_line_limit or 2000
        amount_limit = _cents(company.key_account_fapiao_amount_limit, factor)
        if company.key_account_fapiao_split_tax_rate:
            by_rate = {}
            for item in items:
                by_rate.setdefault(item["rate"], []).append(item)
            streams = list(by_rate.values())
        else:
            streams = [items]
        groups = []
        for stream in streams:
            current, lines, amount = [], 0, 0
            for item in stream:
                for piece in self._key_account_pieces(item, amount_limit):
                    size = 2 if piece["discount"] else 1
                    if current and (
                        lines + size > line_limit
                        or (amount_limit and amount + piece["net"] > amount_limit)
                    ):
                        groups.append(current)
                        current, lines, amount = [], 0, 0
                    current.append(piece)
                    lines += size
                    amount += piece["net"]
            if current:
                groups.append(current)
        return groups

    @api.model
    def _key_account_share_tax(self, groups, tax_cents, factor):
        """Share the invoices' tax over the fapiao of ``groups``. Where the
        invoices' tax (rounded per line) is further from the tax on their
        totals than 0.06 per fapiao allows, the largest fapiao are halved (at
        most doubling their number) before the request is refused. Returns
        (fapiao values, number of fapiao added)."""
        base = len(groups)
        while True:
            try:
                return (
                    self._key_account_distribute_tax(groups, tax_cents, factor),
                    len(groups) - base,
                )
            except TaxShortfall as shortfall:
                largest = max(range(len(groups)), key=lambda i: len(groups[i]))
                group = groups[largest]
                if len(groups) >= 2 * base or len(group) < 2:
                    raise UserError(str(shortfall)) from None
                middle = len(group) // 2
                groups[largest : largest + 1] = [group[:middle], group[middle:]]

    @api.model
    def _key_account_pieces(self, item, amount_limit):
        if not amount_limit or item["net"] <= amount_limit:
            return [item]
        count = -(-item["net"] // amount_limit)
        pieces = []
        net_left, discount_left, quantity_left = (
            item["net"],
            item["discount"],
            item["quantity"],
        )
        for index in range(count):
            if index == count - 1:
                net, discount = net_left, discount_left
                quantity = round(quantity_left, 6)
            else:
                net = item["net"] // count
                discount = item["discount"] * net // item["net"]
                quantity = round(item["quantity"] * net / item["net"], 6)
            pieces.append(
                dict(item, net=net, discount=discount, quantity=quantity, piece=index)
            )
            net_left -= net
            discount_left -= discount
            quantity_left -= quantity
        return pieces

    @api.model
    def _key_account_distribute_tax(self, groups, tax_cents, factor):
        """The values of each fapiao with its lines: the invoices' tax of each
        rate shared over the fapiao so that each fapiao's line taxes differ
        from the tax on its totals by at most 0.06 (else a UserError)."""
        rates = sorted({piece["rate"] for group in groups for piece in group})
        unknown = set(tax_cents) - set(rates)
        if any(tax_cents[rate] for rate in unknown):
            raise UserError(
                self.env._(
                    "These invoices carry tax at rates none of their product lines "
                    "has (%(rates)s): check their taxes.",
                    rates=", ".join(map(_percent, sorted(unknown))),
                )
            )
        untaxed = [{} for _group in groups]
        for index, group in enumerate(groups):
            for piece in group:
                rate = piece["rate"]
                untaxed[index][rate] = untaxed[index].get(rate, 0) + piece["net"]
        target = [
            {rate: int(float_round(u * rate, 0)) for rate, u in amounts.items()}
            for amounts in untaxed
        ]
        deviation = [0] * len(groups)
        shares = [dict(t) for t in target]
        for rate in rates:
            rest = tax_cents.get(rate, 0) - sum(t.get(rate, 0) for t in target)
            step = 1 if rest > 0 else -1
            holders = sorted(
                (i for i in range(len(groups)) if rate in untaxed[i]),
                key=lambda i: -untaxed[i][rate],
            )
            while rest:
                room = [
                    i
                    for i in holders
                    if abs(deviation[i] + step) <= TAX_TOLERANCE_CENTS
                ]
                if not room:
                    raise TaxShortfall(
                        self.env._(
                            "The tax of these invoices at %(rate)s differs from the "
                            "tax on their total by more than the tax bureau's 0.06 "
                            "per fapiao (their taxes were rounded per line). Set the "
                            "tax rounding to Round Globally (Accounting settings) "
                            "for new invoices, or request fewer invoices at once.",
                            rate=_percent(rate),
                        )
                    )
                index = room[0]
                shares[index][rate] += step
                deviation[index] += step
                rest -= step
        result = []
        for index, group in enumerate(groups):
            taxes = self._key_account_piece_taxes(group, shares[index])
            lines = []
            for piece, tax in zip(group, taxes, strict=True):
                lines.extend(self._key_account_line_vals(piece, tax, factor))
            for sequence, line in enumerate(lines, start=1):
                line["sequence"] = sequence
            untaxed_total = sum(untaxed[index].values())
            tax_total = sum(shares[index].values())
            result.append(
                {
                    "amount_untaxed": untaxed_total / factor,
                    "amount_tax": tax_total / factor,
                    "amount_total": (untaxed_total + tax_total) / factor,
                    "lines": lines,
                }
            )
        return result

    @api.model
    def _key_account_piece_taxes(self, group, shares):
        """The tax of each piece (cents): its net times its rate, rounded, the
        rest of its rate's share given by largest remainder."""
        exact = [piece["net"] * piece["rate"] for piece in group]
        taxes = [int(float_round(value, 0)) for value in exact]
        for rate, share in shares.items():
            members = [i for i, piece in enumerate(group) if piece["rate"] == rate]
            rest = share - sum(taxes[i] for i in members)
            step = 1 if rest > 0 else -1
            order = sorted(members, key=lambda i: (taxes[i] - exact[i]) * step)
            position = 0
            while rest:
                taxes[order[position % len(order)]] += step
                rest -= step
                position += 1
        return taxes

    @api.model
    def _key_account_line_vals(self, piece, tax, factor):
        """The fapiao line of a piece, and its discount line right after."""
        values = piece["values"]
        rate = piece["rate"]
        gross = piece["net"] + piece["discount"]
        # the discount line's tax is its amount times the rate, as the tax
        # system computes it from a discount amount; the goods line takes the
        # rest of the piece's tax
        discount_tax = int(float_round(piece["discount"] * rate, 0))
        gross_tax = tax + discount_tax
        quantity = piece["quantity"]
        common = {
            "move_line_id": piece["move_line_id"],
            "move_id": piece["move"].id,
            "product_id": piece["product_id"],
            "tax_code": values["tax_code"],
            "item_name": values["item_name"],
            "uom_name": values["uom_name"],
            "tax_rate": rate,
            "preferential": values["preferential"],
            "preferential_note": values["preferential_note"],
        }
        lines = [
            dict(
                common,
                quantity=quantity,
                price_unit=(gross / factor) / quantity if quantity else 0.0,
                amount_untaxed=gross / factor,
                amount_tax=gross_tax / factor,
            )
        ]
        if piece["discount"]:
            lines.append(
                dict(
                    common,
                    is_discount=True,
                    quantity=0.0,
                    price_unit=0.0,
                    amount_untaxed=-piece["discount"] / factor,
                    amount_tax=-discount_tax / factor,
                )
            )
        return lines

    @api.model
    def _key_account_next_names(self, company, code, count):
        if not count:
            return []
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [("code", "=", code), ("company_id", "in", [company.id, False])],
                order="company_id",
                limit=1,
            )
        )
        if not sequence:
            raise UserError(
                self.env._(
                    "The sequence %(code)s is missing: update the module Key Account "
                    "Settlement.",
                    code=code,
                )
            )
        return sequence.with_company(company)._key_account_next_batch(count)

    # ------------------------------------------------------------------
    # Export, re-export, void
    # ------------------------------------------------------------------
    def _key_account_export_data(self):
        """The request as the formats read it: a list of fapiao dicts, each
        with its ``lines`` (a goods line carries the amount of the discount
        line after it as ``discount_amount``)."""
        self.ensure_one()
        fapiao = self.fapiao_ids.filtered(lambda f: f.state != "voided")
        lines = fapiao.line_ids
        lines.fetch(
            [
                "fapiao_id",
                "sequence",
                "is_discount",
                "tax_code",
                "item_name",
                "uom_name",
                "quantity",
                "price_unit",
                "tax_rate",
                "amount_untaxed",
                "amount_tax",
                "preferential",
                "preferential_note",
            ]
        )
        by_fapiao = lines.grouped("fapiao_id")
        remark = "\n".join(part for part in (self.note, self.statement_id.name) if part)
        data = []
        for record in fapiao:
            rows = []
            for line in by_fapiao.get(record, lines.browse()):
                row = {
                    "serial": record.serial,
                    "is_discount": line.is_discount,
                    "item_name": line.item_name,
                    "tax_code": line.tax_code,
                    "spec": "",
                    "uom_name": line.uom_name or "",
                    "quantity": line.quantity,
                    "price_unit": line.price_unit,
                    "amount_untaxed": line.amount_untaxed,
                    "tax_rate": line.tax_rate,
                    "amount_tax": line.amount_tax,
                    "discount_amount": 0.0,
                    "preferential": line.preferential,
                    "preferential_note": line.preferential_note or "",
                }
                if line.is_discount and rows:
                    rows[-1]["discount_amount"] = -line.amount_untaxed
                    rows[-1]["discount_tax"] = -line.amount_tax
                rows.append(row)
            data.append(
                {
                    "serial": record.serial,
                    "kind": record.kind,
                    "fapiao_type": self.fapiao_type,
                    "buyer_title": self.buyer_title or "",
                    "buyer_tax_id": self.buyer_tax_id or "",
                    "buyer_address": self.buyer_address or "",
                    "buyer_phone": self.buyer_phone or "",
                    "buyer_bank": self.buyer_bank or "",
                    "buyer_account": self.buyer_account or "",
                    "buyer_address_phone": self.buyer_address_phone or "",
                    "buyer_bank_account": self.buyer_bank_account or "",
                    "remark": remark,
                    "origin_fapiao_number": record.origin_fapiao_id.fapiao_number or "",
                    "red_confirmation_number": record.red_confirmation_number or "",
                    "amount_untaxed": record.amount_untaxed,
                    "amount_tax": record.amount_tax,
                    "amount_total": record.amount_total,
                    "lines": rows,
                }
            )
        return data

    def _key_account_render(self, fmt=None):
        self.ensure_one()
        fmt = fmt or self.company_id.key_account_fapiao_format or "sdp_xlsx"
        content, extension, mimetype = FORMATS[fmt].render(
            self._key_account_export_data()
        )
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{self.name.replace('/', '-')}-{self.export_count + 1}"
                    f".{extension}",
                    "raw": content,
                    "mimetype": mimetype,
                    "res_model": self._name,
                    "res_id": self.id,
                    "company_id": self.company_id.id,
                }
            )
        )
        return fmt, attachment

    def _key_account_write_export(self, fmt, attachment):
        self._key_account_write_guarded(
            {
                "state": "exported",
                "export_count": self.export_count + 1,
                "export_format": fmt,
                "export_attachment_id": attachment.id,
                "export_date": fields.Datetime.now(),
            }
        )
        self.fapiao_ids.filtered(
            lambda f: f.state == "draft"
        )._key_account_write_guarded({"state": "exported"})

    def _key_account_download(self, attachment):
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    def action_export(self, fmt=None):
        """Export the request for issuing, once: the file is attached to the
        request. A second export is a manager's Re-export."""
        self.ensure_one()
        self._key_account_check_invoicing_user(self.env._("Export"))
        if self.state == "exported":
            raise UserError(
                self.env._(
                    "Fapiao request %(request)s was exported on %(date)s: exporting "
                    "it again could issue its fapiao twice. An accounting manager "
                    "can re-export it (Re-export), which is logged.",
                    request=self.name,
                    date=self.export_date,
                )
            )
        self._key_account_check_state(("draft",), self.env._("Export"))
        fmt, attachment = self._key_account_render(fmt)
        self._key_account_write_export(fmt, attachment)
        self._message_log(
            body=self.env._("Exported for issuing (%(file)s).", file=attachment.name),
            attachment_ids=attachment.ids,
        )
        return self._key_account_download(attachment)

    def action_reexport(self, fmt=None):
        """A manager exports an exported request again (the file was lost, the
        upload failed): logged in the chatter with the export number."""
        self.ensure_one()
        self._key_account_check_account_manager(self.env._("Re-export"))
        self._key_account_check_state(("exported",), self.env._("Re-export"))
        fmt, attachment = self._key_account_render(fmt)
        self._key_account_write_export(fmt, attachment)
        self._message_log(
            body=self.env._(
                "Re-exported by %(user)s (export %(count)s, %(file)s): make sure "
                "the fapiao of the earlier file were not issued already.",
                user=self.env.user.name,
                count=self.export_count,
                file=attachment.name,
            ),
            attachment_ids=attachment.ids,
        )
        return self._key_account_download(attachment)

    def action_void(self):
        """A manager voids requests not issued: their fapiao are voided and
        their invoices released, to be requested again."""
        self._key_account_check_account_manager(self.env._("Voiding"))
        self._key_account_check_state(
            ("to_approve", "draft", "exported"), self.env._("Voiding")
        )
        issued = self.fapiao_ids.filtered(
            lambda f: f.state in ("issued", "red_reversed")
        )
        if issued:
            raise UserError(issued[0]._key_account_issued_error())
        self.fapiao_ids._key_account_write_guarded({"state": "voided"})
        self._key_account_write_guarded({"state": "cancelled"})
        self._log(
            Markup("<p>%s</p>")
            % self.env._(
                "Voided by %(user)s: the invoices can be requested again.",
                user=self.env.user.name,
            )
        )
        return True

    def action_open_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.invoice_ids.ids)]
        action["context"] = {"create": False}
        return action


class KeyAccountFapiao(models.Model):
    """One fapiao (发票) of a request: a blue fapiao, or a red one reversing
    an issued fapiao for a credit note."""

    _name = "key.account.fapiao"
    _description = "Fapiao"
    _inherit = "key.account.guard.mixin"
    _order = "request_id desc, sequence, id"
    _check_company_auto = True
    _rec_name = "serial"

    request_id = fields.Many2one(
        comodel_name="key.account.fapiao.request",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        related="request_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="request_id.partner_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(
        related="request_id.currency_id", store=True, precompute=True
    )
    fapiao_type = fields.Selection(
        related="request_id.fapiao_type", store=True, precompute=True
    )
    sequence = fields.Integer(default=1, readonly=True)
    serial = fields.Char(
        string="Serial Number",
        required=True,
        copy=False,
        index=True,
        readonly=True,
        help="The number that joins the exported fapiao to the issued one (流水号).",
    )
    kind = fields.Selection(
        selection=[("blue", "Blue Fapiao"), ("red", "Red Fapiao")],
        default="blue",
        required=True,
        readonly=True,
    )
    origin_fapiao_id = fields.Many2one(
        comodel_name="key.account.fapiao",
        string="Reversed Fapiao",
        index=True,
        check_company=True,
        readonly=True,
    )
    red_confirmation_number = fields.Char(
        string="Red-Letter Confirmation Number", readonly=True
    )
    fapiao_number = fields.Char(copy=False, index=True, readonly=True)
    fapiao_code = fields.Char(copy=False, readonly=True)
    issue_date = fields.Date(copy=False, readonly=True)
    amount_untaxed = fields.Monetary(currency_field="currency_id", readonly=True)
    amount_tax = fields.Monetary(currency_field="currency_id", readonly=True)
    amount_total = fields.Monetary(currency_field="currency_id", readonly=True)
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
        readonly=True,
    )
    line_ids = fields.One2many(
        comodel_name="key.account.fapiao.line",
        inverse_name="fapiao_id",
        string="Lines",
        readonly=True,
    )
    line_count = fields.Integer(compute="_compute_line_count")
    attachment_ids = fields.Many2many(
        comodel_name="ir.attachment",
        relation="key_account_fapiao_attachment_rel",
        column1="fapiao_id",
        column2="attachment_id",
        string="Files",
        copy=False,
        readonly=True,
    )

    _sql_constraints = (
        ("serial_uniq", "unique(company_id, serial)", "A fapiao serial is used once."),
        (
            "fapiao_number_uniq",
            "unique(company_id, fapiao_code, fapiao_number)",
            "A fapiao number is used once per seller.",
        ),
    )

    @api.depends("line_ids")
    def _compute_line_count(self):
        for record in self:
            record.line_count = len(record.line_ids)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Fapiao are created by their fapiao request: use Request Fapiao "
                    "on the invoices or on a confirmed statement."
                )
            )
        return super().create(vals_list)

    @api.model
    def _key_account_guarded_fields(self):
        return dict.fromkeys(self._fields, NOT_ON_CREATE)

    def _key_account_guard_error(self, names):
        return AccessError(
            self.env._(
                "%(fields)s of fapiao %(fapiao)s are set by its request and the "
                "import of issued fapiao, not written directly.",
                fields=self._key_account_field_labels(names),
                fapiao=", ".join(self.mapped("serial")),
            )
        )

    def _key_account_issued_error(self):
        self.ensure_one()
        return self.env._(
            "Fapiao %(fapiao)s (number %(number)s) has been issued: it is reversed "
            "with a red fapiao (红字发票), not voided.",
            fapiao=self.serial,
            number=self.fapiao_number or "",
        )

    def action_void(self):
        """A manager voids fapiao not issued: the invoices on them are
        released from the request (to be requested again). An invoice on
        several fapiao is released only with all of them: voiding some of
        them is refused, naming the others."""
        self.env["key.account.fapiao.request"]._key_account_check_account_manager(
            self.env._("Voiding")
        )
        for record in self:
            if record.state in ("issued", "red_reversed"):
                raise UserError(record._key_account_issued_error())
        self._key_account_check_state(("draft", "exported"), self.env._("Voiding"))
        moves = self.line_ids.move_id
        siblings = (
            self.request_id.fapiao_ids.filtered(lambda f: f.state != "voided") - self
        )
        shared = siblings.filtered(lambda f: f.line_ids.move_id & moves)
        if shared:
            raise UserError(
                self.env._(
                    "The invoices of fapiao %(fapiao)s are also on fapiao "
                    "%(others)s: void them together (or void the whole request).",
                    fapiao=", ".join(self.mapped("serial")),
                    others=", ".join(shared.mapped("serial")),
                )
            )
        self._key_account_write_guarded({"state": "voided"})
        for request in self.request_id:
            released = moves & request.invoice_ids
            # credit notes netted on a released invoice go with it
            released |= request.invoice_ids.filtered(
                lambda m, released=released: m.reversed_entry_id in released
            )
            vals = {"invoice_ids": [fields.Command.unlink(m.id) for m in released]}
            if all(f.state == "voided" for f in request.fapiao_ids):
                vals["state"] = "cancelled"
            request._key_account_write_guarded(vals)
            request._log(
                Markup("<p>%s</p>")
                % self.env._(
                    "Fapiao %(fapiao)s voided by %(user)s: invoices %(moves)s can "
                    "be requested again.",
                    fapiao=", ".join((self & request.fapiao_ids).mapped("serial")),
                    user=self.env.user.name,
                    moves=", ".join(released.mapped("name")),
                )
            )
        return True


class KeyAccountFapiaoLine(models.Model):
    """One goods line of a fapiao, from one invoice line (or a discount line
    right after the line it discounts)."""

    _name = "key.account.fapiao.line"
    _description = "Fapiao Line"
    _inherit = "key.account.guard.mixin"
    _order = "fapiao_id, sequence, id"

    fapiao_id = fields.Many2one(
        comodel_name="key.account.fapiao",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        related="fapiao_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="fapiao_id.currency_id")
    sequence = fields.Integer(default=1, readonly=True)
    move_line_id = fields.Many2one(
        comodel_name="account.move.line",
        string="Invoice Line",
        index=True,
        readonly=True,
    )
    move_id = fields.Many2one(
        related="move_line_id.move_id",
        store=True,
        index=True,
        precompute=True,
        string="Invoice",
    )
    product_id = fields.Many2one(
        comodel_name="product.product", readonly=True, index=True
    )
    is_discount = fields.Boolean(string="Discount Line", readonly=True)
    tax_code = fields.Char(string="Tax Classification Code", readonly=True)
    item_name = fields.Char(help="Printed as *short name*name.", readonly=True)
    uom_name = fields.Char(string="Unit", readonly=True)
    quantity = fields.Float(digits=(16, 6), readonly=True)
    price_unit = fields.Float(digits=(16, 8), readonly=True, help="Untaxed unit price.")
    tax_rate = fields.Float(digits=(16, 4), help="0.13 for 13 %.", readonly=True)
    amount_untaxed = fields.Monetary(currency_field="currency_id", readonly=True)
    amount_tax = fields.Monetary(currency_field="currency_id", readonly=True)
    preferential = fields.Boolean(string="Preferential Policy", readonly=True)
    preferential_note = fields.Char(string="Preferential Policy Type", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._("Fapiao lines are created by their fapiao request.")
            )
        return super().create(vals_list)

    @api.model
    def _key_account_guarded_fields(self):
        return dict.fromkeys(self._fields, NOT_ON_CREATE)

    @api.model
    def _key_account_insert(self, vals_list):
        """Insert the lines of new fapiao in one query, whatever their number
        (the ORM inserts 100 rows a query): the engine's own rows, plain
        values of the columns below, nothing computed."""
        if not vals_list:
            return
        columns = [
            "fapiao_id",
            "company_id",
            "sequence",
            "move_line_id",
            "move_id",
            "product_id",
            "is_discount",
            "tax_code",
            "item_name",
            "uom_name",
            "quantity",
            "price_unit",
            "tax_rate",
            "amount_untaxed",
            "amount_tax",
            "preferential",
            "preferential_note",
        ]
        self.flush_model()
        uid = self.env.uid
        now = fields.Datetime.now()
        rows = SQL(", ").join(
            SQL(
                "(%s)",
                SQL(", ").join(
                    [
                        *(SQL("%s", vals.get(name) or None) for name in columns[:6]),
                        SQL("%s", bool(vals.get("is_discount"))),
                        *(SQL("%s", vals.get(name) or None) for name in columns[7:10]),
                        *(SQL("%s", vals.get(name) or 0.0) for name in columns[10:15]),
                        SQL("%s", bool(vals.get("preferential"))),
                        SQL("%s", vals.get("preferential_note") or None),
                        SQL("%s, %s, %s, %s", uid, now, uid, now),
                    ]
                ),
            )
            for vals in vals_list
        )
        self.env.cr.execute(
            SQL(
                "INSERT INTO key_account_fapiao_line (%s, create_uid, create_date, "
                "write_uid, write_date) VALUES %s",
                SQL(", ").join(SQL.identifier(name) for name in columns),
                rows,
            )
        )
        self.env["key.account.fapiao"].invalidate_model(["line_ids", "line_count"])
