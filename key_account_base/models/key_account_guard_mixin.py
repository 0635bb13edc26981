# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Guards in one place: the fields of a model that only its own methods
write, the check of every user's create and write, the rights and state
helpers. A model adds ``key.account.guard.mixin`` to its ``_inherit`` and
says which fields it guards (``_key_account_guarded_fields``) and, if it
wants its own words, the error (``_key_account_guard_error``). Its methods
write those fields through ``_key_account_write_guarded`` (after their own
rights checks). Views marking a field read-only and context keys are no
control: RPC reaches every field."""

from odoo import api, models
from odoo.exceptions import AccessError, UserError

MANAGER_GROUP = "key_account_base.key_account_group_manager"
# A guarded field no user may give, not even when creating a record.
NOT_ON_CREATE = object()


class KeyAccountGuardMixin(models.AbstractModel):
    _name = "key.account.guard.mixin"
    _description = "Key Account Guarded Fields"

    @api.model
    def _key_account_guarded_fields(self):
        """{field name: the value a new record may carry, or NOT_ON_CREATE}:
        the fields only the model's own methods write."""
        return {}

    @api.model
    def _key_account_field_labels(self, names):
        return ", ".join(
            self._fields[name].get_description(self.env)["string"] for name in names
        )

    def _key_account_guard_error(self, names):
        """The error for a user writing the guarded fields ``names``."""
        return AccessError(
            self.env._(
                "%(fields)s of %(model)s are set by its own actions and cannot be "
                "written directly.",
                fields=self._key_account_field_labels(names),
                model=self._description,
            )
        )

    def _key_account_check_guarded_vals(self, vals_list, creating=False):
        """Refuse guarded fields in ``vals_list`` (anyone but the superuser):
        on creation, a guarded field may only carry its initial value."""
        if self.env.su:
            return
        guarded = self._key_account_guarded_fields()
        if not guarded:
            return
        forged = sorted(
            {
                name
                for vals in vals_list
                for name, value in vals.items()
                if name in guarded
                and not (
                    creating
                    and guarded[name] is not NOT_ON_CREATE
                    and (value or False) == guarded[name]
                )
            }
        )
        if forged:
            raise self._key_account_guard_error(forged)

    @api.model_create_multi
    def create(self, vals_list):
        self._key_account_check_guarded_vals(vals_list, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._key_account_check_guarded_vals([vals])
        return super().write(vals)

    def _key_account_write_guarded(self, vals):
        """The model's own path to its guarded fields (after its checks)."""
        return self.sudo().write(vals)

    @api.model
    def _key_account_is_manager(self):
        """The current user is a Key Account Manager (or the superuser)."""
        return self.env.su or self.env.user.has_group(MANAGER_GROUP)

    def _key_account_check_state(self, allowed, action, fname="state"):
        """Refuse ``action`` unless every record of ``self`` is in one of the
        states ``allowed`` (of the selection field ``fname``)."""
        wrong = self.filtered(lambda record: record[fname] not in allowed)
        if wrong:
            raise UserError(wrong[0]._key_account_state_error(action, fname))

    def _key_account_state_error(self, action, fname):
        self.ensure_one()
        states = dict(self._fields[fname]._description_selection(self.env))
        return self.env._(
            "%(action)s is not possible for %(record)s in status %(state)s.",
            action=action,
            record=self.display_name,
            state=states[self[fname]],
        )
