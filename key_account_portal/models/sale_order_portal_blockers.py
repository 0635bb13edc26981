# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Why the distributor could not confirm a draft as it is, in the customer's
words. The reasons come from the confirmation steps
(``_key_account_confirm_reasons``, the one computation the review pool reads
too); their texts are written for staff ("ask a Key Account Manager to
release it"), so the portal words each step for the buyer."""

from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    key_account_portal_blockers = fields.Text(
        string="Blockers (Customer Wording)",
        compute="_compute_key_account_portal_blockers",
        help="What the customer's draft would run into at confirmation, in the "
        "customer's words (the portal's draft panel).",
    )

    @api.depends(
        "state",
        "amount_total",
        "key_account_contract_id",
        "order_line.product_id",
        "order_line.product_uom_qty",
        "key_account_allocation_ids.quantity",
    )
    def _compute_key_account_portal_blockers(self):
        quotations = self.filtered(lambda o: o.state in ("draft", "sent"))
        texts = quotations._key_account_portal_blocker_texts()
        for order in self:
            order.key_account_portal_blockers = (
                "\n".join(texts.get(order) or []) or False
            )

    def _key_account_portal_blocker_texts(self):
        """{order: [texts for the customer]}: one text per confirmation step
        that would refuse the order (the review gate left out: submitting is
        what the customer is about to do)."""
        steps = self._key_account_confirm_reasons(skip=("review_gate",), by_step=True)
        disallowed = self.order_line._key_account_contract_disallowed().grouped(
            "order_id"
        )
        result = {}
        for order, reasons in steps.items():
            texts = []
            for step, step_reasons in reasons.items():
                if step == "allocations":
                    # written for whoever allocates: the buyer does
                    texts += step_reasons
                elif step == "contract_products":
                    texts.append(
                        self.env._(
                            "%(products)s can no longer be ordered under your "
                            "contract: remove them from the order.",
                            products=", ".join(
                                disallowed.get(
                                    order, order.order_line
                                ).product_id.mapped("display_name")
                            ),
                        )
                    )
                elif step == "credit":
                    texts.append(
                        self.env._(
                            "With this order your company would be over the "
                            "credit of its contract, or an invoice is overdue: "
                            "settle the overdue invoices or reduce the order, "
                            "or ask your account manager."
                        )
                    )
                elif step == "contract":
                    texts.append(
                        self.env._(
                            "Your contract does not cover this order (it may have "
                            "expired or be suspended): ask your account manager."
                        )
                    )
                else:
                    texts.append(
                        self.env._(
                            "Our team has to look at this order before it can be "
                            "confirmed."
                        )
                    )
            if texts:
                result[order] = texts
        return result
