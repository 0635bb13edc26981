# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError

KEY_ACCOUNT_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("suspended", "Suspended"),
]

KEY_ACCOUNT_SEQUENCE_CODE = "key_account.customer_code"
# States in which a manager has the account's data under review or approved.
REVIEWED_STATES = ("submitted", "approved", "suspended")
# Data a reviewer checked (besides the credit code, normalised on its own):
# once submitted, only a Key Account Manager changes it.
REVIEWED_FIELDS = (
    "name",
    "vat",
    "key_account_legal_representative",
    "key_account_invoice_type",
    "key_account_invoice_title",
)

# (from, to) -> needs the Key Account Manager group
KEY_ACCOUNT_TRANSITIONS = {
    ("draft", "submitted"): False,
    ("submitted", "draft"): False,
    ("rejected", "draft"): False,
    ("submitted", "approved"): True,
    ("submitted", "rejected"): True,
    ("approved", "suspended"): True,
    ("suspended", "approved"): True,
}


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
    key_account_state = fields.Selection(
        selection=KEY_ACCOUNT_STATES,
        string="Review Status",
        index=True,
        copy=False,
        tracking=True,
        help="Onboarding review status of the key account. Only approved key "
        "accounts can sign contracts and place key-account orders.",
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
    # Review
    key_account_reject_reason = fields.Text(
        string="Rejection Reason", copy=False, tracking=True
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
        """Return the compact form of a unified social credit code."""
        return uscc.compact(value) if value else value

    def _key_account_uscc_error(self, value):
        """Return a translated message when ``value`` is not a valid USCC."""
        self.ensure_one()
        try:
            uscc.validate(value)
        except stdnum_exceptions.InvalidLength:
            return self.env._(
                "The unified social credit code %(code)s of %(partner)s must "
                "have 18 characters, it has %(length)s.",
                code=value,
                partner=self.display_name,
                length=len(uscc.compact(value)),
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
    # ORM
    # ------------------------------------------------------------------
    def _key_account_is_manager(self):
        return self.env.su or self.env.user.has_group(
            "key_account_base.key_account_group_manager"
        )

    def _key_account_prepare_vals(self, vals):
        if vals.get("company_registry"):
            vals["company_registry"] = self._key_account_normalize_uscc(
                vals["company_registry"]
            )
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        manager = self._key_account_is_manager()
        for vals in vals_list:
            if not vals.get("is_key_account"):
                continue
            self._key_account_prepare_vals(vals)
            if not vals.get("key_account_state"):
                vals["key_account_state"] = "draft"
            if vals["key_account_state"] != "draft" and not manager:
                raise AccessError(
                    self.env._(
                        "Only a Key Account Manager can create the key account "
                        "%(partner)s in another status than Draft.",
                        partner=vals.get("name") or "",
                    )
                )
            if "company_id" not in vals and not vals.get("parent_id"):
                vals["company_id"] = self.env.company.id
        self._key_account_prepare_codes(vals_list)
        return super().create(vals_list)

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
        if "key_account_state" in vals:
            self._key_account_check_state_change(vals)
        if "is_key_account" in vals and not vals["is_key_account"]:
            self._key_account_check_unflag()
        if "company_registry" in vals:
            self._key_account_check_reviewed_code(vals["company_registry"])
        reviewed_fields = [name for name in REVIEWED_FIELDS if name in vals]
        if reviewed_fields:
            self._key_account_check_reviewed_fields(vals, reviewed_fields)
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
        if vals.get("is_key_account"):
            vals = dict(vals)
            new_key_accounts = self.filtered(lambda p: not p.is_key_account)
        else:
            new_key_accounts = self.browse()
        result = super().write(vals)
        if new_key_accounts:
            new_key_accounts._key_account_init_existing()
        return result

    def _key_account_init_existing(self):
        """Complete existing partners that just became key accounts: the
        normalised credit code, draft status, company and customer code."""
        for partner in self:
            normalized = self._key_account_normalize_uscc(partner.company_registry)
            if normalized != partner.company_registry:
                partner.company_registry = normalized
        self.filtered(lambda p: not p.key_account_state).key_account_state = "draft"
        self.filtered(
            lambda p: not p.company_id and not p.parent_id
        ).company_id = self.env.company
        self.filtered(lambda p: not p.key_account_code)._key_account_assign_code()

    def _key_account_check_reviewed_code(self, new_code):
        """The credit code a manager reviewed changes only through a manager
        (or back in draft)."""
        if self._key_account_is_manager():
            return
        new_code = self._key_account_normalize_uscc(new_code) or False
        reviewed = self.filtered(
            lambda p: (
                p.is_key_account
                and p.key_account_state in REVIEWED_STATES
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
        if self._key_account_is_manager():
            return
        changes = {}
        for partner in self:
            if not partner.is_key_account or partner.key_account_state not in (
                REVIEWED_STATES
            ):
                continue
            changed = [
                name
                for name in names
                if (partner[name] or False) != (vals[name] or False)
            ]
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
        if self._key_account_is_manager():
            return
        reviewed = self.filtered(
            lambda p: p.is_key_account and p.key_account_state in REVIEWED_STATES
        )
        if reviewed:
            raise AccessError(
                self.env._(
                    "Only a Key Account Manager can remove %(partners)s from the "
                    "key accounts once submitted for review.",
                    partners=", ".join(reviewed.mapped("display_name")),
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

    # ------------------------------------------------------------------
    # Onboarding review
    # ------------------------------------------------------------------
    def _key_account_check_state_change(self, vals):
        """Refuse a review status change the current user may not make.

        Runs in ``write`` so the rule holds for every client, not only for
        the form's buttons.
        """
        if self.env.su:
            return
        new_state = vals["key_account_state"]
        labels = dict(
            self._fields["key_account_state"]._description_selection(self.env)
        )
        manager = self._key_account_is_manager()
        for partner in self:
            old_state = partner.key_account_state
            if (old_state or "draft") == new_state:
                continue
            if not partner.is_key_account and not vals.get("is_key_account"):
                raise UserError(
                    self.env._(
                        "%(partner)s is not a key account: it has no review status.",
                        partner=partner.display_name,
                    )
                )
            transition = (old_state or "draft", new_state)
            if transition not in KEY_ACCOUNT_TRANSITIONS:
                raise UserError(
                    self.env._(
                        "The key account %(partner)s cannot go from %(old)s to "
                        "%(new)s.",
                        partner=partner.display_name,
                        old=labels.get(old_state, old_state),
                        new=labels.get(new_state, new_state),
                    )
                )
            if KEY_ACCOUNT_TRANSITIONS[transition] and not manager:
                raise AccessError(
                    self.env._(
                        "Only a Key Account Manager can set the key account "
                        "%(partner)s to %(new)s.",
                        partner=partner.display_name,
                        new=labels.get(new_state, new_state),
                    )
                )
        if new_state in ("submitted", "approved"):
            # The reviewer's checks hold on approval and reinstatement too:
            # the data may have changed since it was submitted.
            self._key_account_check_submission()
        if new_state == "rejected" and not vals.get("key_account_reject_reason"):
            missing = self.filtered(lambda p: not p.key_account_reject_reason)
            if missing:
                raise UserError(
                    self.env._(
                        "Give the reason for rejecting %(partners)s.",
                        partners=", ".join(missing.mapped("display_name")),
                    )
                )

    def _key_account_missing_data(self):
        """Return the labels of the data a reviewer needs and ``self`` lacks."""
        self.ensure_one()
        labels = {
            "name": self.env._("Company Name"),
            "company_registry": self.env._("Unified Social Credit Code"),
            "bank_ids": self.env._("Bank Account"),
            "vat": self.env._("Tax ID"),
        }
        required = [
            "name",
            "company_registry",
            "key_account_legal_representative",
            "city",
            "key_account_invoice_type",
            "key_account_invoice_title",
        ]
        if self.key_account_invoice_type == "vat_special":
            required += ["vat", "bank_ids", "phone", "street"]
        missing = []
        for name in required:
            if not self[name]:
                missing.append(
                    labels.get(name) or self._fields[name]._description_string(self.env)
                )
        return missing

    def _key_account_check_submission(self):
        """Check what a reviewer checks; raise one error listing every problem."""
        problems = []
        duplicates = self._key_account_find_duplicates()
        for partner in self:
            if not partner.is_company:
                problems.append(
                    self.env._(
                        "%(partner)s: a key account must be a company.",
                        partner=partner.display_name,
                    )
                )
            missing = partner._key_account_missing_data()
            if missing:
                problems.append(
                    self.env._(
                        "%(partner)s: missing %(fields)s.",
                        partner=partner.display_name,
                        fields=", ".join(missing),
                    )
                )
            if partner.company_registry:
                error = partner._key_account_uscc_error(partner.company_registry)
                if error:
                    problems.append(error)
            if partner in duplicates:
                problems.append(
                    self.env._(
                        "%(partner)s: the credit code %(code)s is already used "
                        "by the key account %(other)s.",
                        partner=partner.display_name,
                        code=partner.company_registry,
                        other=duplicates[partner].display_name,
                    )
                )
        if problems:
            raise UserError(
                self.env._(
                    "The key account data is not ready for review, correct it "
                    "first:\n%(problems)s",
                    problems="\n".join(f"- {p}" for p in problems),
                )
            )

    def _key_account_transition(self, new_state, message, extra_vals=None):
        vals = {"key_account_state": new_state, **(extra_vals or {})}
        self.write(vals)
        for partner in self:
            partner.message_post(body=message, subtype_xmlid="mail.mt_note")
        return True

    def action_key_account_submit(self):
        return self._key_account_transition(
            "submitted", self.env._("Key account submitted for review.")
        )

    def action_key_account_approve(self):
        return self._key_account_transition(
            "approved",
            self.env._("Key account approved."),
            {"key_account_reject_reason": False},
        )

    def action_key_account_reject(self):
        """Open the wizard asking for the rejection reason."""
        if not self._key_account_is_manager():
            raise AccessError(
                self.env._("Only a Key Account Manager can reject a key account.")
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject Key Account"),
            "res_model": "key.account.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": self.ids},
        }

    def _key_account_reject(self, reason):
        if not reason or not reason.strip():
            raise UserError(
                self.env._(
                    "Give the reason for rejecting %(partners)s.",
                    partners=", ".join(self.mapped("display_name")),
                )
            )
        return self._key_account_transition(
            "rejected",
            self.env._("Key account rejected: %(reason)s", reason=reason),
            {"key_account_reject_reason": reason},
        )

    def action_key_account_reset_draft(self):
        return self._key_account_transition(
            "draft", self.env._("Key account set back to draft.")
        )

    def action_key_account_suspend(self):
        return self._key_account_transition(
            "suspended", self.env._("Key account suspended.")
        )

    def action_key_account_reinstate(self):
        return self._key_account_transition(
            "approved", self.env._("Key account reinstated.")
        )
