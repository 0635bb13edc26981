# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

CRON_XMLID = "key_account_order.ir_cron_key_account_confirm"


class ResCompany(models.Model):
    _inherit = "res.company"

    key_account_background_threshold = fields.Integer(
        string="Confirm in Background From",
        default=2000,
        help="Orders allocated over at least this many recipients are confirmed "
        "by a background job instead of in the user's request (thousands of "
        "deliveries take minutes). 0 confirms every order at once.",
    )


class SaleOrder(models.Model):
    """Large key-account orders are confirmed off the request path.

    Loaded before the other sale.order extensions of this module, so that
    their checks (review pool, allocation sums) run before an order is
    queued, and again when the job confirms it.
    """

    _inherit = "sale.order"

    key_account_confirm_state = fields.Selection(
        selection=[
            ("queued", "Confirmation Queued"),
            ("failed", "Confirmation Failed"),
        ],
        string="Background Confirmation",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    key_account_confirm_error = fields.Text(
        string="Confirmation Error", copy=False, readonly=True
    )
    key_account_confirm_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Confirmation Requested By",
        copy=False,
        readonly=True,
    )

    def _key_account_background_orders(self):
        """The orders of ``self`` to confirm in the background: allocated
        over at least their company's threshold of recipients."""
        if self.env.context.get("key_account_confirm_now"):
            return self.browse()
        candidates = self.filtered(
            lambda o: o.company_id.key_account_background_threshold > 0
        )
        if not candidates:
            return self.browse()
        counts = dict(
            self.env["key.account.allocation"]._read_group(
                [("order_id", "in", candidates.ids)],
                groupby=["order_id"],
                aggregates=["__count"],
            )
        )
        return candidates.filtered(
            lambda o: counts.get(o, 0) >= o.company_id.key_account_background_threshold
        )

    def action_confirm(self):
        background = self._key_account_background_orders()
        if not background:
            return super().action_confirm()
        background._key_account_queue_confirmation()
        rest = self - background
        if rest:
            super(SaleOrder, rest).action_confirm()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.env._("Confirmation queued"),
                "message": self.env._(
                    "%(orders)s will be confirmed in the background; the result "
                    "is posted on the order.",
                    orders=", ".join(background.mapped("name")),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _action_cancel(self):
        # A cancelled order leaves the queue.
        self.filtered("key_account_confirm_state").write(
            {"key_account_confirm_state": False, "key_account_confirm_error": False}
        )
        return super()._action_cancel()

    def _key_account_queue_confirmation(self):
        """Check what can be checked now, then queue the confirmation."""
        queued = self.filtered(lambda o: o.key_account_confirm_state == "queued")
        if queued:
            raise UserError(
                self.env._(
                    "The confirmation of %(orders)s is already queued: wait for "
                    "its result on the order.",
                    orders=", ".join(queued.mapped("name")),
                )
            )
        for order in self:
            error = order._confirmation_error_message()
            if error:
                raise UserError(error)
        self._key_account_check_contract()
        self.check_access("write")
        self.write(
            {
                "key_account_confirm_state": "queued",
                "key_account_confirm_error": False,
                "key_account_confirm_user_id": self.env.uid,
            }
        )
        for order in self:
            order.message_post(
                body=self.env._(
                    "Confirmation queued by %(user)s: the deliveries of the "
                    "recipients are created in the background.",
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        self.env.ref(CRON_XMLID).sudo()._trigger()

    @api.model
    def _cron_key_account_confirm(self, limit=5, auto_commit=True):
        """Confirm queued orders, each in its own savepoint (and transaction
        when ``auto_commit``), as the user who asked for it. A refused
        confirmation marks the order failed and tells that user why."""
        orders = self.search(
            [("key_account_confirm_state", "=", "queued")], order="id", limit=limit
        )
        for order in orders:
            order._key_account_confirm_queued()
            if auto_commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        if self.search_count([("key_account_confirm_state", "=", "queued")]):
            self.env.ref(CRON_XMLID).sudo()._trigger()
        return True

    def _key_account_confirm_queued(self):
        self.ensure_one()
        user = self.key_account_confirm_user_id or self.user_id or self.env.user
        order = (
            self.with_user(user)
            .with_company(self.company_id)
            .with_context(key_account_confirm_now=True)
        )
        error = None
        try:
            with self.env.cr.savepoint():
                order.action_confirm()
        except UserError as exc:
            error = exc.args[0] if exc.args else str(exc)
        except psycopg2.OperationalError:
            raise  # concurrent update, lock...: the cron tries again later
        except Exception as exc:
            _logger.exception("Background confirmation of %s failed", self.name)
            error = self.env._(
                "Technical error: %(error)s. Ask your administrator to check the "
                "server log, then confirm the order again.",
                error=str(exc),
            )
        self.env.invalidate_all()
        if error:
            self.write(
                {
                    "key_account_confirm_state": "failed",
                    "key_account_confirm_error": error,
                }
            )
            self.message_post(
                body=self.env._(
                    "The order could not be confirmed: %(error)s", error=error
                ),
                partner_ids=user.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
            self.activity_schedule(
                "mail.mail_activity_data_warning",
                user_id=user.id,
                summary=self.env._("Background confirmation failed"),
                note=error,
            )
            return False
        self.write(
            {"key_account_confirm_state": False, "key_account_confirm_error": False}
        )
        self.message_post(
            body=self.env._(
                "Order confirmed in the background: %(count)s deliveries.",
                count=len(self.picking_ids),
            ),
            partner_ids=user.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        return True
