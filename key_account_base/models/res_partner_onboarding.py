# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The onboarding review of a key account: its status, the transitions
between statuses and the checks a reviewer makes.

The review methods (``action_key_account_*``) are the only way to change the
status: ``res.partner.write``/``create`` refuse a status change for anyone
but the superuser (see ``res_partner.py``), and the methods, once they have
checked the user's rights, write the status as superuser.
"""

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

KEY_ACCOUNT_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("suspended", "Suspended"),
]

# States in which a manager has the account's data under review or approved.
REVIEWED_STATES = ("submitted", "approved", "suspended")

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
    # The guard mixin gives the rights helper (_key_account_is_manager); it
    # guards no partner field (_key_account_guarded_fields stays empty): the
    # review status has its own rules (res_partner.py).
    _name = "res.partner"
    _inherit = ("res.partner", "key.account.guard.mixin")

    key_account_state = fields.Selection(
        selection=KEY_ACCOUNT_STATES,
        string="Review Status",
        index=True,
        copy=False,
        tracking=True,
        help="Onboarding review status of the key account. Only approved key "
        "accounts can sign contracts and place key-account orders.",
    )
    key_account_reject_reason = fields.Text(
        string="Rejection Reason", copy=False, tracking=True
    )

    def _key_account_is_reviewed(self):
        """Whether ``self`` is a key account under review or reviewed."""
        self.ensure_one()
        return self.is_key_account and self.key_account_state in REVIEWED_STATES

    # ------------------------------------------------------------------
    # Checks of a transition
    # ------------------------------------------------------------------
    def _key_account_check_transition(self, new_state, vals):
        """Refuse a review status change the current user may not make, or
        that the data does not allow (raises one error for the batch)."""
        labels = dict(
            self._fields["key_account_state"]._description_selection(self.env)
        )
        manager = self._key_account_is_manager()
        for partner in self:
            old_state = partner.key_account_state or "draft"
            if not partner.is_key_account:
                raise UserError(
                    self.env._(
                        "%(partner)s is not a key account: it has no review status.",
                        partner=partner.display_name,
                    )
                )
            transition = (old_state, new_state)
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
            raise UserError(
                self.env._(
                    "Give the reason for rejecting %(partners)s.",
                    partners=", ".join(self.mapped("display_name")),
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

    # ------------------------------------------------------------------
    # Review methods: the only writers of the status
    # ------------------------------------------------------------------
    def _key_account_transition(self, new_state, message, extra_vals=None):
        vals = {"key_account_state": new_state, **(extra_vals or {})}
        self._key_account_check_transition(new_state, vals)
        # the user must be allowed to edit these partners at all
        self.check_access("write")
        self.sudo().write(vals)
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
