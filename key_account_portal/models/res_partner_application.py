# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The online application (企业注册): an enterprise applies on a public page,
the application becomes a key account in the review pool, and its approval
invites the applicant to the portal.

The controller only reads the form; the checks and the records are here.
"""

import logging
import os
import re
import unicodedata

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_normalize
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.key_account_base.tools import changed_fields

_logger = logging.getLogger(__name__)

# Accepted business licence files: extension -> the type its content must have
LICENCE_MIMETYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
LICENCE_EXTENSIONS = tuple(LICENCE_MIMETYPES)
# Company that receives the applications when the system parameter names
# none: the public user's company.
PARAM_APPLICATION_COMPANY = "key_account_portal.application_company_id"
MAX_TEXT_LENGTH = 200
# The text fields of the form, in the order of the page.
TEXT_FIELDS = (
    "company_name",
    "credit_code",
    "legal_representative",
    "registered_capital",
    "key_account_type",
    "industry_id",
    "state_id",
    "city",
    "street",
    "phone",
    "contact_name",
    "contact_mobile",
    "contact_email",
    "invoice_type",
    "invoice_title",
    "vat",
    "bank_name",
    "bank_account",
)
REQUIRED_FIELDS = (
    "company_name",
    "credit_code",
    "legal_representative",
    "key_account_type",
    "state_id",
    "city",
    "street",
    "contact_name",
    "contact_mobile",
    "contact_email",
    "invoice_type",
)
SELECT_FIELDS = ("key_account_type", "industry_id", "state_id", "invoice_type")
# What the back office needs for a VAT special invoice (see key_account_base
# _key_account_missing_data): the tax number defaults to the credit code.
VAT_SPECIAL_FIELDS = ("phone", "bank_name", "bank_account")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
PHONE_RE = re.compile(r"^\+?[\d()\- ]{7,24}$")
BANK_ACCOUNT_RE = re.compile(r"^\d{8,32}$")
TAX_NUMBER_RE = re.compile(r"^[0-9A-Z]{15,20}$")


class ResPartner(models.Model):
    _inherit = "res.partner"

    key_account_applicant_id = fields.Many2one(
        comodel_name="res.partner",
        string="Online Applicant",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="Contact person who applied online for this key account; the "
        "approval invites this contact to the portal. Set by the online "
        "application only.",
    )

    # ------------------------------------------------------------------
    # Guard: only the online application names the applicant (the approval
    # grants portal access to that contact).
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get("key_account_applicant_id") for vals in vals_list
        ):
            raise AccessError(
                self.env._(
                    "The online applicant of a key account is set by the online "
                    "application only."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if (
            "key_account_applicant_id" in vals
            and not self.env.su
            and any(
                changed_fields(partner, vals, ["key_account_applicant_id"])
                for partner in self
            )
        ):
            raise AccessError(
                self.env._(
                    "The online applicant of a key account is set by the online "
                    "application only."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # The form
    # ------------------------------------------------------------------
    @api.model
    def _key_account_portal_application_labels(self):
        """Translated labels of the form's fields (the page and the messages
        use the same)."""
        _ = self.env._
        return {
            "company_name": _("Company name"),
            "credit_code": _("Unified social credit code"),
            "legal_representative": _("Legal representative"),
            "registered_capital": _("Registered capital"),
            "key_account_type": _("Type of organisation"),
            "industry_id": _("Industry"),
            "state_id": _("Province"),
            "city": _("City"),
            "street": _("Street address"),
            "phone": _("Company phone"),
            "contact_name": _("Contact person"),
            "contact_mobile": _("Mobile"),
            "contact_email": _("Email"),
            "invoice_type": _("Invoice type"),
            "invoice_title": _("Invoice title"),
            "vat": _("Taxpayer identification number"),
            "bank_name": _("Bank (branch)"),
            "bank_account": _("Bank account number"),
            "licence": _("Business licence"),
        }

    @api.model
    def _key_account_portal_application_company(self):
        value = (
            self.env["ir.config_parameter"].sudo().get_param(PARAM_APPLICATION_COMPANY)
        )
        company = self.env["res.company"]
        if value and value.isdigit():
            company = company.sudo().browse(int(value)).exists()
        return company or self.env.company

    @api.model
    def _key_account_portal_application_options(self):
        """Choices of the form's lists, read as superuser (the page is
        public)."""
        partners = self.sudo()
        china = self.env.ref("base.cn")
        return {
            "key_account_types": partners._fields[
                "key_account_type"
            ]._description_selection(self.env),
            "invoice_types": partners._fields[
                "key_account_invoice_type"
            ]._description_selection(self.env),
            "industries": self.env["res.partner.industry"]
            .sudo()
            .search([], order="full_name, name"),
            "states": self.env["res.country.state"]
            .sudo()
            .search([("country_id", "=", china.id)], order="id"),
            "currency": self._key_account_portal_application_company().currency_id,
        }

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    @api.model
    def _key_account_portal_application_check(self, form):
        """Check the posted application ``form`` (a dict of strings).

        Return ``(values, errors)``: ``values`` for
        ``_key_account_portal_application_create``, ``errors`` a dict form
        field name -> translated message (empty when the form is good). Reads
        as superuser: the applicant is the public user.
        """
        text = {
            name: " ".join(str(form.get(name) or "").split()) for name in TEXT_FIELDS
        }
        errors = self._key_account_portal_check_required(text)
        options = self._key_account_portal_application_options()
        company = self._key_account_portal_application_company()
        choices = self._key_account_portal_check_choices(text, options, errors)
        code = self._key_account_portal_check_code(text, company, errors)
        clean = self._key_account_portal_check_formats(text, options, errors)
        values = {
            "partner": {
                "name": text["company_name"],
                "is_company": True,
                "is_key_account": True,
                "key_account_source": "self_registered",
                # the applicant's language (the page's), not the database's
                # default: the invitation is written in it
                "lang": self.env.lang,
                "company_id": company.id,
                "company_registry": code,
                "key_account_legal_representative": text["legal_representative"],
                "key_account_registered_capital": clean["capital"],
                "key_account_type": choices["key_account_type"],
                "industry_id": choices["industry_id"],
                "country_id": self.env.ref("base.cn").id,
                "state_id": choices["state_id"],
                "city": text["city"],
                "street": text["street"],
                "phone": clean["phone"] or False,
                "vat": clean["vat"] or code,
                "key_account_invoice_type": choices["invoice_type"],
                "key_account_invoice_title": text["invoice_title"]
                or text["company_name"],
            },
            "contact": {
                "name": text["contact_name"],
                "mobile": clean["mobile"],
                "email": clean["email"],
                "type": "contact",
            },
            "bank": {"bank_name": text["bank_name"], "acc_number": clean["account"]},
        }
        return values, errors

    @api.model
    def _key_account_portal_check_required(self, text):
        """Errors of the too long and the missing fields of ``text``."""
        labels = self._key_account_portal_application_labels()
        errors = {}
        for name, value in text.items():
            if len(value) > MAX_TEXT_LENGTH:
                errors[name] = self.env._(
                    "%(field)s is too long: at most %(max)s characters.",
                    field=labels[name],
                    max=MAX_TEXT_LENGTH,
                )
        required = list(REQUIRED_FIELDS)
        if text["invoice_type"] == "vat_special":
            required += VAT_SPECIAL_FIELDS
        for name in required:
            if text[name] or name in errors:
                continue
            if name in SELECT_FIELDS:
                errors[name] = self.env._(
                    "%(field)s is required: choose one from the list.",
                    field=labels[name],
                )
            else:
                errors[name] = self.env._("%(field)s is required.", field=labels[name])
        return errors

    @api.model
    def _key_account_portal_check_choices(self, text, options, errors):
        """The values of the form's lists, each one of the list (else an
        error in ``errors``)."""
        labels = self._key_account_portal_application_labels()
        allowed = {
            "key_account_type": {key for key, __ in options["key_account_types"]},
            "invoice_type": {key for key, __ in options["invoice_types"]},
            "industry_id": {str(i) for i in options["industries"].ids},
            "state_id": {str(i) for i in options["states"].ids},
        }
        choices = dict.fromkeys(allowed, False)
        for name, keys in allowed.items():
            if not text[name] or name in errors:
                continue
            if text[name] not in keys:
                errors[name] = self.env._(
                    "%(field)s: choose a value from the list.", field=labels[name]
                )
            elif name.endswith("_id"):
                choices[name] = int(text[name])
            else:
                choices[name] = text[name]
        return choices

    @api.model
    def _key_account_portal_check_code(self, text, company, errors):
        """The normalised credit code of ``text``, checked with the back
        office's rules and messages, and not registered yet."""
        code = self._key_account_normalize_uscc(text["credit_code"]) or ""
        if not code or "credit_code" in errors:
            return code
        applicant = self.sudo().new(
            {
                "name": text["company_name"] or code,
                "is_company": True,
                "is_key_account": True,
                "company_id": company.id,
                "company_registry": code,
            }
        )
        error = applicant._key_account_uscc_error(code)
        if error:
            errors["credit_code"] = error
        elif applicant._key_account_find_duplicates():
            # The other customer is not named: the visitor is anonymous.
            errors["credit_code"] = self.env._(
                "The unified social credit code %(code)s is already registered "
                "with us. If your company is our customer, ask your account "
                "manager for portal access; otherwise contact us.",
                code=code,
            )
        return code

    @api.model
    def _key_account_portal_check_formats(self, text, options, errors):
        """The normalised amount, phones, email, tax number and bank account
        of ``text`` (full-width characters folded), errors in ``errors``."""
        _ = self.env._

        def fold(name):
            return unicodedata.normalize("NFKC", text[name])

        def check(name, ok, message):
            if text[name] and name not in errors and not ok:
                errors[name] = message

        clean = {"capital": 0.0}
        try:
            clean["capital"] = float(
                fold("registered_capital").replace(",", "").replace(" ", "") or 0
            )
            capital_ok = 0 <= clean["capital"] < 1e15
        except ValueError:
            capital_ok = False
        check(
            "registered_capital",
            capital_ok,
            _(
                "Enter the registered capital as an amount in %(currency)s, "
                "e.g. 5000000.",
                currency=options["currency"].name,
            ),
        )
        clean["mobile"] = re.sub(
            r"^(\+86|0086)", "", re.sub(r"[\s\-]", "", fold("contact_mobile"))
        )
        check(
            "contact_mobile",
            MOBILE_RE.match(clean["mobile"]),
            _("Enter an 11-digit mobile number, e.g. 13800138000."),
        )
        clean["email"] = email_normalize(fold("contact_email")) or ""
        check(
            "contact_email",
            clean["email"],
            _(
                "Enter a valid email address, e.g. name@company.com: the "
                "approval and the portal invitation are sent to it."
            ),
        )
        clean["phone"] = fold("phone")
        check(
            "phone",
            PHONE_RE.match(clean["phone"]),
            _("Enter the phone number with its area code, e.g. 010-65000000."),
        )
        clean["vat"] = fold("vat").replace(" ", "").upper()
        check(
            "vat",
            TAX_NUMBER_RE.match(clean["vat"]),
            _(
                "Enter the taxpayer identification number: 15 to 20 digits or "
                "upper-case letters (for most companies, the unified social "
                "credit code)."
            ),
        )
        clean["account"] = re.sub(r"[\s\-]", "", fold("bank_account"))
        check(
            "bank_account",
            BANK_ACCOUNT_RE.match(clean["account"]),
            _(
                "Enter the bank account number: 8 to 32 digits, e.g. "
                "6222 0200 1234 5678."
            ),
        )
        # a bank account is a bank and a number
        if clean["account"] and not text["bank_name"] and "bank_name" not in errors:
            errors["bank_name"] = _("Enter the bank (branch) that holds the account.")
        if text["bank_name"] and not clean["account"] and "bank_account" not in errors:
            errors["bank_account"] = _("Enter the account number at this bank.")
        return clean

    @api.model
    def _key_account_portal_licence_error(self, filename, data):
        """A translated message when the business licence ``data`` is not
        the PDF, JPG or PNG file its name says, else ``False``."""
        expected = LICENCE_MIMETYPES.get(os.path.splitext(filename)[1].lower())
        if not expected or guess_mimetype(data) != expected:
            return self.env._(
                "%(file)s is not a PDF, JPG or PNG file (its content does not "
                "match its name): upload a scan or a photo of the business "
                "licence.",
                file=filename,
            )
        return False

    # ------------------------------------------------------------------
    # The application
    # ------------------------------------------------------------------
    @api.model
    def _key_account_portal_application_create(
        self, values, licence_name, licence_data, ip_address=None
    ):
        """Create the key account of a checked application ``values`` (see
        ``_key_account_portal_application_check``) with its contact person,
        bank account and business licence, and submit it for review.

        Runs as superuser: the applicant is the public user. The caller runs
        it in a savepoint (the review's own checks may still refuse it)."""
        partners = self.sudo().with_context(
            mail_create_nosubscribe=True, tracking_disable=True
        )
        bank_vals = values["bank"]
        partner_vals = dict(values["partner"])
        if bank_vals["acc_number"]:
            partner_vals["bank_ids"] = [
                Command.create(
                    {
                        "acc_number": bank_vals["acc_number"],
                        "bank_id": self._key_account_portal_bank(
                            bank_vals["bank_name"]
                        ).id,
                    }
                )
            ]
        customer = partners.create(partner_vals)
        contact = partners.create(
            dict(values["contact"], parent_id=customer.id, lang=customer.lang)
        )
        customer.key_account_applicant_id = contact
        # the licence is attached by the note (the public user may not link an
        # attachment of his own to a message)
        customer.with_context(tracking_disable=False).message_post(
            body=self.env._(
                "Applied online by %(contact)s (%(email)s, %(mobile)s) from "
                "%(ip)s; the business licence is attached.",
                contact=contact.name,
                email=contact.email,
                mobile=contact.mobile,
                ip=ip_address or "-",
            ),
            attachments=[(licence_name, licence_data)],
            subtype_xmlid="mail.mt_note",
        )
        customer.with_context(tracking_disable=False).action_key_account_submit()
        _logger.info(
            "Online key-account application %s (%s) from %s",
            customer.id,
            customer.key_account_code,
            ip_address,
        )
        return customer

    @api.model
    def _key_account_portal_bank(self, name):
        """The bank named ``name`` (an applicant types its branch name);
        created when no bank of that name exists."""
        if not name:
            return self.env["res.bank"]
        banks = self.env["res.bank"].sudo()
        return banks.search([("name", "=", name)], limit=1) or banks.create(
            {"name": name, "country": self.env.ref("base.cn").id}
        )

    # ------------------------------------------------------------------
    # Approval: the applicant is invited to the portal
    # ------------------------------------------------------------------
    def action_key_account_approve(self):
        result = super().action_key_account_approve()
        self._key_account_portal_invite_applicants()
        return result

    def _key_account_portal_invite_applicants(self):
        """Grant portal access to the online applicants of the approved key
        accounts ``self`` with core's portal wizard, which emails the
        invitation (with its sign-up link). A contact that cannot be invited
        (its email is another user's login) leaves a note for the team and
        does not hold back the approval."""
        for customer in self.sudo():
            applicant = customer.key_account_applicant_id
            if (
                customer.key_account_state != "approved"
                or not applicant
                or applicant.commercial_partner_id != customer
            ):
                continue
            lang = applicant.lang or customer.lang or self.env.lang
            wizard = (
                self.env["portal.wizard"]
                .sudo()
                .with_context(active_ids=[], active_id=False, active_model=False)
                .create(
                    {
                        "partner_ids": [Command.set(applicant.ids)],
                        "welcome_message": customer.with_context(lang=lang).env._(
                            "Your application for %(company)s has been approved. "
                            "Sign up with the link below to order for your company "
                            "and follow your deliveries in our customer portal.",
                            company=customer.name,
                        ),
                    }
                )
            )
            wizard_user = wizard.user_ids.filtered(
                lambda line, applicant=applicant: line.partner_id == applicant
            )
            if wizard_user.is_portal or wizard_user.is_internal:
                continue
            try:
                with self.env.cr.savepoint():
                    wizard_user.action_grant_access()
            except UserError as error:
                customer.message_post(
                    body=self.env._(
                        "The applicant %(contact)s was not invited to the portal: "
                        "%(error)s Correct the contact and grant portal access "
                        "from the contact's Action menu.",
                        contact=applicant.name,
                        error=error.args[0],
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            customer.message_post(
                body=self.env._(
                    "The applicant %(contact)s was given portal access; the "
                    "invitation was sent to %(email)s.",
                    contact=applicant.name,
                    email=applicant.email,
                ),
                subtype_xmlid="mail.mt_note",
            )
