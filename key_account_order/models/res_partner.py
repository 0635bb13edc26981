# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

from ..tools.recipient_parsing import RECIPIENT_KEY_VERSION, recipient_key

_logger = logging.getLogger(__name__)

# Context key that lets recipients appear in partner searches and lists.
SHOW_RECIPIENTS = "key_account_show_recipients"
# Context of the recipients' creation: hidden delivery contacts, created by
# thousands, get no "contact created" message, no follower and no tracking.
RECIPIENT_CREATE_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "_partners_skip_fields_sync": True,
}
# Fields the recipient key is computed from.
RECIPIENT_KEY_FIELDS = (
    "name",
    "phone",
    "mobile",
    "state_id",
    "city",
    "key_account_district",
    "street",
    "street2",
)


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
        compute="_compute_key_account_recipient_key",
        store=True,
        # Computed before the INSERT, and not again when given (the recipient
        # import computes it for its lookup anyway).
        precompute=True,
        index=True,
        copy=False,
        readonly=True,
        help="Normalised name, phone and address; a customer has one recipient "
        "per key.",
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
            (
                "A customer has only one recipient with the same name, phone "
                "and address."
            ),
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
    @api.depends("key_account_recipient", *RECIPIENT_KEY_FIELDS)
    def _compute_key_account_recipient_key(self):
        for partner in self:
            if not partner.key_account_recipient:
                partner.key_account_recipient_key = False
                continue
            partner.key_account_recipient_key = self._key_account_recipient_key(
                {name: partner[name] for name in RECIPIENT_KEY_FIELDS}
            )

    @api.model
    def _key_account_recipient_key(self, vals):
        """Key identifying a recipient of a customer: name, phone and
        address, normalised (see ``tools/recipient_parsing.recipient_key``)."""
        state = vals.get("state_id") or ""
        if isinstance(state, models.BaseModel):
            state = state.id
        return recipient_key(
            vals.get("name"),
            vals.get("phone") or vals.get("mobile"),
            state,
            vals.get("city"),
            vals.get("key_account_district"),
            vals.get("street"),
            vals.get("street2"),
        )

    def init(self):
        result = super().init()
        self._key_account_recompute_recipient_keys()
        return result

    @api.model
    def _key_account_recompute_recipient_keys(self):
        """Recompute the recipient keys of an older format (phone and address
        only, before the name was part of the key), on every install or update
        of the module: no migration script, and a no-op once done.

        Plain SQL: it runs while the registry loads. A recipient whose new key
        is already taken by another recipient of the same customer keeps its
        old key (it stays distinct; merging people is a human decision)."""
        cr = self.env.cr
        current = f"{RECIPIENT_KEY_VERSION}|%"
        cr.execute(
            SQL(
                """
                SELECT id, parent_id, name, phone, mobile, state_id, city,
                       key_account_district, street, street2
                  FROM res_partner
                 WHERE key_account_recipient
                   AND (key_account_recipient_key IS NULL
                        OR key_account_recipient_key NOT LIKE %s)
                """,
                current,
            )
        )
        rows = cr.fetchall()
        if not rows:
            return
        cr.execute(
            SQL(
                """
                SELECT parent_id, key_account_recipient_key
                  FROM res_partner
                 WHERE parent_id = ANY(%s) AND key_account_recipient_key LIKE %s
                """,
                list({row[1] for row in rows}),
                current,
            )
        )
        taken = set(cr.fetchall())
        updates = []
        for partner_id, parent_id, *values in rows:
            key = recipient_key(values[0], values[1] or values[2], *values[3:])
            if (parent_id, key) in taken:
                _logger.warning(
                    "Recipient %s keeps its old key: another recipient of the "
                    "same customer has the same name, phone and address.",
                    partner_id,
                )
                continue
            taken.add((parent_id, key))
            updates.append((partner_id, key))
        for start in range(0, len(updates), 1000):
            cr.execute(
                SQL(
                    """
                    UPDATE res_partner
                       SET key_account_recipient_key = data.key
                      FROM (VALUES %s) AS data(id, key)
                     WHERE res_partner.id = data.id
                    """,
                    SQL(", ").join(
                        SQL("(%s, %s)", partner_id, key)
                        for partner_id, key in updates[start : start + 1000]
                    ),
                )
            )
        _logger.info("Recomputed %s recipient key(s).", len(updates))
        self.env.invalidate_all()

    @api.model
    def _key_account_get_or_create_recipients(self, customer, vals_list):
        """Return the recipients of ``customer`` for ``vals_list``, in order.

        Each dict holds a recipient's name, phone and address (``state_id``,
        ``city``, ``key_account_district``, ``street``...). Recipients are
        de-duplicated by normalised name, phone and address: the customer's
        existing recipient is reused, rows of the list with the same key share
        one new recipient. One search and one create whatever the number of
        rows.
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
                # Stored computed fields given as the compute would set them:
                # no UPDATE of every new recipient after its INSERT.
                "commercial_partner_id": customer.id,
                "commercial_company_name": customer.is_company and customer.name,
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
            customer._key_account_lock_recipients()
            new = Partner.with_context(**RECIPIENT_CREATE_CONTEXT).create(create_vals)
            new.sudo()._company_dependent_commercial_sync()
            found.update(zip(new_keys, new.ids, strict=True))
        return self.browse([found[key] for key in keys])

    def _key_account_lock_recipients(self):
        """Serialize the recipient creations of these customers (and the
        portal's order creations): the rows are updated, so that a concurrent
        REPEATABLE READ transaction (a second upload of the same list at the
        same moment) waits, then fails with a serialization error, which
        Odoo retries with a snapshot that sees the first one's recipients,
        instead of failing on the recipient unique key."""
        if not self.ids:
            return
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner SET write_date = write_date
                    WHERE id IN (SELECT id FROM res_partner WHERE id IN %s
                                 FOR NO KEY UPDATE)""",
                tuple(self.ids),
            )
        )

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
