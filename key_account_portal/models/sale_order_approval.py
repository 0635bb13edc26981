# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The customer's approval of its buyers' orders and the department
budgets' ledger, on sale.order.

A buyer submits an order in the portal (``_key_account_portal_submit``):
``_key_account_approval_submit`` reserves the order's amount on the budgets
of the buyer's department and, when an approval rule of the key account
holds (or the order is above the buyer's limit or beyond the budget left),
fixes the approvers of each step and keeps the order from the review pool
until the last step is approved. Approved, the order goes on to the review
pool; rejected, its reservation is released. Confirmation turns the
reservation into spending, cancellation releases or gives it back, a
return gives back what came back (stock_picking_budget.py). Any change of
the lines or recipients of an approved quotation needs approval again.
"""

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.tools import SQL, float_compare, float_is_zero

from .key_account_approval import APPROVAL_FLOW
from .key_account_budget_entry import BUDGET_LEDGER

APPROVAL_STATES = [
    ("none", "Not Required"),
    ("pending", "Waiting for Approval"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
GUARDED = {
    "key_account_approval_state": "none",
    "key_account_approval_required": False,
    "key_account_buyer_id": False,
    "key_account_department_id": False,
}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    key_account_approval_state = fields.Selection(
        selection=APPROVAL_STATES,
        string="Customer Approval",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="The approval of the order by the customer's own approvers, "
        "before it reaches the review pool.",
    )
    key_account_approval_required = fields.Boolean(
        string="Customer Approval Required",
        readonly=True,
        copy=False,
        help="The customer's rules asked for an approval of this order when it "
        "was last submitted: it is confirmed only once approved.",
    )
    key_account_buyer_id = fields.Many2one(
        comodel_name="res.partner",
        string="Buyer",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The customer's contact who submitted the order in the portal.",
    )
    key_account_department_id = fields.Many2one(
        comodel_name="key.account.department",
        string="Customer Department",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    key_account_approval_ids = fields.One2many(
        comodel_name="key.account.approval",
        inverse_name="order_id",
        string="Approval History",
        readonly=True,
        copy=False,
    )
    key_account_budget_entry_ids = fields.One2many(
        comodel_name="key.account.budget.entry",
        inverse_name="order_id",
        string="Budget Entries",
        readonly=True,
        copy=False,
    )

    # ------------------------------------------------------------------
    # Guards: the approval fields change only through the flow's methods
    # ------------------------------------------------------------------
    def _key_account_guarded_fields(self):
        return dict(super()._key_account_guarded_fields(), **GUARDED)

    def _key_account_guard_error(self, names):
        if set(names) & set(GUARDED):
            return AccessError(
                self.env._(
                    "%(fields)s of an order change only through the customer's "
                    "approval in the portal (submit, approve, reject).",
                    fields=self._key_account_field_labels(names),
                )
            )
        return super()._key_account_guard_error(names)

    def _key_account_approval_write(self, vals):
        return self.with_context(**{APPROVAL_FLOW: True})._key_account_write_guarded(
            vals
        )

    def _key_account_approval_model(self):
        return (
            self.env["key.account.approval"]
            .sudo()
            .with_context(**{APPROVAL_FLOW: True})
        )

    # ------------------------------------------------------------------
    # The portal: an order waiting for approval is not edited
    # ------------------------------------------------------------------
    def _key_account_portal_is_editable(self):
        return (
            super()._key_account_portal_is_editable()
            and self.key_account_approval_state != "pending"
        )

    def _key_account_approval_changed(self):
        """The lines or recipients of the orders of ``self`` change: refused
        while an approval is pending; an approved quotation needs approval
        again (the tier-validation bypass of sale-workflow#1087)."""
        if self.env.context.get(APPROVAL_FLOW):
            return
        quotations = self.filtered(lambda o: o.state in ("draft", "sent"))
        pending = quotations.filtered(
            lambda o: o.key_account_approval_state == "pending"
        )
        if pending:
            raise UserError(
                self.env._(
                    "%(orders)s waits for the customer's approval: its products "
                    "and recipients cannot change until the approver approves or "
                    "rejects it.",
                    orders=", ".join(pending.mapped("name")),
                )
            )
        approved = quotations.filtered(
            lambda o: o.key_account_approval_state == "approved"
        )
        if approved:
            approved._key_account_approval_write({"key_account_approval_state": "none"})
            for order in approved:
                order.message_post(
                    body=self.env._(
                        "%(order)s changed after the customer's approval: it "
                        "needs the customer's approval again.",
                        order=order.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    # ------------------------------------------------------------------
    # Submission
    # ------------------------------------------------------------------
    def _key_account_approval_check_buyer(self, buyer):
        """``buyer`` may submit the order: a buyer of its key account, not
        an approver unless the key account lets approvers buy (then it
        never approves its own order)."""
        customer = self.partner_id.commercial_partner_id
        roles = buyer._key_account_portal_roles()
        if (
            "approver" in roles
            and buyer.sudo().key_account_role_buyer
            and not customer.key_account_approver_may_buy
        ):
            raise AccessError(
                self.env._(
                    "At %(customer)s approvers do not order: ask a buyer to "
                    "submit the order, or your administrator to let approvers "
                    "buy.",
                    customer=customer.name,
                )
            )
        if "buyer" not in roles:
            raise AccessError(
                self.env._(
                    "Only the buyers of %(customer)s submit orders: ask your "
                    "company's portal administrator for the buyer role.",
                    customer=customer.name,
                )
            )

    @api.model
    def _key_account_portal_acting_partner(self):
        """The contact submitting in the portal: the signed-in user of the
        HTTP request (the portal routes hand the models the order as the
        superuser, core's ``_document_check_access``), else the
        environment's user (a test, a shell)."""
        if request and request.env.user and not request.env.user._is_public():
            return request.env.user.partner_id
        return self.env.user.partner_id

    def _key_account_approval_submit(self, buyer):
        """Reserve the budget of the order submitted by the portal contact
        ``buyer`` and, if the customer's approval is needed, start it.
        Returns True when the order now waits for the customer's approvers
        (it goes to the review pool once approved), False when it goes on
        to the review pool at once."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        if buyer.commercial_partner_id != customer or not customer.is_key_account:
            return False
        self._key_account_approval_check_buyer(buyer)
        department = buyer.sudo().key_account_department_id
        self._key_account_approval_write(
            {
                "key_account_buyer_id": buyer.id,
                "key_account_department_id": department.id,
            }
        )
        over_budget = self._key_account_budget_reserve(department)
        if self.key_account_approval_state == "approved":
            # approved and unchanged since (a change resets the approval)
            return False
        facts = self._key_account_approval_facts(buyer, department, over_budget)
        steps = self._key_account_approval_steps(buyer, department, facts)
        self._key_account_approval_supersede()
        if not steps:
            self._key_account_approval_write(
                {
                    "key_account_approval_state": "none",
                    "key_account_approval_required": False,
                }
            )
            return False
        submission = max(self.key_account_approval_ids.mapped("submission"), default=0)
        approvals = self._key_account_approval_model().create(
            [
                {
                    "order_id": self.id,
                    "customer_id": customer.id,
                    "submission": submission + 1,
                    "step": index,
                    "name": name,
                    "rule_id": rule.id,
                    "approver_ids": [Command.set(approvers.ids)],
                    "buyer_id": buyer.id,
                    "amount": self.amount_total,
                    "currency_id": self.currency_id.id,
                    "state": "pending" if index == 1 else "waiting",
                }
                for index, (name, rule, approvers) in enumerate(steps, start=1)
            ]
        )
        self._key_account_approval_write(
            {
                "key_account_approval_state": "pending",
                "key_account_approval_required": True,
            }
        )
        self._key_account_approval_notify(
            "key_account_portal.key_account_approval_mail_request",
            approvals[0].approver_ids,
            step=approvals[0],
        )
        return True

    def _key_account_approval_facts(self, buyer, department, over_budget):
        """What the approval rules look at, for the order ``self``."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        currency = customer.key_account_currency_id or self.currency_id
        amount = self.currency_id._convert(
            self.amount_total,
            currency,
            self.company_id,
            fields.Date.context_today(self),
        )
        limit = buyer.sudo().key_account_order_limit
        return {
            "amount": amount,
            "products": set(self.order_line.product_id.ids),
            "recipients": self.key_account_recipient_count,
            "over_limit": bool(limit)
            and float_compare(amount, limit, precision_rounding=currency.rounding) > 0,
            "over_budget": over_budget,
            "department": department,
        }

    @api.model
    def _key_account_approval_candidates(self, customer):
        """``(approvers, organised)``: the contacts of ``customer`` who
        approve (enabled, with the approver role), and whether its
        organisation is set up (``res.partner._key_account_org_is_set_up``;
        until then nothing waits for the customer's approval)."""
        if not customer._key_account_org_is_set_up():
            return self.env["res.partner"], False
        approvers = (
            self.env["res.partner"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", customer.id),
                    ("key_account_portal_disabled", "=", False),
                    ("key_account_role_approver", "=", True),
                ]
            )
        )
        return approvers, True

    def _key_account_approval_steps(self, buyer, department, facts):
        """The steps of the approval of ``self``: [(name, rule, approvers)],
        in the order of the rules that hold; with none, the orders above the
        buyer's limit or beyond the budget left are approved by the
        department head (else any approver)."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        candidates, organised = self._key_account_approval_candidates(customer)
        if not organised:
            return []
        rules = (
            self.env["key.account.approval.rule"]
            .sudo()
            .search([("customer_id", "=", customer.id)])
        )
        head = department.sudo().head_id
        steps = []
        for rule in rules.filtered(lambda r: r._key_account_holds(facts)):
            if rule.approver_type == "department_head":
                approvers = head & candidates
            elif rule.approver_type == "contacts":
                approvers = rule.approver_ids & candidates
            else:
                approvers = candidates
            approvers -= buyer
            if not approvers:
                raise UserError(
                    self.env._(
                        "%(order)s needs the approval of step %(rule)s, but no "
                        "colleague can give it (no enabled approver, or only "
                        "you). Ask your company's portal administrator to set "
                        "the approvers.",
                        order=self.name,
                        rule=rule.name,
                    )
                )
            steps.append((rule.name, rule, approvers))
        if not steps and (facts["over_limit"] or facts["over_budget"]):
            approvers = ((head & candidates) - buyer) or (candidates - buyer)
            name = (
                self.env._("Above the buyer's limit")
                if facts["over_limit"]
                else self.env._("Beyond the department's budget")
            )
            if not approvers:
                raise UserError(
                    self.env._(
                        "%(order)s is above your limit or beyond your "
                        "department's budget and needs approval, but no "
                        "colleague can approve it. Ask your company's portal "
                        "administrator to name an approver.",
                        order=self.name,
                    )
                )
            steps.append((name, self.env["key.account.approval.rule"], approvers))
        return steps

    def _key_account_approval_supersede(self):
        """The open steps of the orders' earlier submissions lose their
        object (a new submission, a cancellation): superseded, kept."""
        steps = self.key_account_approval_ids.filtered(
            lambda a: a.state in ("waiting", "pending")
        )
        if steps:
            steps.with_context(**{APPROVAL_FLOW: True}).sudo().write(
                {"state": "superseded", "date": fields.Datetime.now()}
            )

    def _key_account_approval_notify(
        self, view_xmlid, partners, step=None, reason=None
    ):
        """Mail and portal message (the order's chatter) to ``partners``."""
        self.ensure_one()
        if not partners:
            return
        self.sudo().message_post_with_source(
            view_xmlid,
            render_values={
                "step": step,
                "reason": reason,
                "approvals_url": f"{self.get_base_url()}/my/approvals",
                "order_url": f"{self.get_base_url()}/my/key-account/orders/{self.id}",
            },
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=partners.ids,
        )

    # ------------------------------------------------------------------
    # Decisions
    # ------------------------------------------------------------------
    def _key_account_lock_approval(self):
        """Serialize the decisions on the order: a second approver deciding
        at the same moment waits, then fails with a serialization error and
        its retry sees the first decision."""
        self.env.cr.execute(
            SQL(
                """UPDATE sale_order SET write_date = write_date
                    WHERE id IN (SELECT id FROM sale_order WHERE id IN %s
                                 FOR NO KEY UPDATE)""",
                tuple(self.ids),
            )
        )

    def _key_account_approval_check_decider(self, partner):
        """The pending step of ``self`` that ``partner`` (the signed-in
        contact) may decide; raises otherwise."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        if partner != self.env.user.partner_id or (
            partner.commercial_partner_id != customer
        ):
            raise AccessError(self.env._("This order is not one of your company's."))
        if "approver" not in partner._key_account_portal_roles():
            raise AccessError(
                self.env._(
                    "Only the approvers of %(customer)s approve or reject orders.",
                    customer=customer.name,
                )
            )
        if partner == self.key_account_buyer_id:
            raise AccessError(
                self.env._(
                    "You submitted %(order)s: another approver decides on it.",
                    order=self.name,
                )
            )
        self._key_account_lock_approval()
        if self.key_account_approval_state != "pending":
            raise UserError(
                self.env._(
                    "%(order)s waits for no approval now: it was approved, "
                    "rejected or withdrawn meanwhile.",
                    order=self.name,
                )
            )
        step = self.key_account_approval_ids.filtered(
            lambda a: a.state == "pending"
        ).sorted("step")[:1]
        if not step or partner not in step.approver_ids:
            raise AccessError(
                self.env._(
                    "%(order)s waits for step %(step)s, decided by %(names)s, "
                    "not by you.",
                    order=self.name,
                    step=step.name,
                    names=", ".join(step.approver_ids.mapped("name")),
                )
            )
        return step

    def _key_account_approve(self, partner, reason=None):
        """``partner`` approves the pending step of ``self``; after the last
        step the order goes on to the review pool. Returns True when the
        whole approval is done."""
        step = self._key_account_approval_check_decider(partner)
        step.with_context(**{APPROVAL_FLOW: True}).sudo().write(
            {
                "state": "approved",
                "decided_by_id": partner.id,
                "date": fields.Datetime.now(),
                "reason": (reason or "").strip() or False,
            }
        )
        following = self.key_account_approval_ids.filtered(
            lambda a: a.state == "waiting" and a.submission == step.submission
        ).sorted("step")[:1]
        if following:
            following.with_context(**{APPROVAL_FLOW: True}).sudo().write(
                {"state": "pending"}
            )
            self._key_account_approval_notify(
                "key_account_portal.key_account_approval_mail_request",
                following.approver_ids,
                step=following,
            )
            return False
        self._key_account_approval_write({"key_account_approval_state": "approved"})
        self._key_account_approval_notify(
            "key_account_portal.key_account_approval_mail_decision",
            self.key_account_buyer_id,
            step=step,
            reason=reason,
        )
        self._key_account_with_background_confirmation().action_key_account_submit_review()
        return True

    def _key_account_reject(self, partner, reason):
        """``partner`` rejects ``self`` with ``reason``: the later steps are
        superseded, the budget reservation released; the buyer may change
        the order and submit it again."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "Give the reason of the rejection, so the buyer knows what "
                    "to change."
                )
            )
        step = self._key_account_approval_check_decider(partner)
        step.with_context(**{APPROVAL_FLOW: True}).sudo().write(
            {
                "state": "rejected",
                "decided_by_id": partner.id,
                "date": fields.Datetime.now(),
                "reason": reason,
            }
        )
        self._key_account_approval_supersede()
        self._key_account_approval_write({"key_account_approval_state": "rejected"})
        self._key_account_budget_release()
        self._key_account_approval_notify(
            "key_account_portal.key_account_approval_mail_decision",
            self.key_account_buyer_id,
            step=step,
            reason=reason,
        )
        return True

    # ------------------------------------------------------------------
    # Confirmation step "customer_approval"
    # ------------------------------------------------------------------
    @api.model
    def _key_account_confirm_steps(self):
        return self._key_account_insert_confirm_steps(
            super()._key_account_confirm_steps(),
            [
                (
                    "customer_approval",
                    "_key_account_check_customer_approval",
                    "_key_account_customer_approval_reasons",
                )
            ],
            before="review_gate",
        )

    def _key_account_check_customer_approval(self):
        for reasons in self._key_account_customer_approval_reasons().values():
            raise UserError(reasons[0])

    def _key_account_customer_approval_reasons(self):
        result = {}
        for order in self:
            state = order.key_account_approval_state
            if state == "pending":
                text = self.env._(
                    "%(order)s waits for the customer's approval.", order=order.name
                )
            elif state == "rejected":
                text = self.env._(
                    "%(order)s was rejected by the customer's approver: the "
                    "buyer changes and submits it again.",
                    order=order.name,
                )
            elif state == "none" and order.key_account_approval_required:
                text = self.env._(
                    "%(order)s changed after the customer approved it: send it "
                    "back so the customer approves it again.",
                    order=order.name,
                )
            else:
                continue
            result[order] = [text]
        return result

    def _action_confirm(self):
        res = super()._action_confirm()
        self._key_account_budget_spend()
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self._key_account_approval_supersede()
        self._key_account_approval_write(
            {
                "key_account_approval_state": "none",
                "key_account_approval_required": False,
            }
        )
        self._key_account_budget_release(give_back=True)
        return res

    # ------------------------------------------------------------------
    # The budget ledger
    # ------------------------------------------------------------------
    def _key_account_budget_open(self):
        """{(order id, budget id): [reserved, spent]} of the orders of
        ``self``, in one SQL aggregation."""
        if not self.ids:
            return {}
        self.env["key.account.budget.entry"].flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT order_id, budget_id,
                          SUM(CASE kind WHEN 'reserve' THEN amount
                                        WHEN 'release' THEN -amount ELSE 0 END),
                          SUM(CASE kind WHEN 'spend' THEN amount
                                        WHEN 'return' THEN -amount ELSE 0 END)
                     FROM key_account_budget_entry
                    WHERE order_id IN %s
                 GROUP BY order_id, budget_id""",
                tuple(self.ids),
            )
        )
        return {
            (order_id, budget_id): [reserved or 0.0, spent or 0.0]
            for order_id, budget_id, reserved, spent in self.env.cr.fetchall()
        }

    def _key_account_budget_entries(self, vals_list):
        if vals_list:
            self.env["key.account.budget.entry"].sudo().with_context(
                **{BUDGET_LEDGER: True}
            ).create(vals_list)

    def _key_account_budget_amount(self, budget, amount=None):
        """The amount of ``self`` (or ``amount`` in its currency) in the
        currency of ``budget``."""
        self.ensure_one()
        return self.currency_id._convert(
            self.amount_total if amount is None else amount,
            budget.currency_id,
            self.company_id,
            fields.Date.context_today(self),
        )

    def _key_account_budget_reserve(self, department):
        """Reserve the amount of ``self`` on the budgets of ``department``
        for today (the reservation of an earlier submission released
        first). The budgets' rows are locked: two buyers submitting at once
        cannot both take the last of a budget. Returns True when the order
        is beyond what was left of one of them."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        today = fields.Date.context_today(self)
        Budget = self.env["key.account.budget"].sudo()
        budgets = Budget._key_account_budgets_for(department, today)
        if not budgets and customer.key_account_budget_required:
            raise UserError(
                self.env._(
                    "%(department)s has no budget for %(date)s and %(customer)s "
                    "requires one: ask your administrator to set the budget of "
                    "the department.",
                    department=department.name
                    or self.env._("Your contact (no department)"),
                    date=today,
                    customer=customer.name,
                )
            )
        opened = self._key_account_budget_open()
        earlier = Budget.browse(
            [budget_id for (_o, budget_id), (res, _s) in opened.items() if res]
        )
        (budgets | earlier)._key_account_lock()
        vals_list = [
            {
                "budget_id": budget_id,
                "order_id": self.id,
                "kind": "release",
                "amount": reserved,
                "note": self.env._("Submitted again"),
            }
            for (_o, budget_id), (reserved, _s) in opened.items()
            if reserved > 0
        ]
        figures = budgets._key_account_figures()
        over = False
        for budget in budgets:
            amount = self._key_account_budget_amount(budget)
            reserved, spent = figures.get(budget.id, (0.0, 0.0))
            left = (
                budget.amount
                - reserved
                - spent
                + opened.get((self.id, budget.id), [0.0])[0]
            )
            if (
                float_compare(
                    amount, left, precision_rounding=budget.currency_id.rounding
                )
                > 0
            ):
                over = True
            vals_list.append(
                {
                    "budget_id": budget.id,
                    "order_id": self.id,
                    "kind": "reserve",
                    "amount": amount,
                }
            )
        self._key_account_budget_entries(vals_list)
        return over

    def _key_account_budget_release(self, give_back=False):
        """Release the open reservations of the orders (a rejection, a
        cancellation); with ``give_back`` also give back what they spent
        (a confirmed order cancelled)."""
        vals_list = []
        for (order_id, budget_id), (
            reserved,
            spent,
        ) in self._key_account_budget_open().items():
            if reserved > 0:
                vals_list.append(
                    {
                        "budget_id": budget_id,
                        "order_id": order_id,
                        "kind": "release",
                        "amount": reserved,
                    }
                )
            if give_back and spent > 0:
                vals_list.append(
                    {
                        "budget_id": budget_id,
                        "order_id": order_id,
                        "kind": "return",
                        "amount": spent,
                        "note": self.env._("Order cancelled"),
                    }
                )
        self._key_account_budget_entries(vals_list)

    def _key_account_budget_spend(self):
        """Confirmation: the reservation of each order becomes spending of
        the order's amount (a release and a spend entry)."""
        opened = self._key_account_budget_open()
        if not opened:
            return
        orders = {order.id: order for order in self}
        budgets = (
            self.env["key.account.budget"]
            .sudo()
            .browse({budget_id for _o, budget_id in opened})
        )
        vals_list = []
        for (order_id, budget_id), (reserved, _spent) in opened.items():
            if reserved <= 0:
                continue
            order = orders[order_id]
            budget = budgets.browse(budget_id)
            vals_list += [
                {
                    "budget_id": budget_id,
                    "order_id": order_id,
                    "kind": "release",
                    "amount": reserved,
                },
                {
                    "budget_id": budget_id,
                    "order_id": order_id,
                    "kind": "spend",
                    "amount": order._key_account_budget_amount(budget),
                },
            ]
        self._key_account_budget_entries(vals_list)

    @api.model
    def _key_account_budget_return(self, amounts):
        """Goods came back: ``amounts`` {order: amount in its currency}
        given back to the budgets the orders spent on (never more than
        they spent)."""
        orders = self.browse([order.id for order in amounts])
        opened = orders._key_account_budget_open()
        by_id = {order.id: amount for order, amount in amounts.items()}
        budgets = self.env["key.account.budget"].sudo()
        vals_list = []
        for (order_id, budget_id), (_reserved, spent) in opened.items():
            order = orders.browse(order_id)
            budget = budgets.browse(budget_id)
            back = min(order._key_account_budget_amount(budget, by_id[order_id]), spent)
            if (
                float_is_zero(back, precision_rounding=budget.currency_id.rounding)
                or back < 0
            ):
                continue
            vals_list.append(
                {
                    "budget_id": budget_id,
                    "order_id": order_id,
                    "kind": "return",
                    "amount": back,
                    "note": self.env._("Goods returned"),
                }
            )
        self._key_account_budget_entries(vals_list)
