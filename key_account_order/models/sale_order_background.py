# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Large key-account orders are confirmed off the request path, one OCA
queue_job job per order.

Who the job runs as: the user who asked for the confirmation when that is an
internal user (their rights and companies apply, as if they had waited); else
(an order approved automatically from the portal) the order's salesperson
when internal and active; else OdooBot. The requester is always recorded on
the order and in the log. Retries: a job that finds the order locked by
another transaction raises ``RetryableJobError`` and is retried later with the
backoff of its job function (``data/queue_job_data.xml``); PostgreSQL
concurrency errors are retried by queue_job itself. A refused confirmation
(the order changed while it waited) marks the order failed with the reason;
an unexpected error fails the job, whose state and error the order shows.
"""

import logging

import psycopg2

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.queue_job.exception import RetryableJobError

_logger = logging.getLogger(__name__)

# Job states in which the job may still run.
JOB_WAITING_STATES = ("wait_dependencies", "pending", "enqueued", "started")
# Context value set by server code (the portal's submission) so that the
# orders it confirms go to the background job. An object, not a flag: a
# client's context (JSON) cannot carry it. It could only send an order to the
# stricter path anyway (the job confirms it again, checks included, as an
# internal user); no context skips a check.
CONFIRM_IN_BACKGROUND = object()


class SaleOrder(models.Model):
    _inherit = "sale.order"

    key_account_confirm_state = fields.Selection(
        selection=[
            ("queued", "Confirmation Queued"),
            ("running", "Being Confirmed"),
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
    key_account_confirm_job_uuid = fields.Char(
        string="Confirmation Job UUID", copy=False, readonly=True
    )
    key_account_confirm_job_id = fields.Many2one(
        comodel_name="queue.job",
        string="Confirmation Job",
        compute="_compute_key_account_confirm_job",
        compute_sudo=True,
    )
    key_account_confirm_job_state = fields.Selection(
        selection=lambda self: self.env["queue.job"]._fields["state"].selection,
        string="Confirmation Job Status",
        compute="_compute_key_account_confirm_job",
        compute_sudo=True,
    )
    key_account_confirm_job_error = fields.Char(
        string="Confirmation Job Error",
        compute="_compute_key_account_confirm_job",
        compute_sudo=True,
    )

    @api.depends("key_account_confirm_job_uuid")
    def _compute_key_account_confirm_job(self):
        uuids = [uuid for uuid in self.mapped("key_account_confirm_job_uuid") if uuid]
        jobs = {}
        if uuids:
            jobs = {
                job.uuid: job
                for job in self.env["queue.job"].sudo().search([("uuid", "in", uuids)])
            }
        for order in self:
            job = jobs.get(order.key_account_confirm_job_uuid)
            order.key_account_confirm_job_id = job
            order.key_account_confirm_job_state = job.state if job else False
            order.key_account_confirm_job_error = (
                job.exc_message if job and job.state == "failed" else False
            )

    def _key_account_confirm_later(self):
        """Confirmation step 2 (see key_account_contract's ``action_confirm``):
        the background orders are queued, their job confirms them."""
        background = self._key_account_background_orders()
        if not background:
            return super()._key_account_confirm_later()
        background._key_account_queue_confirmation()
        return background, background._key_account_queued_notification()

    def _key_account_with_background_confirmation(self):
        """``self`` in an environment whose confirmations all go to the
        background job (the portal submits orders this way)."""
        return self.with_context(
            key_account_confirm_in_background=CONFIRM_IN_BACKGROUND
        )

    def _key_account_background_orders(self):
        """The orders of ``self`` to confirm in the background, unless the
        background job itself is confirming them: all of them in a portal
        user's request or under ``_key_account_with_background_confirmation``
        (the job runs as an internal user: see the module doc), else those
        allocated over at least their company's threshold of recipients."""
        waiting = self.filtered(lambda o: o.key_account_confirm_state != "running")
        if (
            self.env.context.get("key_account_confirm_in_background")
            is CONFIRM_IN_BACKGROUND
            or self.env.user.share
        ):
            return waiting
        candidates = waiting.filtered(
            lambda o: o.company_id.key_account_background_threshold > 0
        )
        if not candidates:
            return self.browse()
        counts = dict(
            self.env["key.account.allocation"]
            .sudo()
            ._read_group(
                [("order_id", "in", candidates.ids)],
                groupby=["order_id"],
                aggregates=["__count"],
            )
        )
        return candidates.filtered(
            lambda o: counts.get(o, 0) >= o.company_id.key_account_background_threshold
        )

    def _action_cancel(self):
        # A cancelled order leaves the queue (its job finds nothing to do).
        self.filtered("key_account_confirm_state")._key_account_write_workflow(
            {"key_account_confirm_state": False, "key_account_confirm_error": False}
        )
        return super()._action_cancel()

    def _key_account_queued_notification(self):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.env._("Confirmation queued"),
                "message": self.env._(
                    "%(orders)s will be confirmed in the background; the result "
                    "is posted on the order.",
                    orders=", ".join(self.mapped("name")),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _key_account_confirm_executor(self):
        """The internal user the job of this order runs as (see module doc)."""
        self.ensure_one()
        requester = self.env.user
        for user in (requester, self.user_id):
            if user and user.active and not user.share:
                return user
        return self.env["res.users"].browse(SUPERUSER_ID)

    def _key_account_queue_confirmation(self):
        """Queue the confirmation of ``self`` (already checked by the
        pipeline): one job per order, so one failing order never blocks the
        others."""
        waiting = self.filtered(
            lambda o: (
                o.key_account_confirm_state == "queued"
                and o.key_account_confirm_job_state in JOB_WAITING_STATES + (False,)
            )
        )
        if waiting:
            raise UserError(
                self.env._(
                    "The confirmation of %(orders)s is already queued: wait for "
                    "its result on the order.",
                    orders=", ".join(waiting.mapped("name")),
                )
            )
        for order in self:
            error = order._confirmation_error_message()
            if error:
                raise UserError(error)
        self.check_access("write")
        requester = self.env.user
        for order in self:
            # Queued before the job exists: with queue_job's no-delay mode
            # (tests, scripts) the job runs inside ``with_delay``.
            order._key_account_write_workflow(
                {
                    "key_account_confirm_state": "queued",
                    "key_account_confirm_error": False,
                    "key_account_confirm_user_id": requester.id,
                    "key_account_confirm_job_uuid": False,
                }
            )
            order.message_post(
                body=self.env._(
                    "Confirmation queued by %(user)s: the deliveries of the "
                    "recipients are created in the background.",
                    user=requester.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
            executor = order._key_account_confirm_executor()
            job = (
                order.with_user(executor)
                .with_company(order.company_id)
                .with_delay(
                    description=self.env._(
                        "Confirm key-account order %(order)s", order=order.name
                    ),
                )
                ._key_account_confirm_job(requester.id)
            )
            uuid = getattr(job, "uuid", False)
            if uuid:
                order._key_account_write_workflow(
                    {"key_account_confirm_job_uuid": uuid}
                )

    def _key_account_confirm_job(self, requester_id):
        """Job: confirm this queued order through the whole pipeline (checks
        again: the order may have changed while it waited).

        Runs as the executor chosen when it was queued; ``requester_id`` is
        the user who asked, told of the result.
        """
        self.ensure_one()
        requester = self.env["res.users"].sudo().browse(requester_id).exists()
        try:
            self._key_account_lock_for_confirmation()
        except UserError as error:
            raise RetryableJobError(
                str(error.args[0]), seconds=None, ignore_retry=False
            ) from None
        if self.key_account_confirm_state != "queued" or self.state not in (
            "draft",
            "sent",
        ):
            return self.env._(
                "Nothing to do: %(order)s is no longer waiting for confirmation.",
                order=self.name,
            )
        _logger.info(
            "Confirming %s in the background for %s, as %s",
            self.name,
            requester.login if requester else "?",
            self.env.user.login,
        )
        self._key_account_write_workflow({"key_account_confirm_state": "running"})
        error = None
        try:
            with self.env.cr.savepoint():
                self.action_confirm()
        except (UserError, ValidationError) as exc:
            error = exc.args[0] if exc.args else str(exc)
        except (psycopg2.OperationalError, RetryableJobError):
            raise  # concurrent update, lock...: queue_job retries later
        self.env.invalidate_all()
        if error:
            self._key_account_confirm_failed(error, requester)
            return error
        self._key_account_write_workflow(
            {"key_account_confirm_state": False, "key_account_confirm_error": False}
        )
        self.message_post(
            body=self.env._(
                "Order confirmed in the background: %(count)s deliveries.",
                count=len(self.picking_ids),
            ),
            partner_ids=requester.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        return self.env._("%(order)s confirmed.", order=self.name)

    def _key_account_confirm_failed(self, error, requester):
        self._key_account_write_workflow(
            {"key_account_confirm_state": "failed", "key_account_confirm_error": error}
        )
        self.message_post(
            body=self.env._("The order could not be confirmed: %(error)s", error=error),
            partner_ids=requester.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        if requester and not requester.share:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_warning",
                user_id=requester.id,
                summary=self.env._("Background confirmation failed"),
                note=error,
            )
