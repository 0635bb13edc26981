# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re
import unicodedata

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

# Context key that lets recipients appear in partner searches and lists.
SHOW_RECIPIENTS = "key_account_show_recipients"


def normalize_phone(phone):
    """Digits only, without the Chinese country code (+86 / 0086)."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) > 11:
        digits = digits[2:]
    return digits


def normalize_text(value):
    """Full-width characters folded (NFKC), no whitespace, case-folded."""
    value = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"\s+", "", value).casefold()


class ResPartner(models.Model):
    _inherit = "res.partner"

    key_account_recipient = fields.Boolean(
        index=True,
        copy=False,
        help="Delivery recipient of a key-account order (e.g. an employee of the "
        "customer). Recipients are kept out of the everyday contact lists.",
    )
    key_account_recipient_key = fields.Char(
        string="Recipient Key",
        index=True,
        copy=False,
        readonly=True,
        help="Normalised phone and address; a customer has one recipient per key.",
    )
    key_account_district = fields.Char(
        string="District",
        help="District or county of the address (区/县).",
    )
    # The customer's contact list (partner form, child sync) leaves its
    # recipients out: they are listed from the "Recipients" button instead.
    child_ids = fields.One2many(
        domain=[("active", "=", True), ("key_account_recipient", "=", False)]
    )
    key_account_recipient_count = fields.Integer(
        string="Recipients",
        compute="_compute_key_account_recipient_count",
    )

    _sql_constraints = (
        (
            "key_account_recipient_key_uniq",
            "unique(parent_id, key_account_recipient_key)",
            "A customer has only one recipient with the same phone and address.",
        ),
    )

    def _compute_key_account_recipient_count(self):
        counts = {}
        if self.ids:
            counts = dict(
                self.with_context(active_test=False)._read_group(
                    [
                        ("key_account_recipient", "=", True),
                        ("parent_id", "in", self.ids),
                    ],
                    groupby=["parent_id"],
                    aggregates=["__count"],
                )
            )
        for partner in self:
            partner.key_account_recipient_count = counts.get(partner, 0)

    # ------------------------------------------------------------------
    # Recipients
    # ------------------------------------------------------------------
    @api.model
    def _key_account_recipient_key(self, vals):
        """Key identifying a recipient of a customer: phone and address."""
        state = vals.get("state_id") or ""
        if isinstance(state, models.BaseModel):
            state = state.id
        return "|".join(
            [
                normalize_phone(vals.get("phone") or vals.get("mobile")),
                str(state),
                normalize_text(vals.get("city")),
                normalize_text(vals.get("key_account_district")),
                normalize_text(vals.get("street")),
                normalize_text(vals.get("street2")),
            ]
        )

    @api.model
    def _key_account_get_or_create_recipients(self, customer, vals_list):
        """Return the recipients of ``customer`` for ``vals_list``, in order.

        Each dict holds a recipient's name, phone and address (``state_id``,
        ``city``, ``key_account_district``, ``street``...). Recipients are
        de-duplicated by normalised phone and address: the customer's existing
        recipient is reused, rows of the list with the same key share one new
        recipient. One search and one create whatever the number of rows.
        """
        customer = customer.commercial_partner_id
        if not customer:
            raise UserError(
                self.env._("Choose the customer the recipients belong to first.")
            )
        keys = [self._key_account_recipient_key(vals) for vals in vals_list]
        Partner = self.with_context(active_test=False)
        found = {
            partner.key_account_recipient_key: partner.id
            for partner in Partner.search_fetch(
                [
                    ("parent_id", "=", customer.id),
                    ("key_account_recipient_key", "in", list(set(keys))),
                ],
                ["key_account_recipient_key"],
            )
        }
        # Defaults computed once for the batch instead of once per record
        # (some run a query, e.g. account's invoice template default).
        common = Partner.default_get(list(Partner._fields))
        # Commercial fields as _commercial_sync_from_company would write them
        # one partner at a time (stored plain fields only: computed ones with
        # an inverse, like the pricelist, would run it per partner).
        commercial = [
            fname
            for fname in self._commercial_fields()
            if self._fields[fname].store
            and not self._fields[fname].compute
            and not self._fields[fname].company_dependent
        ]
        common.update(customer._update_fields_values(commercial))
        common.update(
            {
                "parent_id": customer.id,
                "type": "delivery",
                "key_account_recipient": True,
                "is_company": False,
                "lang": customer.lang,
                "company_id": customer.company_id.id,
            }
        )
        new_keys = []
        create_vals = []
        for key, vals in zip(keys, vals_list, strict=True):
            if key in found or key in new_keys:
                continue
            new_keys.append(key)
            create_vals.append(
                {
                    **vals,
                    **common,
                    "key_account_recipient_key": key,
                    "name": vals.get("name"),
                }
            )
            found[key] = None
        if create_vals:
            new = Partner.with_context(_partners_skip_fields_sync=True).create(
                create_vals
            )
            new.sudo()._company_dependent_commercial_sync()
            found.update(zip(new_keys, new.ids, strict=True))
        return self.browse([found[key] for key in keys])

    def action_key_account_view_recipients(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_order.res_partner_action_key_account_recipient"
        )
        action["domain"] = [
            ("parent_id", "=", self.commercial_partner_id.id),
            ("key_account_recipient", "=", True),
        ]
        action["context"] = {
            SHOW_RECIPIENTS: True,
            "default_parent_id": self.commercial_partner_id.id,
            "default_type": "delivery",
            "default_key_account_recipient": True,
        }
        return action

    # ------------------------------------------------------------------
    # Keep recipients out of everyday lists
    # ------------------------------------------------------------------
    @api.model
    def _key_account_hide_recipients(self, domain):
        if self.env.context.get(SHOW_RECIPIENTS):
            return domain
        domain = list(domain or [])
        if any(
            isinstance(leaf, (list, tuple))
            and leaf[0] in ("key_account_recipient", "id")
            for leaf in domain
        ):
            return domain
        return expression.AND([domain, [("key_account_recipient", "=", False)]])

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        return super().name_search(
            name=name,
            args=self._key_account_hide_recipients(args),
            operator=operator,
            limit=limit,
        )

    @api.model
    def web_search_read(
        self, domain, specification, offset=0, limit=None, order=None, count_limit=None
    ):
        return super().web_search_read(
            self._key_account_hide_recipients(domain),
            specification,
            offset=offset,
            limit=limit,
            order=order,
            count_limit=count_limit,
        )
