# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import Command, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class SaleOrder(models.Model):
    """What the portal's recipient pages ask of an order."""

    _inherit = "sale.order"

    def _key_account_portal_recipient_counts(self):
        """``(allocations, distinct recipients)`` of the order: one query."""
        self.ensure_one()
        groups = (
            self.env["key.account.allocation"]
            .sudo()
            ._read_group(
                [("order_id", "=", self.id)],
                aggregates=["__count", "recipient_id:count_distinct"],
            )
        )
        return groups[0] if groups else (0, 0)

    def _key_account_portal_orderable(self, products):
        """The products of ``products`` the order may take: those its
        contract allows, or without a contract the saleable products of its
        company."""
        self.ensure_one()
        contract = self.key_account_contract_id
        if contract:
            return contract._key_account_allowed_products(products)
        return products.filtered(
            lambda product: (
                product.sale_ok
                and product.company_id in (self.company_id, self.env["res.company"])
            )
        )

    def _key_account_portal_add_recipients(
        self, recipients, product, quantity, department=False, branch=False
    ):
        """Allocate ``quantity`` of ``product`` to each of ``recipients``
        (recipients of the order's customer, from its earlier orders).

        A recipient already on the product's line with the same department
        and branch gets its quantity set to ``quantity``, not added (a
        resubmitted form changes nothing); the line quantity follows. Batched:
        one search, one create, one write per distinct quantity. Returns the
        number of allocations created or set.
        """
        self.ensure_one()
        self._key_account_portal_check_editable()
        customer = self.partner_id.commercial_partner_id
        wrong = recipients.filtered(
            lambda r: not r.key_account_recipient or r.parent_id != customer
        )
        if wrong:
            raise UserError(
                self.env._(
                    "%(names)s are not recipients of %(customer)s: choose "
                    "recipients from the list.",
                    names=", ".join(wrong.mapped("name")[:10]),
                    customer=customer.name,
                )
            )
        if not recipients:
            raise UserError(self.env._("Select at least one recipient."))
        if float_compare(quantity, 0.0, precision_digits=6) <= 0:
            raise UserError(
                self.env._(
                    "The quantity per recipient must be a positive number, e.g. 1."
                )
            )
        if not self._key_account_portal_orderable(product):
            raise UserError(
                self.env._(
                    "%(product)s cannot be ordered: it is not part of your "
                    "contract. Choose a product of the list.",
                    product=product.display_name,
                )
            )
        department = (department or "").strip() or False
        branch = (branch or "").strip() or False
        line = self.order_line.filtered(
            lambda ol: ol.product_id == product and not ol.display_type
        )[:1]
        if not line:
            self.write(
                {
                    "order_line": [
                        Command.create({"product_id": product.id, "product_uom_qty": 0})
                    ]
                }
            )
            line = self.order_line.filtered(
                lambda ol: ol.product_id == product and not ol.display_type
            )[:1]
        Allocation = self.env["key.account.allocation"]
        existing = Allocation.search(
            [
                ("order_line_id", "=", line.id),
                ("recipient_id", "in", recipients.ids),
                ("department", "=", department),
                ("branch", "=", branch),
            ]
        )
        by_recipient = {
            allocation.recipient_id.id: allocation for allocation in existing
        }
        delta = 0.0
        to_set = defaultdict(list)
        create_vals = []
        for recipient in recipients:
            allocation = by_recipient.get(recipient.id)
            if allocation:
                delta += quantity - allocation.quantity
                if allocation.quantity != quantity:
                    to_set[quantity].append(allocation.id)
                continue
            delta += quantity
            create_vals.append(
                {
                    "order_id": self.id,
                    "order_line_id": line.id,
                    "recipient_id": recipient.id,
                    "quantity": quantity,
                    "department": department,
                    "branch": branch,
                }
            )
        # Line quantity first, then allocations, so that they add up.
        line.product_uom_qty = max(line.product_uom_qty + delta, 0.0)
        for new_quantity, allocation_ids in to_set.items():
            Allocation.browse(allocation_ids).write({"quantity": new_quantity})
        if create_vals:
            Allocation.create(create_vals)
        self._message_log(
            body=self.env._(
                "%(count)s recipient(s) of earlier orders added from the portal.",
                count=len(recipients),
            )
        )
        return len(recipients)
