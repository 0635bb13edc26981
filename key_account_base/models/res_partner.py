# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import unicodedata
from collections import defaultdict

from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import changed_fields

KEY_ACCOUNT_SEQUENCE_CODE = "key_account.customer_code"
# Data a reviewer checked (besides the credit code, normalised on its own):
# once submitted, only a Key Account Manager changes it.
REVIEWED_FIELDS = (
    "name",
    "vat",
    "key_account_legal_representative",
    "key_account_invoice_type",
    "key_account_invoice_title",
    "company_id",
    "key_account_code",
)
# Fields of a reviewed key account's invoice address (its child contact of
# type "invoice") that only a Key Account Manager changes.
INVOICE_ADDRESS_FIELDS = frozenset(
    (
        "name",
        "type",
        "parent_id",
        "active",
        "street",
        "street2",
        "zip",
        "city",
        "state_id",
        "country_id",
        "email",
        "phone",
    )
)


class ResPartner(models.Model):
    _inherit = "res.partner"
    # base's list plus the customer code: "KA00001" finds the key account in
    # every partner field (sale orders, contracts, ...)
    _rec_names_search = (
        "complete_name",
        "email",
        "ref",
        "vat",
        "company_registry",
        "key_account_code",
    )

    # Identity
    is_key_account = fields.Boolean(
        string="Key Account",
        index=True,
        copy=False,
        tracking=True,
        help="Enterprise customer managed by the key-account team.",
    )
    key_account_code = fields.Char(
        string="Customer Code",
        copy=False,
        readonly=True,
        tracking=True,
        # indexed by the unique index on (code, company), see init()
        help="Key-account customer code, given by a sequence and unique per company.",
    )
    key_account_type = fields.Selection(
        selection=[
            ("enterprise", "Enterprise"),
            ("state_owned", "State-owned Enterprise"),
            ("government", "Government Agency"),
            ("institution", "Public Institution"),
            ("other", "Other"),
        ],
        string="Customer Type",
        tracking=True,
    )
    key_account_source = fields.Selection(
        selection=[
            ("self_registered", "Self-registered"),
            ("sales_entered", "Entered by Sales"),
            ("referral", "Referral"),
            ("tender", "Tender"),
            ("other", "Other"),
        ],
        string="Source Channel",
    )
    key_account_tier = fields.Selection(
        selection=[
            ("strategic", "Strategic"),
            ("a", "Tier A"),
            ("b", "Tier B"),
            ("c", "Tier C"),
        ],
        tracking=True,
    )
    key_account_currency_id = fields.Many2one(
        comodel_name="res.currency",
        compute="_compute_key_account_currency_id",
    )
    key_account_budget = fields.Monetary(
        string="Annual Purchase Budget",
        currency_field="key_account_currency_id",
    )
    key_account_needs = fields.Text(string="Purchasing Needs")
    # Registration
    key_account_legal_representative = fields.Char(
        string="Legal Representative", tracking=True
    )
    key_account_date_established = fields.Date(string="Date Established")
    key_account_registered_capital = fields.Monetary(
        string="Registered Capital",
        currency_field="key_account_currency_id",
    )
    # Finance
    key_account_invoice_type = fields.Selection(
        selection=[
            ("vat_special", "VAT Special Invoice"),
            ("vat_ordinary", "VAT Ordinary Invoice"),
            ("electronic", "Electronic Invoice"),
        ],
        string="Invoice Type",
        tracking=True,
    )
    key_account_invoice_title = fields.Char(
        string="Invoice Title",
        compute="_compute_key_account_invoice_title",
        store=True,
        readonly=False,
        help="Name printed on the customer's invoices; defaults to the company name.",
    )
    key_account_invoice_details = fields.Text(
        string="Invoice Details",
        compute="_compute_key_account_invoice_details",
        help="Invoicing data to copy into the invoicing system: title, tax "
        "number, address and phone, bank and account.",
    )

    def init(self):
        res = super().init()
        # One unique index, partners without company included (NULL company
        # ids would escape a plain UNIQUE(key_account_code, company_id)).
        tools.create_unique_index(
            self.env.cr,
            "res_partner_key_account_code_company_uniq",
            self._table,
            ["key_account_code", "COALESCE(company_id, 0)"],
        )
        return res

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("company_id")
    def _compute_key_account_currency_id(self):
        for partner in self:
            partner.key_account_currency_id = (
                partner.company_id.currency_id or self.env.company.currency_id
            )

    @api.depends("name", "is_key_account")
    def _compute_key_account_invoice_title(self):
        for partner in self:
            if partner.is_key_account and not partner.key_account_invoice_title:
                partner.key_account_invoice_title = partner.name

    @api.depends(
        "is_key_account",
        "key_account_invoice_title",
        "name",
        "vat",
        "street",
        "street2",
        "city",
        "state_id",
        "zip",
        "phone",
        "bank_ids",
        "bank_ids.acc_number",
        "bank_ids.bank_id.name",
    )
    def _compute_key_account_invoice_details(self):
        for partner in self:
            if not partner.is_key_account:
                partner.key_account_invoice_details = False
                continue
            address = " ".join(
                part
                for part in (
                    partner.state_id.name,
                    partner.city,
                    partner.street,
                    partner.street2,
                    partner.zip,
                )
                if part
            )
            banks = "; ".join(
                " ".join(p for p in (bank.bank_id.name, bank.acc_number) if p)
                for bank in partner.bank_ids
            )
            lines = [
                self.env._(
                    "Invoice title: %(title)s",
                    title=partner.key_account_invoice_title or partner.name or "",
                ),
                self.env._("Tax number: %(vat)s", vat=partner.vat or ""),
                self.env._(
                    "Address and phone: %(address)s %(phone)s",
                    address=address,
                    phone=partner.phone or "",
                ).strip(),
                self.env._("Bank and account: %(banks)s", banks=banks),
            ]
            partner.key_account_invoice_details = "\n".join(lines)

    # ------------------------------------------------------------------
    # Credit code (USCC)
    # ------------------------------------------------------------------
    @api.model
    def _key_account_normalize_uscc(self, value):
        """Return the compact form of a unified social credit code.

        Full-width characters (typed with a Chinese input method or pasted
        from a spreadsheet: ``９１１１…``, ``ＭＡ``, the ideographic space) are
        folded to their ASCII form first (NFKC).
        """
        if not value:
            return value
        return uscc.compact(unicodedata.normalize("NFKC", value))

    def _key_account_uscc_error(self, value):
        """Return a translated message when ``value`` is not a valid USCC (the
        message shows the normalised code)."""
        self.ensure_one()
        value = self._key_account_normalize_uscc(value)
        try:
            uscc.validate(value)
        except stdnum_exceptions.InvalidLength:
            return self.env._(
                "The unified social credit code %(code)s of %(partner)s must "
                "have 18 characters, it has %(length)s.",
                code=value,
                partner=self.display_name,
                length=len(value),
            )
        except stdnum_exceptions.InvalidChecksum:
            return self.env._(
                "The unified social credit code %(code)s of %(partner)s has a "
                "wrong check digit: check it against the business licence.",
                code=value,
                partner=self.display_name,
            )
        except stdnum_exceptions.ValidationError:
            return self.env._(
                "The unified social credit code %(code)s of %(partner)s contains "
                "invalid characters: its first 8 characters are digits, the "
                "others digits or upper-case letters except I, O, S, V and Z.",
                code=value,
                partner=self.display_name,
            )
        return False

    def _key_account_find_duplicates(self):
        """Map each key account of ``self`` to another key account of the same
        company that has the same credit code (one search for the batch)."""
        partners = self.filtered(lambda p: p.is_key_account and p.company_registry)
        if not partners:
            return {}
        others = self.with_context(active_test=False).search(
            [
                ("is_key_account", "=", True),
                ("company_registry", "in", partners.mapped("company_registry")),
            ]
        )
        by_key = {}
        for other in others:
            key = (other.company_id.id, other.company_registry)
            by_key.setdefault(key, self.browse())
            by_key[key] |= other
        result = {}
        for partner in partners:
            key = (partner.company_id.id, partner.company_registry)
            duplicates = by_key.get(key, self.browse()) - partner
            if duplicates:
                result[partner] = duplicates[0]
        return result

    @api.constrains("company_registry", "is_key_account", "company_id")
    def _check_key_account_company_registry(self):
        for partner in self:
            if partner.is_key_account and partner.company_registry:
                error = partner._key_account_uscc_error(partner.company_registry)
                if error:
                    raise ValidationError(error)
        duplicates = self._key_account_find_duplicates()
        for partner, other in duplicates.items():
            raise ValidationError(
                self.env._(
                    "The unified social credit code %(code)s of %(partner)s is "
                    "already used by the key account %(other)s (%(other_code)s). "
                    "A company can register a customer only once: open the "
                    "existing key account instead.",
                    code=partner.company_registry,
                    partner=partner.display_name,
                    other=other.display_name,
                    other_code=other.key_account_code or "",
                )
            )

    @api.constrains("key_account_code", "company_id")
    def _check_key_account_code_unique(self):
        """Explain a duplicate customer code before the unique index refuses it.

        Reads the other partners with plain SQL: a ``search`` would flush the
        pending duplicate and hit the index first, with a raw database error.
        """
        partners = self.filtered("key_account_code")
        if not partners:
            return
        self.env.cr.execute(
            """
            SELECT id, key_account_code, COALESCE(company_id, 0)
              FROM res_partner
             WHERE key_account_code IN %s AND id NOT IN %s
            """,
            (tuple(set(partners.mapped("key_account_code"))), tuple(partners.ids)),
        )
        holders = {
            (code, company): pid for pid, code, company in self.env.cr.fetchall()
        }
        for partner in partners:
            key = (partner.key_account_code, partner.company_id.id or 0)
            other = self.browse(holders.get(key))
            if not other:
                other = (partners - partner).filtered(
                    lambda p, key=key: (p.key_account_code, p.company_id.id or 0) == key
                )[:1]
            if other:
                raise ValidationError(
                    self.env._(
                        "The customer code %(code)s of %(partner)s is already "
                        "used by %(other)s in the same company.",
                        code=partner.key_account_code,
                        partner=partner.display_name,
                        other=other.sudo().display_name,
                    )
                )

    # ------------------------------------------------------------------
    # ORM: the onboarding status and the reviewed data are guarded here, for
    # every client (forms, RPC, import), not only in the views.
    # ------------------------------------------------------------------
    def _key_account_prepare_vals(self, vals):
        if vals.get("company_registry"):
            vals["company_registry"] = self._key_account_normalize_uscc(
                vals["company_registry"]
            )
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._key_account_check_create(vals_list)
        for vals in vals_list:
            if not vals.get("is_key_account"):
                continue
            self._key_account_prepare_vals(vals)
            if not vals.get("key_account_state"):
                vals["key_account_state"] = "draft"
            if "company_id" not in vals and not vals.get("parent_id"):
                vals["company_id"] = self.env.company.id
        self._key_account_prepare_codes(vals_list)
        return super().create(vals_list)

    @api.model
    def _key_account_check_create(self, vals_list):
        """A new partner starts outside the review (no status, or draft), and
        only a manager adds an invoice address to a reviewed key account."""
        for vals in vals_list:
            if vals.get("key_account_state") not in (None, False, "draft"):
                raise AccessError(
                    self.env._(
                        "%(partner)s cannot be created with a review status other "
                        "than Draft: submit it for review, a Key Account Manager "
                        "approves it.",
                        partner=vals.get("name") or "",
                    )
                )
        if self._key_account_is_manager():
            return
        parent_ids = {
            vals["parent_id"]
            for vals in vals_list
            if vals.get("parent_id") and vals.get("type") == "invoice"
        }
        if parent_ids:
            self.browse(parent_ids)._key_account_check_invoice_address_parents()

    @api.model
    def _key_account_prepare_codes(self, vals_list):
        """Put a customer code in the values of each new key account, one
        sequence query per company for the whole batch."""
        by_company = defaultdict(list)
        for vals in vals_list:
            if vals.get("is_key_account") and not vals.get("key_account_code"):
                by_company[vals.get("company_id") or self.env.company.id].append(vals)
        for company_id, company_vals in by_company.items():
            codes = self._key_account_next_codes(
                self.env["res.company"].browse(company_id), len(company_vals)
            )
            for vals, code in zip(company_vals, codes, strict=True):
                vals["key_account_code"] = code

    def write(self, vals):
        if not self.env.su:
            self._key_account_check_write(vals)
        if vals.get("company_registry"):
            key_accounts = (
                self if vals.get("is_key_account") else self.filtered("is_key_account")
            )
            if key_accounts and key_accounts != self:
                return super(ResPartner, self - key_accounts).write(
                    vals
                ) and key_accounts.write(vals)
            if key_accounts:
                vals = self._key_account_prepare_vals(dict(vals))
        new_key_accounts = unflagged = self.browse()
        if "is_key_account" in vals:
            if vals["is_key_account"]:
                new_key_accounts = self.filtered(lambda p: not p.is_key_account)
            else:
                unflagged = self.filtered("is_key_account")
        result = super().write(vals)
        if new_key_accounts:
            # a status the superuser wrote with the flag stays; else draft
            new_key_accounts._key_account_init_existing(
                reset_state=not (self.env.su and vals.get("key_account_state"))
            )
        if unflagged:
            # no status without the flag: flagged again, the review restarts
            unflagged.sudo().write(
                {"key_account_state": False, "key_account_reject_reason": False}
            )
        return result

    def unlink(self):
        if not self._key_account_is_manager():
            addresses = self._key_account_invoice_addresses_reviewed()
            addresses.parent_id._key_account_refuse_invoice_address()
        return super().unlink()

    def _key_account_init_existing(self, reset_state=True):
        """Complete existing partners that just became key accounts: the
        normalised credit code, draft status, company (when they have none:
        a partner of a company stays in it) and customer code.

        Writes as superuser: the user just flagged these partners, and the
        status and code are written by nobody else."""
        partners = self.sudo()
        for partner in partners:
            normalized = self._key_account_normalize_uscc(partner.company_registry)
            if normalized != partner.company_registry:
                partner.company_registry = normalized
        to_draft = (
            partners
            if reset_state
            else partners.filtered(lambda p: not p.key_account_state)
        )
        to_draft.write(
            {"key_account_state": "draft", "key_account_reject_reason": False}
        )
        partners.filtered(
            lambda p: not p.company_id and not p.parent_id
        ).company_id = self.env.company
        partners.filtered(lambda p: not p.key_account_code)._key_account_assign_code()

    def _key_account_check_write(self, vals):
        """Refuse what the current (non-superuser) user may not write."""
        if "key_account_state" in vals:
            self._key_account_check_state_write(vals["key_account_state"])
        if "key_account_reject_reason" in vals:
            rewritten = self.filtered(
                lambda p: changed_fields(p, vals, ["key_account_reject_reason"])
            )
            if rewritten:
                raise AccessError(
                    self.env._(
                        "The rejection reason of %(partners)s is given with the "
                        "Reject button of the review, not written directly.",
                        partners=", ".join(rewritten.mapped("display_name")),
                    )
                )
        if self._key_account_is_manager():
            return
        if "is_key_account" in vals and not vals["is_key_account"]:
            self._key_account_check_unflag()
        if "company_registry" in vals:
            self._key_account_check_reviewed_code(vals["company_registry"])
        reviewed_fields = [name for name in REVIEWED_FIELDS if name in vals]
        if reviewed_fields:
            self._key_account_check_reviewed_fields(vals, reviewed_fields)
        if INVOICE_ADDRESS_FIELDS & set(vals):
            self._key_account_check_invoice_address_write(vals)

    def _key_account_check_state_write(self, new_state):
        """The review status changes only through the review methods (which
        write it as superuser): a write of another status is refused, even
        for a manager. Writing the current status again changes nothing."""
        new_state = new_state or False
        changed = self.filtered(
            lambda p: (
                (p.key_account_state or False) != new_state
                # a leftover status on a plain partner may be cleared
                and not (new_state in (False, "draft") and not p.is_key_account)
            )
        )
        if changed:
            raise AccessError(
                self.env._(
                    "The review status of %(partners)s changes only through the "
                    "review buttons (Submit for Review, Approve, Reject, Suspend, "
                    "Reinstate, Back to Draft), not by writing it.",
                    partners=", ".join(changed.mapped("display_name")),
                )
            )

    def _key_account_check_reviewed_code(self, new_code):
        """The credit code a manager reviewed changes only through a manager
        (or back in draft)."""
        new_code = self._key_account_normalize_uscc(new_code) or False
        reviewed = self.filtered(
            lambda p: (
                p._key_account_is_reviewed()
                and (p.company_registry or False) != new_code
            )
        )
        if reviewed:
            raise AccessError(
                self.env._(
                    "The unified social credit code of %(partners)s has been "
                    "submitted for review: set the key account back to draft or ask "
                    "a Key Account Manager to change it.",
                    partners=", ".join(reviewed.mapped("display_name")),
                )
            )

    def _key_account_check_reviewed_fields(self, vals, names):
        """The data a manager reviewed changes only through a manager (or
        after the account was rejected and corrected)."""
        changes = {}
        for partner in self.filtered(lambda p: p._key_account_is_reviewed()):
            changed = changed_fields(partner, vals, names)
            if changed:
                changes[partner] = changed
        if changes:
            raise AccessError(
                self.env._(
                    "Only a Key Account Manager can change the reviewed data of "
                    "%(partners)s (%(fields)s): ask a manager, or have the review "
                    "rejected to correct it.",
                    partners=", ".join(p.display_name for p in changes),
                    fields=", ".join(
                        dict.fromkeys(
                            self._fields[name]._description_string(self.env)
                            for changed in changes.values()
                            for name in changed
                        )
                    ),
                )
            )

    def _key_account_check_unflag(self):
        """Only a manager removes a reviewed customer from the key accounts."""
        reviewed = self.filtered(lambda p: p._key_account_is_reviewed())
        if reviewed:
            raise AccessError(
                self.env._(
                    "Only a Key Account Manager can remove %(partners)s from the "
                    "key accounts once submitted for review.",
                    partners=", ".join(reviewed.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # Invoice address of a reviewed key account
    # ------------------------------------------------------------------
    def _key_account_invoice_addresses_reviewed(self):
        """The invoice addresses of ``self`` that belong to a reviewed key
        account."""
        return self.filtered(
            lambda p: (
                p.type == "invoice"
                and p.parent_id
                and p.parent_id._key_account_is_reviewed()
            )
        )

    def _key_account_check_invoice_address_parents(self):
        """Refuse a new invoice address under the reviewed key accounts of
        ``self``."""
        self.filtered(
            lambda p: p._key_account_is_reviewed()
        )._key_account_refuse_invoice_address()

    def _key_account_check_invoice_address_write(self, vals):
        current = self._key_account_invoice_addresses_reviewed()
        current.filtered(
            lambda p: changed_fields(p, vals, INVOICE_ADDRESS_FIELDS)
        ).parent_id._key_account_refuse_invoice_address()
        if "type" not in vals and "parent_id" not in vals:
            return
        # partners becoming an invoice address of a reviewed key account
        new_parents = self.browse()
        for partner in self - current:
            parent = (
                self.browse(vals["parent_id"] or [])
                if "parent_id" in vals
                else partner.parent_id
            )
            if vals.get("type", partner.type) == "invoice":
                new_parents |= parent
        new_parents._key_account_check_invoice_address_parents()

    def _key_account_refuse_invoice_address(self):
        """Raise for the key accounts of ``self`` (if any)."""
        if self:
            raise AccessError(
                self.env._(
                    "The invoice address of %(partners)s has been reviewed: only "
                    "a Key Account Manager changes it.",
                    partners=", ".join(self.mapped("display_name")),
                )
            )

    @api.model
    def _key_account_next_codes(self, company, count):
        """Return ``count`` new customer codes of ``company``'s sequence (a
        company-specific sequence wins over the shared one)."""
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [
                    ("code", "=", KEY_ACCOUNT_SEQUENCE_CODE),
                    ("company_id", "in", [company.id, False]),
                ],
                order="company_id",
                limit=1,
            )
        )
        if not sequence:
            raise UserError(
                self.env._(
                    "No customer code sequence (code %(code)s) exists for "
                    "%(company)s: create one under Key Accounts > Configuration.",
                    code=KEY_ACCOUNT_SEQUENCE_CODE,
                    company=company.display_name,
                )
            )
        return sequence.with_company(company)._key_account_next_batch(count)

    def _key_account_assign_code(self):
        for company, partners in self.grouped(
            lambda p: p.company_id or self.env.company
        ).items():
            codes = self._key_account_next_codes(company, len(partners))
            for partner, code in zip(partners, codes, strict=True):
                partner.key_account_code = code
