# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The fapiao state of every invoice (stored, computed in batch from the
fapiao lines and requests), the daily list of invoices due for fapiao, the
lock of invoices on an exported or issued fapiao, the red fapiao request of
a credit note."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

CUSTOMER_MOVE_TYPES = ("out_invoice", "out_refund")
FAPIAO_STATES = [
    ("not_needed", "Not Needed"),
    ("to_request", "To Request"),
    ("requested", "Requested"),
    ("exported", "Exported"),
    ("issued", "Issued"),
    ("red_reversed", "Red-Reversed"),
    ("voided", "Voided"),
]
DUE_DAYS_PARAM = "key_account_settlement.fapiao_due_days"
DEFAULT_DUE_DAYS = 7
FAPIAO_MOVE_FIELDS = frozenset(
    {"key_account_fapiao_state", "key_account_fapiao_numbers"}
)
LIVE_REQUEST_STATES = ("to_approve", "draft", "exported", "issued")


class AccountMove(models.Model):
    _inherit = "account.move"

    key_account_fapiao_line_ids = fields.One2many(
        comodel_name="key.account.fapiao.line",
        inverse_name="move_id",
        string="Fapiao Lines",
        readonly=True,
    )
    key_account_fapiao_request_ids = fields.Many2many(
        comodel_name="key.account.fapiao.request",
        relation="key_account_fapiao_request_move_rel",
        column1="move_id",
        column2="request_id",
        string="Fapiao Requests",
        readonly=True,
        copy=False,
    )
    key_account_fapiao_state = fields.Selection(
        selection=FAPIAO_STATES,
        string="Fapiao Status",
        compute="_compute_key_account_fapiao_state",
        store=True,
        index=True,
        copy=False,
        help="Where the customer's fapiao of this invoice stands: to request, "
        "requested, exported to the tax system, issued (with its numbers), "
        "red-reversed by a red fapiao, or voided (to request again).",
    )
    key_account_fapiao_numbers = fields.Char(
        string="Fapiao Numbers",
        compute="_compute_key_account_fapiao_state",
        store=True,
        copy=False,
        help="The numbers of the issued fapiao this invoice is on.",
    )
    key_account_fapiao_ids = fields.Many2many(
        comodel_name="key.account.fapiao",
        string="Fapiao",
        compute="_compute_key_account_fapiao_ids",
    )
    key_account_fapiao_count = fields.Integer(
        string="Fapiao Count", compute="_compute_key_account_fapiao_ids"
    )
    key_account_fapiao_due = fields.Boolean(
        string="Due for Fapiao",
        compute="_compute_key_account_fapiao_due",
        search="_search_key_account_fapiao_due",
        help="A posted customer invoice without fapiao, older than the days "
        "set in the system parameter key_account_settlement.fapiao_due_days "
        "(7 by default).",
    )

    @api.depends(
        "move_type",
        "state",
        "key_account_fapiao_line_ids.fapiao_id.state",
        "key_account_fapiao_line_ids.fapiao_id.fapiao_number",
        "key_account_fapiao_request_ids.state",
        "key_account_fapiao_request_ids.fapiao_ids",
    )
    def _compute_key_account_fapiao_state(self):
        for move in self:
            move.key_account_fapiao_state, move.key_account_fapiao_numbers = (
                move._key_account_fapiao_status()
            )

    def _key_account_fapiao_status(self):
        """(state, numbers) of this move, from the fapiao its lines are on
        (voided ones aside) and its requests (a request not built yet)."""
        self.ensure_one()
        if self.move_type not in CUSTOMER_MOVE_TYPES or self.state != "posted":
            return "not_needed", False
        fapiaos = self.key_account_fapiao_line_ids.fapiao_id
        live = fapiaos.filtered(lambda f: f.state != "voided")
        numbers = (
            ", ".join(
                sorted(
                    {
                        f.fapiao_number
                        for f in live
                        if f.fapiao_number and f.state != "draft"
                    }
                )
            )
            or False
        )
        states = set(live.mapped("state"))
        if states:
            if "draft" in states:
                return "requested", numbers
            if "exported" in states:
                return "exported", numbers
            if states == {"red_reversed"}:
                return "red_reversed", numbers
            return "issued", numbers
        if any(
            request.state == "to_approve"
            or (request.state == "draft" and not request.fapiao_ids)
            for request in self.key_account_fapiao_request_ids
        ):
            return "requested", False
        if fapiaos:
            return "voided", False
        return "to_request", False

    @api.depends("key_account_fapiao_line_ids.fapiao_id")
    def _compute_key_account_fapiao_ids(self):
        for move in self:
            move.key_account_fapiao_ids = move.key_account_fapiao_line_ids.fapiao_id
            move.key_account_fapiao_count = len(move.key_account_fapiao_ids)

    @api.model
    def _key_account_fapiao_due_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param(DUE_DAYS_PARAM)
        try:
            return max(int(value), 0) if value else DEFAULT_DUE_DAYS
        except ValueError:
            return DEFAULT_DUE_DAYS

    @api.model
    def _key_account_fapiao_due_domain(self):
        limit = fields.Date.context_today(self) - timedelta(
            days=self._key_account_fapiao_due_days()
        )
        return [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("key_account_fapiao_state", "in", ("to_request", "voided")),
            ("invoice_date", "<=", limit),
        ]

    def _compute_key_account_fapiao_due(self):
        due = self.filtered_domain(self._key_account_fapiao_due_domain())
        for move in self:
            move.key_account_fapiao_due = move in due

    def _search_key_account_fapiao_due(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search due invoices with = True or = False."))
        domain = self._key_account_fapiao_due_domain()
        if (operator == "=") == value:
            return domain
        return ["!", *["&"] * (len(domain) - 1), *domain]

    def write(self, vals):
        """The fapiao status and numbers follow the fapiao: nobody writes
        them (RPC reaches every field a view shows read-only)."""
        forged = FAPIAO_MOVE_FIELDS & set(vals)
        if forged and not self.env.su:
            raise AccessError(
                self.env._(
                    "%(fields)s of an invoice follow its fapiao and cannot be written "
                    "directly.",
                    fields=", ".join(
                        self._fields[name].get_description(self.env)["string"]
                        for name in sorted(forged)
                    ),
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Invoices on an exported or issued fapiao stay as they are
    # ------------------------------------------------------------------
    def _key_account_check_fapiao_lock(self, action):
        locked = self.key_account_fapiao_line_ids.fapiao_id.filtered(
            lambda f: f.state in ("exported", "issued")
        )
        if not locked:
            return
        fapiao = locked[0]
        move = (fapiao.line_ids.move_id & self)[:1]
        raise UserError(
            self.env._(
                "%(action)s %(invoice)s is refused: it is on fapiao %(fapiao)s "
                "(%(state)s) of request %(request)s. Reverse it with a credit note "
                "and a red fapiao instead.",
                action=action,
                invoice=move.display_name,
                fapiao=fapiao.fapiao_number or fapiao.serial,
                state=dict(fapiao._fields["state"]._description_selection(self.env))[
                    fapiao.state
                ],
                request=fapiao.request_id.display_name,
            )
        )

    def button_cancel(self):
        self._key_account_check_fapiao_lock(self.env._("Cancelling"))
        return super().button_cancel()

    def button_draft(self):
        self._key_account_check_fapiao_lock(self.env._("Resetting to draft"))
        return super().button_draft()

    # ------------------------------------------------------------------
    # The daily list
    # ------------------------------------------------------------------
    @api.model
    def _cron_key_account_fapiao_due(self):
        """Once a day, one to-do per company for the invoicing team: how many
        posted customer invoices wait for a fapiao request, on the oldest
        of them (updated, not repeated, while it stays open)."""
        activity_type = self.env.ref(
            "key_account_settlement.mail_activity_type_fapiao_due",
            raise_if_not_found=False,
        )
        if not activity_type:
            return
        Move = self.sudo()
        groups = Move._read_group(
            self._key_account_fapiao_due_domain(),
            ["company_id"],
            ["__count", "id:min"],
        )
        Activity = self.env["mail.activity"].sudo()
        open_activities = Activity.search(
            [
                ("activity_type_id", "=", activity_type.id),
                ("res_model", "=", self._name),
            ]
        )
        by_company = {
            Move.browse(activity.res_id).company_id: activity
            for activity in open_activities
        }
        model = self.env["ir.model"]._get_id(self._name)
        for company, count, oldest_id in groups:
            summary = self.env._("%(count)s invoices due for fapiao", count=count)
            activity = by_company.get(company)
            if activity:
                activity.write({"summary": summary})
                continue
            oldest = Move.browse(oldest_id)
            Activity.create(
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": model,
                    "res_id": oldest.id,
                    "summary": summary,
                    "user_id": (oldest.invoice_user_id or self.env.user).id,
                    "date_deadline": fields.Date.context_today(self),
                }
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_key_account_fapiao(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Fapiao"),
            "res_model": "key.account.fapiao",
            "view_mode": "list,form",
            "domain": [("id", "in", self.key_account_fapiao_ids.ids)],
            "context": {"create": False},
        }

    def action_key_account_red_fapiao(self):
        """Open the red fapiao wizard for this credit note."""
        self.ensure_one()
        self._key_account_check_red_fapiao_user()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Red Fapiao Request"),
            "res_model": "key.account.fapiao.red.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_move_id": self.id},
        }

    # ------------------------------------------------------------------
    # Red fapiao
    # ------------------------------------------------------------------
    @api.model
    def _key_account_check_red_fapiao_user(self):
        if not (
            self.env.su or self.env.user.has_group("account.group_account_invoice")
        ):
            raise AccessError(self.env._("Only invoicing users request a red fapiao."))

    def _key_account_red_fapiao_origins(self):
        """The issued blue fapiao this credit note may reverse: those of the
        invoice it reverses, else those of its customer."""
        self.ensure_one()
        Fapiao = self.env["key.account.fapiao"].sudo()
        origins = self.reversed_entry_id.key_account_fapiao_line_ids.fapiao_id.filtered(
            lambda f: f.kind == "blue" and f.state == "issued"
        )
        if origins:
            return origins
        return Fapiao.search(
            [
                ("company_id", "=", self.company_id.id),
                ("partner_id", "=", self.commercial_partner_id.id),
                ("kind", "=", "blue"),
                ("state", "=", "issued"),
            ]
        )

    def _key_account_red_fapiao_request(
        self, origin_fapiao=None, confirmation_number=None
    ):
        """The red fapiao request (红字发票) of this posted credit note against
        the issued fapiao ``origin_fapiao`` (default: the only issued fapiao
        of the invoice it reverses). Its lines are the credit note's,
        negative; it never reverses more than the fapiao was issued for,
        earlier red fapiao included."""
        self.ensure_one()
        self._key_account_check_red_fapiao_user()
        _ = self.env._
        if self.move_type != "out_refund" or self.state != "posted":
            raise UserError(
                _(
                    "%(move)s is no posted credit note: a red fapiao reverses a "
                    "credit note.",
                    move=self.display_name,
                )
            )
        live = self.key_account_fapiao_request_ids.filtered(
            lambda r: r.state in LIVE_REQUEST_STATES
        )
        if live:
            raise UserError(
                _(
                    "Credit note %(move)s is already on fapiao request %(request)s.",
                    move=self.display_name,
                    request=live[0].display_name,
                )
            )
        origins = self._key_account_red_fapiao_origins()
        if origin_fapiao:
            origin_fapiao = origin_fapiao.sudo()
            if origin_fapiao not in origins:
                raise UserError(
                    _(
                        "Fapiao %(fapiao)s is no issued fapiao of %(customer)s that "
                        "credit note %(move)s can reverse.",
                        fapiao=origin_fapiao.fapiao_number or origin_fapiao.serial,
                        customer=self.commercial_partner_id.display_name,
                        move=self.display_name,
                    )
                )
        elif len(origins) == 1:
            origin_fapiao = origins
        else:
            raise UserError(
                _(
                    "Choose the issued fapiao credit note %(move)s reverses "
                    "(%(count)s candidates).",
                    move=self.display_name,
                    count=len(origins),
                )
            )
        confirmation_number = (confirmation_number or "").strip() or False
        origin_fapiao._check_red_confirmation_number(
            origin_fapiao.fapiao_type, confirmation_number
        )
        line_vals = self._key_account_red_fapiao_line_vals(origin_fapiao)
        untaxed = sum(vals["amount_untaxed"] for vals in line_vals)
        tax = sum(vals["amount_tax"] for vals in line_vals)
        remaining = origin_fapiao._red_remaining_amount()
        rounding = origin_fapiao.currency_id.rounding or 0.01
        if float_compare(-(untaxed + tax), remaining, precision_rounding=rounding) > 0:
            raise UserError(
                _(
                    "Credit note %(move)s (%(amount)s) reverses more than what is left "
                    "of fapiao %(fapiao)s: issued for %(issued)s, %(left)s left after "
                    "its earlier red fapiao.",
                    move=self.display_name,
                    amount=format(-(untaxed + tax), ".2f"),
                    fapiao=origin_fapiao.fapiao_number,
                    issued=format(origin_fapiao.amount_total, ".2f"),
                    left=format(remaining, ".2f"),
                )
            )
        origin_request = origin_fapiao.request_id
        Request = self.env["key.account.fapiao.request"].sudo()
        request = Request.with_context(mail_create_nolog=True).create(
            {
                "name": Request._key_account_next_names(
                    self.company_id, "key.account.fapiao.request", 1
                )[0],
                "company_id": self.company_id.id,
                "partner_id": origin_request.partner_id.id,
                "fapiao_type": origin_fapiao.fapiao_type,
                "buyer_title": origin_request.buyer_title,
                "buyer_tax_id": origin_request.buyer_tax_id,
                "buyer_address_phone": origin_request.buyer_address_phone,
                "buyer_bank_account": origin_request.buyer_bank_account,
                "buyer_address": origin_request.buyer_address,
                "buyer_phone": origin_request.buyer_phone,
                "buyer_bank": origin_request.buyer_bank,
                "buyer_account": origin_request.buyer_account,
                "currency_id": origin_fapiao.currency_id.id,
                "invoice_ids": [fields.Command.link(self.id)],
                "origin_fapiao_id": origin_fapiao.id,
                "red_confirmation_number": confirmation_number,
                "amount_untaxed": untaxed,
                "amount_tax": tax,
                "amount_total": untaxed + tax,
            }
        )
        self.env["key.account.fapiao"].sudo().create(
            {
                "request_id": request.id,
                "serial": self._key_account_red_fapiao_serial(request),
                "kind": "red",
                "origin_fapiao_id": origin_fapiao.id,
                "red_confirmation_number": confirmation_number,
                "amount_untaxed": untaxed,
                "amount_tax": tax,
                "amount_total": untaxed + tax,
                "line_ids": [fields.Command.create(vals) for vals in line_vals],
            }
        )
        request = request.with_env(self.env)
        request.message_post(
            body=_(
                "Red fapiao request for credit note %(move)s, reversing fapiao "
                "%(fapiao)s.",
                move=self.display_name,
                fapiao=origin_fapiao.fapiao_number,
            )
        )
        return request.with_env(self.env)

    def _key_account_red_fapiao_serial(self, request):
        return request._key_account_next_names(
            request.company_id, "key.account.fapiao", 1
        )[0]

    def _key_account_red_fapiao_line_vals(self, origin_fapiao):
        """The negative lines of the red fapiao of this credit note: its
        product lines, named and coded as on the fapiao they reverse."""
        self.ensure_one()
        origin_lines = {
            line.move_line_id.product_id: line
            for line in origin_fapiao.line_ids
            if line.move_line_id.product_id
        }
        vals_list = []
        for sequence, line in enumerate(
            self.invoice_line_ids.filtered(lambda l: l.display_type == "product"),
            start=1,
        ):
            origin = origin_lines.get(line.product_id)
            rate = sum(
                tax.amount / 100 for tax in line.tax_ids if tax.amount_type == "percent"
            )
            vals_list.append(
                {
                    "sequence": sequence,
                    "move_line_id": line.id,
                    "tax_code": origin.tax_code if origin else False,
                    "item_name": origin.item_name if origin else line.name,
                    "uom_name": origin.uom_name if origin else line.product_uom_id.name,
                    "quantity": -line.quantity,
                    "price_unit": line.price_unit,
                    "tax_rate": origin.tax_rate if origin else rate,
                    "amount_untaxed": -line.price_subtotal,
                    "amount_tax": -(line.price_total - line.price_subtotal),
                    "preferential": origin.preferential if origin else False,
                }
            )
        return vals_list
