# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Credit hold: a step of the confirmation (key_account_contract's ``action_confirm``).

Every path that confirms an order (the form, the review pool, the background
job, imports, the portal) runs the steps of
``sale.order._key_account_confirm_steps`` (key_account_contract's
``action_confirm``); the credit step, the last one, refuses orders of a
contract when

* open receivables (posted, unpaid residual of the customer in the company)
  + confirmed orders not invoiced yet + the orders being confirmed exceed the
  contract's credit limit (0 = no limit), all tax included, in the contract's
  currency; or
* an invoice of the customer is overdue for more days than the contract's
  grace period.

Concurrency: the customer's row is updated inside the check. Odoo runs in
REPEATABLE READ: a second transaction checking the same customer waits for
the first and then fails with a serialization error (a plain ``SELECT ...
FOR UPDATE`` would let it go on with its old snapshot, blind to the order the
first one confirmed); Odoo (requests) and queue_job (jobs) retry it, and the
retry sees the first order.

A Key Account Manager releases one order with a reason: the release covers
the order's next confirmation, as long as its total does not grow above the
released total; once the order is confirmed the release is used up (kept on
the order and in the chatter for the record).
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, float_compare, format_amount, format_date


class SaleOrder(models.Model):
    _inherit = "sale.order"

    key_account_credit_hold = fields.Text(
        string="Credit Hold",
        compute="_compute_key_account_credit_hold",
        help="Why the order would be refused if confirmed now: over the credit "
        "limit of its contract, or invoices of the customer overdue.",
    )
    key_account_credit_release_reason = fields.Text(
        string="Credit Hold Release Reason",
        readonly=True,
        copy=False,
        help="Why a Key Account Manager let this order pass the credit hold.",
    )
    key_account_credit_release_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Credit Hold Released By",
        readonly=True,
        copy=False,
    )
    key_account_credit_release_date = fields.Datetime(
        string="Credit Hold Released On", readonly=True, copy=False
    )
    key_account_credit_release_amount = fields.Monetary(
        string="Released Total",
        readonly=True,
        copy=False,
        help="Total of the order when the credit hold was released: the release "
        "no longer applies if the order grows above it.",
    )
    key_account_credit_release_used = fields.Boolean(
        string="Credit Hold Release Used",
        readonly=True,
        copy=False,
        help="The order was confirmed with the release: a new confirmation (after "
        "a cancellation) passes the credit hold again.",
    )

    # ------------------------------------------------------------------
    # Guard: the release is written only by action_key_account_credit_release
    # ------------------------------------------------------------------
    def _key_account_workflow_fields(self):
        fields_ = super()._key_account_workflow_fields()
        fields_.update(
            {
                "key_account_credit_release_reason": False,
                "key_account_credit_release_user_id": False,
                "key_account_credit_release_date": False,
                "key_account_credit_release_amount": 0.0,
                "key_account_credit_release_used": False,
            }
        )
        return fields_

    # ------------------------------------------------------------------
    # Confirmation step "credit" (the last one)
    # ------------------------------------------------------------------
    @api.model
    def _key_account_confirm_steps(self):
        return self._key_account_insert_confirm_steps(
            super()._key_account_confirm_steps(),
            [("credit", "_key_account_check_credit", "_key_account_credit_reasons")],
        )

    def _key_account_credit_reasons(self):
        """{order: [reasons]} for the orders of ``self`` on credit hold, each
        judged alone (no lock; see ``_key_account_credit_hold_reasons``)."""
        return {
            order: [reason]
            for order, reason in self._key_account_credit_hold_reasons(
                together=False
            ).items()
        }

    def _key_account_credit_released(self):
        """The orders of ``self`` a manager released for this confirmation."""
        return self.filtered(
            lambda o: (
                o.key_account_credit_release_reason
                and not o.key_account_credit_release_used
                and float_compare(
                    o.amount_total,
                    o.key_account_credit_release_amount,
                    precision_rounding=o.currency_id.rounding,
                )
                <= 0
            )
        )

    def _key_account_credit_orders(self):
        """The orders of ``self`` the credit hold applies to."""
        return (
            self.filtered(
                lambda o: o.key_account_contract_id and o.state in ("draft", "sent")
            )
            - self._key_account_credit_released()
        )

    def _key_account_check_credit(self):
        """Pipeline step: refuse the first order of ``self`` on credit hold,
        the orders of ``self`` counting together."""
        orders = self._key_account_credit_orders()
        if not orders:
            return
        self._key_account_lock_credit_partners(orders.partner_id.commercial_partner_id)
        reasons = orders._key_account_credit_hold_reasons()
        if reasons:
            raise UserError(next(iter(reasons.values())))

    def _key_account_credit_hold_reasons(self, together=True):
        """{order: why it is held} for the orders of ``self`` on credit hold
        (no lock: the pipeline step locks first). ``together``: each order
        counts the orders of ``self`` before it, as when they are confirmed
        together; else each order is judged alone (the form's warning).

        What the customer owes comes from ``key.account.customer.balance``,
        as the contract's credit available: an order is held when its total
        exceeds the contract's credit available."""
        reasons = {}
        orders = self._key_account_credit_orders()
        if not orders:
            return reasons
        credit = orders._key_account_credit_exposure()
        today = fields.Date.context_today(self)
        # orders of self already counted, per (customer, company), in company
        # currency
        pending = defaultdict(float)
        for order in orders:
            contract = order.key_account_contract_id
            partner = order.partner_id.commercial_partner_id
            company = order.company_id
            key = (partner.id, company.id)
            figures = credit[contract.id]
            oldest = figures["oldest_due"]
            grace = contract.credit_overdue_grace_days
            if oldest and (today - oldest).days > grace:
                reasons[order] = self.env._(
                    "Order %(order)s is on credit hold: %(customer)s has "
                    "%(overdue)s overdue, the oldest invoice due on %(due)s "
                    "(%(days)s days ago; contract %(contract)s allows "
                    "%(grace)s days). Ask the customer to pay, or ask a Key "
                    "Account Manager to release the order with a reason.",
                    order=order.name,
                    customer=partner.display_name,
                    overdue=format_amount(
                        self.env, figures["overdue"], company.currency_id
                    ),
                    due=format_date(self.env, oldest),
                    days=(today - oldest).days,
                    contract=contract.name,
                    grace=grace,
                )
                continue
            if not contract.credit_limit:
                continue
            currency = contract.currency_id
            own = order.currency_id._convert(
                order.amount_total, company.currency_id, company, today, round=False
            )
            before = pending[key]
            if together:
                pending[key] += own
            amount = company.currency_id._convert(
                before + own, currency, company, today, round=False
            )
            total = figures["exposure"] + amount
            if (
                float_compare(
                    total, contract.credit_limit, precision_rounding=currency.rounding
                )
                > 0
            ):
                reasons[order] = self.env._(
                    "Order %(order)s is on credit hold: with it, %(customer)s "
                    "would owe %(total)s (open invoices %(receivable)s, "
                    "confirmed orders not invoiced %(uninvoiced)s, orders "
                    "being confirmed %(amount)s), over the credit limit of "
                    "%(limit)s of contract %(contract)s. Ask the customer to "
                    "pay, reduce the order, or ask a Key Account Manager to "
                    "release it with a reason.",
                    order=order.name,
                    customer=partner.display_name,
                    total=format_amount(self.env, total, currency),
                    receivable=format_amount(self.env, figures["receivable"], currency),
                    uninvoiced=format_amount(self.env, figures["uninvoiced"], currency),
                    amount=format_amount(self.env, amount, currency),
                    limit=format_amount(self.env, contract.credit_limit, currency),
                    contract=contract.name,
                )
        return reasons

    @api.depends(
        "state",
        "amount_total",
        "currency_id",
        "partner_id",
        "company_id",
        "key_account_contract_id.credit_limit",
        "key_account_contract_id.credit_overdue_grace_days",
        "key_account_credit_release_reason",
        "key_account_credit_release_used",
        "key_account_credit_release_amount",
    )
    def _compute_key_account_credit_hold(self):
        """The form's warning: would the order be held if confirmed now
        (alone)? Two queries for all the orders."""
        reasons = self._key_account_credit_hold_reasons(together=False)
        for order in self:
            order.key_account_credit_hold = reasons.get(order, False)

    def _key_account_lock_credit_partners(self, partners):
        """Serialize the credit checks of ``partners`` (see the module doc):
        lock the rows in a fixed order, and update them so that a concurrent
        REPEATABLE READ transaction cannot pass on its old snapshot."""
        self.env.cr.execute(
            SQL(
                """UPDATE res_partner SET write_date = write_date
                    WHERE id IN (SELECT id FROM res_partner WHERE id IN %s
                                 ORDER BY id FOR NO KEY UPDATE)""",
                tuple(partners.ids),
            )
        )

    def _key_account_credit_exposure(self):
        """The credit position of the contracts of the orders of ``self``,
        read from ``key.account.customer.balance`` (as the contract's credit
        available): {contract id: {"receivable", "uninvoiced", "exposure",
        "credit_available" (contract currency), "overdue", "oldest_due"}}.
        The orders of ``self`` are not counted. Two queries for all."""
        return self.env["key.account.customer.balance"]._get_contract_credit(
            self.key_account_contract_id, exclude_orders=self
        )

    # ------------------------------------------------------------------
    # Release by a Key Account Manager
    # ------------------------------------------------------------------
    def action_key_account_credit_release(self, reason):
        """Let the orders of ``self`` pass the credit hold at their next
        confirmation, as long as their total does not grow (managers only)."""
        if not self._key_account_is_manager():
            raise AccessError(
                self.env._(
                    "Only Key Account Managers can release orders from the credit "
                    "hold (%(orders)s).",
                    orders=", ".join(self.mapped("name")),
                )
            )
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "Give the reason for releasing the credit hold: it is kept on "
                    "the order and in its history."
                )
            )
        self.check_access("write")
        wrong = self.filtered(lambda o: o.state not in ("draft", "sent"))
        if wrong:
            raise UserError(
                self.env._(
                    "Only quotations can be released from the credit hold: "
                    "%(orders)s is already confirmed or cancelled.",
                    orders=", ".join(wrong.mapped("name")),
                )
            )
        now = fields.Datetime.now()
        for order in self:
            order._key_account_write_workflow(
                {
                    "key_account_credit_release_reason": reason,
                    "key_account_credit_release_user_id": self.env.user.id,
                    "key_account_credit_release_date": now,
                    "key_account_credit_release_amount": order.amount_total,
                    "key_account_credit_release_used": False,
                }
            )
            order.message_post(
                body=self.env._(
                    "Credit hold released by %(user)s for a total up to %(amount)s: "
                    "%(reason)s",
                    user=self.env.user.name,
                    amount=format_amount(
                        self.env, order.amount_total, order.currency_id
                    ),
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _action_confirm(self):
        # A release covers one confirmation: confirmed, the order used it.
        released = self.filtered(
            lambda o: (
                o.key_account_credit_release_reason
                and not o.key_account_credit_release_used
            )
        )
        if released:
            released._key_account_write_workflow(
                {"key_account_credit_release_used": True}
            )
        return super()._action_confirm()
