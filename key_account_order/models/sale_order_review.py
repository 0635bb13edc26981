# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

# Who may approve or send back an order in the review pool: the dedicated
# approver group, which Key Account Managers imply. A salesman (or a Key
# Account User) prepares orders but does not approve them; portal users (the
# customer) never can, even when the portal calls these methods through sudo().
REVIEW_GROUP = "key_account_order.key_account_order_group_approver"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    key_account_is_key_account = fields.Boolean(
        related="partner_id.commercial_partner_id.is_key_account",
        string="Key Account Order",
    )
    key_account_acceptance_total = fields.Integer(
        string="Recipient Deliveries",
        compute="_compute_key_account_acceptance",
        help="Recipient allocations of the order.",
    )
    key_account_acceptance_done = fields.Integer(
        string="Accepted Deliveries",
        compute="_compute_key_account_acceptance",
    )
    key_account_acceptance_discrepancy = fields.Integer(
        string="Deliveries with Discrepancy",
        compute="_compute_key_account_acceptance",
    )
    key_account_acceptance_progress = fields.Float(
        string="Acceptance Progress",
        compute="_compute_key_account_acceptance",
        help="Share of the recipient deliveries the customer has accepted, in %.",
    )
    key_account_has_discrepancy = fields.Boolean(
        string="Has Delivery Discrepancy",
        compute="_compute_key_account_acceptance",
        search="_search_key_account_has_discrepancy",
    )
    key_account_confirm_blockers = fields.Text(
        string="Confirmation Blockers",
        compute="_compute_key_account_confirm_blockers",
        help="Why the quotation would be refused if it were approved or "
        "confirmed now (contract, recipient allocations, credit...).",
    )

    @api.depends("key_account_allocation_ids.acceptance_state")
    def _compute_key_account_acceptance(self):
        counts = {}
        if self.ids:
            groups = self.env["key.account.allocation"]._read_group(
                [("order_id", "in", self.ids)],
                groupby=["order_id", "acceptance_state"],
                aggregates=["__count"],
            )
            for order, state, count in groups:
                counts.setdefault(order.id, {})[state] = count
        for order in self:
            by_state = counts.get(order.id, {})
            total = sum(by_state.values())
            accepted = by_state.get("accepted", 0)
            order.key_account_acceptance_total = total
            order.key_account_acceptance_done = accepted
            order.key_account_acceptance_discrepancy = by_state.get("discrepancy", 0)
            order.key_account_acceptance_progress = (
                100.0 * accepted / total if total else 0.0
            )
            order.key_account_has_discrepancy = bool(by_state.get("discrepancy"))

    def _search_key_account_has_discrepancy(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on discrepancies."))
        orders = (
            self.env["key.account.allocation"]
            ._search([("acceptance_state", "=", "discrepancy")])
            .subselect("order_id")
        )
        positive = (operator == "=") == bool(value)
        return [("id", "in" if positive else "not in", orders)]

    def action_key_account_view_acceptance(self):
        self.ensure_one()
        action = self.action_key_account_view_allocations()
        action["context"] = {
            "key_account_show_recipients": True,
        }
        return action

    # ------------------------------------------------------------------
    # Review pool
    # ------------------------------------------------------------------
    def _key_account_check_review_rights(self):
        if not self.env.user.has_group(REVIEW_GROUP):
            raise AccessError(
                self.env._(
                    "Only order approvers (Key Account Managers or members of the "
                    "Key Account Order Approver group) can approve or send back "
                    "orders in the review pool."
                )
            )

    def action_key_account_submit_review(self):
        """Put quotations in the review pool (called by the customer portal).

        With automatic approval on for the company, orders within their
        contract and credit with complete recipient allocations are approved
        and confirmed at once; the others wait with a note saying why.
        """
        self.check_access("write")
        for order in self:
            if order.state not in ("draft", "sent"):
                raise UserError(
                    self.env._(
                        "Only a quotation can be submitted for review: %(order)s is "
                        "already confirmed or cancelled.",
                        order=order.name,
                    )
                )
            if order.key_account_review_state == "pending":
                raise UserError(
                    self.env._(
                        "%(order)s is already waiting for review.", order=order.name
                    )
                )
            if not order.order_line.filtered(lambda line: not line.display_type):
                raise UserError(
                    self.env._(
                        "%(order)s has no products: add what you order before "
                        "submitting it.",
                        order=order.name,
                    )
                )
        self._key_account_write_workflow(
            {"key_account_review_state": "pending", "key_account_review_note": False}
        )
        for order in self:
            order.message_post(
                body=self.env._("Order submitted for review."),
                subtype_xmlid="mail.mt_note",
            )
        auto = self.filtered("company_id.key_account_review_auto_approve")
        if auto:
            auto._key_account_review_auto_approve()
        return True

    def _key_account_review_blockers(self):
        """Why each order cannot be approved automatically: {order: [reasons]}:
        the reasons of the confirmation steps (``_key_account_confirm_reasons``,
        the review gate left out: what approving would run into), an order
        without contract, and, where no credit step is installed
        (key_account_settlement adds one), the contract's credit available."""
        blockers = self._key_account_confirm_reasons(skip=("review_gate",))
        credit_step = any(
            step[0] == "credit" for step in self._key_account_confirm_steps()
        )
        for order in self:
            reasons = blockers[order]
            contract = order.key_account_contract_id
            if not contract:
                reasons.append(self.env._("the order has no contract"))
            elif (
                not credit_step
                and not contract.credit_unlimited
                and float_compare(
                    # The credit is counted in the contract's currency.
                    order.currency_id._convert(
                        order.amount_total,
                        contract.currency_id,
                        order.company_id,
                        fields.Date.context_today(order),
                    ),
                    contract.credit_available,
                    precision_rounding=contract.currency_id.rounding,
                )
                > 0
            ):
                reasons.append(
                    self.env._(
                        "the order total exceeds the credit available on contract "
                        "%(contract)s",
                        contract=contract.name,
                    )
                )
        return blockers

    def _key_account_review_auto_approve(self):
        for order, reasons in self._key_account_review_blockers().items():
            if not reasons:
                try:
                    with self.env.cr.savepoint():
                        order._key_account_review_approve(automatic=True)
                    continue
                except UserError as error:
                    reasons = [str(error.args[0])]
            note = self.env._(
                "Not approved automatically: %(reasons)s. A salesperson will review "
                "it.",
                reasons="; ".join(reasons),
            )
            order._key_account_write_workflow({"key_account_review_note": note})
            order.message_post(body=note, subtype_xmlid="mail.mt_note")

    def action_key_account_review_approve(self):
        self._key_account_check_review_rights()
        # Two reviewers approving at once: the second is told at once.
        self._key_account_lock_for_confirmation()
        not_pending = self.filtered(lambda o: o.key_account_review_state != "pending")
        if not_pending:
            raise UserError(
                self.env._(
                    "Only orders waiting in the review pool can be approved: "
                    "%(orders)s is not.",
                    orders=", ".join(not_pending.mapped("name")),
                )
            )
        self._key_account_review_approve()
        return True

    def _key_account_review_approve(self, automatic=False):
        """Approve and confirm (no rights check: callers check). Approved, the
        orders pass the review gate of the confirmation pipeline."""
        self._key_account_write_workflow(
            {"key_account_review_state": "approved", "key_account_review_note": False}
        )
        body = (
            self.env._("Order approved automatically: within contract and credit.")
            if automatic
            else self.env._("Order approved by %(user)s.", user=self.env.user.name)
        )
        for order in self:
            order.message_post(body=body, subtype_xmlid="mail.mt_note")
        self.action_confirm()

    def action_key_account_review_return(self, reason):
        """Send orders back to the customer with ``reason``; they return to
        quotation so the customer can correct and submit them again."""
        self._key_account_check_review_rights()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "Give the reason for sending the order back, so the customer "
                    "knows what to correct."
                )
            )
        not_pending = self.filtered(lambda o: o.key_account_review_state != "pending")
        if not_pending:
            raise UserError(
                self.env._(
                    "Only orders waiting in the review pool can be sent back: "
                    "%(orders)s is not.",
                    orders=", ".join(not_pending.mapped("name")),
                )
            )
        self.filtered(lambda o: o.state == "sent").action_draft()
        self._key_account_write_workflow(
            {"key_account_review_state": "returned", "key_account_review_note": reason}
        )
        for order in self:
            order.message_post(
                body=self.env._(
                    "Order sent back to the customer by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _key_account_check_review_gate(self):
        """Confirmation step "review_gate": an order waiting in the review
        pool is confirmed by approving it, not directly."""
        pending = self.filtered(lambda o: o.key_account_review_state == "pending")
        if pending:
            raise UserError(
                self.env._(
                    "%(orders)s is waiting in the review pool: approve it there "
                    "(or send it back) instead of confirming it directly.",
                    orders=", ".join(pending.mapped("name")),
                )
            )

    def _key_account_review_gate_reasons(self):
        """{order: [reasons]} for the orders waiting in the review pool (see
        ``_key_account_check_review_gate``)."""
        return {
            order: [
                self.env._(
                    "%(orders)s is waiting in the review pool: approve it there "
                    "(or send it back) instead of confirming it directly.",
                    orders=order.name,
                )
            ]
            for order in self.filtered(
                lambda o: o.key_account_review_state == "pending"
            )
        }

    @api.depends(
        "state",
        "amount_total",
        "key_account_contract_id",
        "order_line.product_uom_qty",
        "key_account_allocation_ids.quantity",
    )
    def _compute_key_account_confirm_blockers(self):
        """What approving (confirming) each quotation would run into now,
        the review gate left out: the reasons of the confirmation steps."""
        quotations = self.filtered(lambda o: o.state in ("draft", "sent"))
        reasons = quotations._key_account_confirm_reasons(skip=("review_gate",))
        for order in self:
            order.key_account_confirm_blockers = (
                "\n".join(reasons.get(order) or []) or False
            )
