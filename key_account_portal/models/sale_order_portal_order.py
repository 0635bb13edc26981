# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Ordering from the customer portal: draft orders created once per
submission token, quantities set (never added), the quick-order pad,
delivery options, submission to the review pool and reorders.

The portal controllers call these methods through ``sudo()`` after their
own checks (``_ka_customer(write=True)`` / ``_ka_order_check(write=True)``);
every method validates all its input before it writes anything.
"""

import math
import re
import secrets
from datetime import date as date_cls

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, float_round
from odoo.tools.sql import create_unique_index

# Shape of the submission token the portal pages generate.
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# How a pasted quick-order line is split: tabs (spreadsheet), commas or
# semicolons (ASCII or full-width), else spaces.
PAD_SEPARATORS = re.compile(r"[\t,;，；]")
# Longest notes the portal accepts.
NOTE_MAX_LENGTH = 2000


class SaleOrder(models.Model):
    _inherit = "sale.order"

    key_account_portal_token = fields.Char(
        string="Portal Submission Token",
        copy=False,
        readonly=True,
        help="Token of the portal form that created the order: the same form "
        "submitted again finds this order instead of creating a second one.",
    )

    def init(self):
        res = super().init()
        # One order per customer (the orders of the portal are the key
        # account's own) and submission token.
        create_unique_index(
            self.env.cr,
            "sale_order_key_account_portal_token_uniq",
            self._table,
            ["partner_id", "key_account_portal_token"],
        )
        return res

    # ------------------------------------------------------------------
    # The token is written by the portal's own code only (the guard mixin's
    # check in create/write, key_account_base): a new order has none.
    # ------------------------------------------------------------------
    def _key_account_guarded_fields(self):
        return dict(
            super()._key_account_guarded_fields(), key_account_portal_token=False
        )

    def _key_account_guard_error(self, names):
        if "key_account_portal_token" in names:
            return AccessError(
                self.env._(
                    "The portal submission token of an order is set by the portal."
                )
            )
        return super()._key_account_guard_error(names)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _key_account_portal_is_editable(self):
        """The customer still changes this order (lines, delivery options,
        recipients): a quotation not waiting in (or approved by) the review
        pool, not queued for confirmation, not locked."""
        self.ensure_one()
        return (
            self.state in ("draft", "sent")
            and self.key_account_review_state in ("none", "returned")
            and not self.key_account_confirm_state
            and not self.locked
        )

    def _key_account_portal_check_buyer(self, customer=None):
        """The acting portal user must be a buyer of the order's key account
        (``customer`` for an order not created yet), the account approved
        (``res.partner._key_account_check_portal_role``; staff pass)."""
        self.env["res.partner"]._key_account_check_portal_role(
            "buyer", customer=customer or self.partner_id, write=True
        )

    def _key_account_portal_check_editable(self):
        """The acting portal user is a buyer of the order's key account and
        the order is still the customer's to change."""
        self.ensure_one()
        self._key_account_portal_check_buyer()
        if not self._key_account_portal_is_editable():
            raise UserError(
                self.env._(
                    "%(order)s cannot be changed any more: it was submitted or "
                    "confirmed. Reorder it to start a new order.",
                    order=self.name,
                )
            )

    @api.model
    def _key_account_portal_new_token(self):
        """A fresh submission token for a portal form."""
        return secrets.token_urlsafe(24)

    @api.model
    def _key_account_portal_check_token(self, token):
        if not token or not TOKEN_RE.match(token):
            raise UserError(
                self.env._(
                    "This form has expired or is incomplete: reload the page and "
                    "submit it again."
                )
            )

    @api.model
    def _key_account_portal_lock_customer(self, customer):
        """Serialize the order creations of ``customer``: the row is updated
        so that a concurrent REPEATABLE READ transaction fails with a
        serialization error (and is retried, seeing the first order) instead
        of going on with its old snapshot, blind to that order."""
        customer._key_account_lock_recipients()

    @api.model
    def _key_account_portal_allowed_products(self, contract, products):
        """The products of ``products`` the contract allows."""
        return contract._key_account_allowed_products(products.sudo())

    @api.model
    def _key_account_portal_parse_qty(self, raw):
        """``raw`` as a quantity (float >= 0), or None."""
        text = (raw or "").strip().replace("，", "").replace(" ", "")
        try:
            quantity = float(text)
        except ValueError:
            return None
        if not math.isfinite(quantity) or quantity < 0:
            return None
        return quantity

    # ------------------------------------------------------------------
    # Draft creation (idempotent per token)
    # ------------------------------------------------------------------
    @api.model
    def _key_account_portal_find_token(self, customer, token):
        return self.search(
            [
                ("partner_id", "=", customer.id),
                ("key_account_portal_token", "=", token),
            ],
            limit=1,
        )

    @api.model
    def _key_account_portal_create_draft(
        self, contract, token, quantities, buyer=None, extra_vals=None
    ):
        """The draft order of the portal submission ``token`` under
        ``contract``: created with ``quantities`` (a list of (product,
        quantity), checked by the caller) the first time, found again
        afterwards. Returns ``(order, created)``."""
        self._key_account_portal_check_token(token)
        customer = contract.partner_id
        self._key_account_portal_check_buyer(customer=customer)
        self._key_account_portal_lock_customer(customer)
        existing = self._key_account_portal_find_token(customer, token)
        if existing:
            return existing, False
        vals = {
            "partner_id": customer.id,
            "company_id": contract.company_id.id,
            "key_account_contract_id": contract.id,
            "key_account_portal_token": token,
            "order_line": [
                Command.create({"product_id": product.id, "product_uom_qty": qty})
                for product, qty in quantities
            ],
            **(extra_vals or {}),
        }
        order = self.with_company(contract.company_id).create(vals)
        if buyer:
            order.message_subscribe(partner_ids=buyer.ids)
        order.message_post(
            body=self.env._(
                "Quotation started by %(buyer)s in the customer portal.",
                buyer=(buyer or self.env.user.partner_id).name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return order, True

    @api.model
    def _key_account_portal_catalog_quantities(self, contract, raw_quantities):
        """Check the quantities chosen in the catalog: ``raw_quantities`` is
        {product id: text}. Returns [(product, quantity)] of the positive
        ones; raises UserError listing every wrong entry."""
        entered = {
            product_id: raw
            for product_id, raw in raw_quantities.items()
            if (raw or "").strip()
        }
        products = self.env["product.product"].sudo().browse(list(entered))
        # Only the products of the contract are named in the messages: an id
        # typed into the form never reveals another product.
        allowed = self._key_account_portal_allowed_products(contract, products)
        errors = []
        chosen = []
        for product in allowed:
            raw = entered[product.id]
            quantity = self._key_account_portal_parse_qty(raw)
            if quantity is None:
                errors.append(
                    self.env._(
                        "%(product)s: %(quantity)s is not a quantity: write a "
                        "number such as 10.",
                        product=product.display_name,
                        quantity=raw,
                    )
                )
            elif quantity:
                chosen.append((product, quantity))
        if products - allowed:
            errors.append(
                self.env._(
                    "Some products are not part of your contract any more: reload "
                    "the catalog and choose again."
                )
            )
        if errors:
            raise UserError("\n".join(errors))
        return chosen

    # ------------------------------------------------------------------
    # Quantities: set, never added
    # ------------------------------------------------------------------
    @api.model
    def _key_account_portal_format_qty(self, quantity):
        """``quantity`` as the customer typed it: 7, 2.5 (not 7.0)."""
        return f"{quantity:f}".rstrip("0").rstrip(".")

    def _key_account_portal_line_errors(self, line, quantity, allocated_by_line):
        """Why ``line`` cannot take ``quantity`` (a list, empty if it can);
        ``allocated_by_line``: see ``_key_account_portal_allocated_by_line``."""
        allocated = allocated_by_line.get(line.id, 0.0)
        rounding = line.product_uom.rounding
        if float_compare(quantity, allocated, precision_rounding=rounding) < 0:
            return [
                self.env._(
                    "%(product)s: %(allocated)s %(uom)s are allocated to "
                    "recipients, so the quantity cannot be less than that. Set at "
                    "least %(allocated)s, or change the recipients first.",
                    product=line.product_id.display_name,
                    allocated=self._key_account_portal_format_qty(allocated),
                    uom=line.product_uom.name,
                )
            ]
        return []

    def _key_account_portal_set_lines(self, line_quantities):
        """Set the quantities of the order's lines: ``line_quantities`` is
        {line id: text}. 0 removes a line (if no recipient is allocated on
        it). Everything is checked before anything is written."""
        self.ensure_one()
        self._key_account_portal_check_editable()
        lines = self.order_line.filtered(lambda line: not line.display_type)
        by_id = {line.id: line for line in lines}
        allocated_by_line = self._key_account_portal_allocated_by_line()
        errors = []
        targets = {}
        for line_id, raw in line_quantities.items():
            line = by_id.get(line_id)
            if not line:
                errors.append(
                    self.env._(
                        "A line of the form is not on the order any more: reload "
                        "the page."
                    )
                )
                continue
            quantity = self._key_account_portal_parse_qty(raw)
            if quantity is None:
                errors.append(
                    self.env._(
                        "%(product)s: %(quantity)s is not a quantity: write a "
                        "number such as 10 (0 removes the line).",
                        product=line.product_id.display_name,
                        quantity=raw,
                    )
                )
                continue
            errors += self._key_account_portal_line_errors(
                line, quantity, allocated_by_line
            )
            targets[line] = quantity
        if errors:
            raise UserError("\n".join(errors))
        self._key_account_portal_write_lines(targets, {})

    def _key_account_portal_write_lines(self, line_targets, new_products):
        """One write: ``line_targets`` {line: quantity} (0 removes) and
        ``new_products`` {product: quantity} added as new lines."""
        commands = []
        for line, quantity in line_targets.items():
            quantity = float_round(
                quantity, precision_rounding=line.product_uom.rounding
            )
            if not quantity:
                commands.append(Command.unlink(line.id))
            elif float_compare(
                quantity,
                line.product_uom_qty,
                precision_rounding=line.product_uom.rounding,
            ):
                commands.append(Command.update(line.id, {"product_uom_qty": quantity}))
        for product, quantity in new_products.items():
            if quantity:
                commands.append(
                    Command.create(
                        {"product_id": product.id, "product_uom_qty": quantity}
                    )
                )
        if commands:
            self.write({"order_line": commands})

    # ------------------------------------------------------------------
    # Quick-order pad
    # ------------------------------------------------------------------
    @api.model
    def _key_account_portal_split_pad_line(self, text):
        if PAD_SEPARATORS.search(text):
            parts = PAD_SEPARATORS.split(text)
        else:
            parts = text.split()
        return [part.strip() for part in parts if part.strip()]

    def _key_account_portal_quick_pad(self, text):
        """Apply the quick-order pad ``text`` ("code quantity" per line, or
        rows pasted from a spreadsheet): each code's quantity is SET on its
        line (0 removes it), new codes add lines. Every wrong line is
        reported with its number and nothing changes on error."""
        self.ensure_one()
        self._key_account_portal_check_editable()
        contract = self.key_account_contract_id
        errors = []
        entries = []  # (line number, code, quantity)
        seen = {}
        for number, raw in enumerate((text or "").splitlines(), start=1):
            if not raw.strip() or raw.strip().startswith("#"):
                continue
            parts = self._key_account_portal_split_pad_line(raw)
            if len(parts) != 2:
                errors.append(
                    self.env._(
                        "Line %(line)s: write a product code and a quantity "
                        "separated by a space, a tab or a comma, e.g. "
                        '"KA-001 10" (found "%(text)s").',
                        line=number,
                        text=raw.strip(),
                    )
                )
                continue
            code, raw_qty = parts
            quantity = self._key_account_portal_parse_qty(raw_qty)
            if quantity is None:
                errors.append(
                    self.env._(
                        "Line %(line)s: %(quantity)s is not a quantity: write a "
                        "number such as 10 after the code %(code)s (0 removes "
                        "the product).",
                        line=number,
                        quantity=raw_qty,
                        code=code,
                    )
                )
                continue
            if code in seen:
                errors.append(
                    self.env._(
                        "Line %(line)s: the code %(code)s is already on line "
                        "%(first)s: write each product once with its total "
                        "quantity.",
                        line=number,
                        code=code,
                        first=seen[code],
                    )
                )
                continue
            seen[code] = number
            entries.append((number, code, quantity))
        if not entries and not errors:
            raise UserError(
                self.env._(
                    "The quick-order pad is empty: write one product code and "
                    'quantity per line, e.g. "KA-001 10".'
                )
            )
        if not contract:
            raise UserError(
                self.env._(
                    "%(order)s has no active contract: contact your account manager.",
                    order=self.name,
                )
            )
        codes = [code for _number, code, _qty in entries]
        Product = self.env["product.product"].sudo()
        allowed = Product.search(
            [("default_code", "in", codes)] + contract._key_account_product_domain()
        )
        allowed_by_code = {}
        for product in allowed:
            allowed_by_code.setdefault(product.default_code, product)
        missing = [code for code in codes if code not in allowed_by_code]
        existing_codes = set()
        if missing:
            existing_codes = set(
                Product.with_context(active_test=False)
                .search([("default_code", "in", missing)])
                .mapped("default_code")
            )
        allocated_by_line = self._key_account_portal_allocated_by_line()
        lines_by_product = self.order_line.filtered(
            lambda line: not line.display_type
        ).grouped("product_id")
        line_targets = {}
        new_products = {}
        for number, code, quantity in entries:
            product = allowed_by_code.get(code)
            if not product:
                if code in existing_codes:
                    errors.append(
                        self.env._(
                            "Line %(line)s: the product %(code)s is not part of "
                            "your contract: remove the line or choose a product "
                            "of the catalog.",
                            line=number,
                            code=code,
                        )
                    )
                else:
                    errors.append(
                        self.env._(
                            "Line %(line)s: no product has the code %(code)s: "
                            "check the code in the catalog.",
                            line=number,
                            code=code,
                        )
                    )
                continue
            lines = lines_by_product.get(product)
            if lines and len(lines) > 1:
                errors.append(
                    self.env._(
                        "Line %(line)s: %(product)s is on several lines of the "
                        "order: set the quantity of each line in the table above.",
                        line=number,
                        product=product.display_name,
                    )
                )
            elif lines:
                line_errors = self._key_account_portal_line_errors(
                    lines, quantity, allocated_by_line
                )
                errors += [
                    self.env._("Line %(line)s: %(error)s", line=number, error=error)
                    for error in line_errors
                ]
                line_targets[lines] = quantity
            else:
                new_products[product] = quantity
        if errors:
            raise UserError("\n".join(errors))
        self._key_account_portal_write_lines(line_targets, new_products)

    # ------------------------------------------------------------------
    # Delivery options
    # ------------------------------------------------------------------
    def _key_account_portal_set_delivery(self, values):
        """Write the delivery options of the form ``values`` (texts):
        grouping, window, packaging and notes, all checked first."""
        self.ensure_one()
        self._key_account_portal_check_editable()
        errors = []
        vals = {}
        for fname in ("key_account_delivery_grouping", "key_account_packaging"):
            raw = values.get(fname) or ""
            selection = dict(self._fields[fname]._description_selection(self.env))
            if raw not in selection:
                errors.append(
                    self.env._(
                        "%(field)s: choose one of %(choices)s.",
                        field=self._fields[fname]._description_string(self.env),
                        choices=", ".join(selection.values()),
                    )
                )
            else:
                vals[fname] = raw
        dates = {}
        for fname in ("key_account_delivery_date_from", "key_account_delivery_date_to"):
            raw = (values.get(fname) or "").strip()
            label = self._fields[fname]._description_string(self.env)
            if not raw:
                dates[fname] = False
                continue
            try:
                dates[fname] = date_cls.fromisoformat(raw)
            except ValueError:
                errors.append(
                    self.env._(
                        "%(field)s: %(value)s is not a date: use the date picker "
                        "or write it as 2026-06-01.",
                        field=label,
                        value=raw,
                    )
                )
        date_from = dates.get("key_account_delivery_date_from")
        date_to = dates.get("key_account_delivery_date_to")
        today = fields.Date.context_today(self)
        if date_from and date_from < today:
            errors.append(
                self.env._(
                    "Delivery From: %(date)s is in the past: choose today or a "
                    "later date.",
                    date=date_from,
                )
            )
        if date_from and date_to and date_to < date_from:
            errors.append(
                self.env._(
                    "Delivery To: %(end)s is before Delivery From (%(start)s): the "
                    "window must end on or after its start.",
                    end=date_to,
                    start=date_from,
                )
            )
        elif date_to and date_to < today:
            errors.append(
                self.env._(
                    "Delivery To: %(date)s is in the past: choose today or a later "
                    "date.",
                    date=date_to,
                )
            )
        vals.update(dates)
        for fname in ("key_account_packaging_note", "key_account_logistics_note"):
            text = (values.get(fname) or "").strip()
            if len(text) > NOTE_MAX_LENGTH:
                errors.append(
                    self.env._(
                        "%(field)s: at most %(max)s characters, shorten it.",
                        field=self._fields[fname]._description_string(self.env),
                        max=NOTE_MAX_LENGTH,
                    )
                )
            vals[fname] = text or False
        if errors:
            raise UserError("\n".join(errors))
        self.write(vals)

    # ------------------------------------------------------------------
    # Submit
    # ------------------------------------------------------------------
    def _key_account_portal_submit(self):
        """Submit the quotation to the review pool. Returns False (and
        does nothing) when it was submitted already."""
        self.ensure_one()
        self._key_account_portal_check_buyer()
        if not self._key_account_portal_is_editable():
            return False
        # The customer's approval and budgets (sale_order_approval.py): an
        # order that needs approval waits for the customer's approvers.
        if self._key_account_approval_submit(self._key_account_portal_acting_partner()):
            return True
        # A confirmation that auto-approval starts goes to the background
        # job, never runs in the portal request.
        order = self._key_account_with_background_confirmation()
        order.action_key_account_submit_review()
        return True

    def _key_account_portal_allocated_by_line(self):
        """{line id: quantity allocated to recipients} in one query."""
        self.ensure_one()
        return {
            line.id: quantity
            for line, quantity in self.env["key.account.allocation"]
            .sudo()
            ._read_group(
                [("order_id", "=", self.id)],
                groupby=["order_line_id"],
                aggregates=["quantity:sum"],
            )
        }

    # ------------------------------------------------------------------
    # Reorder
    # ------------------------------------------------------------------
    def _key_account_portal_reorder(self, contract, token, buyer=None):
        """A new draft of ``contract`` with the products, quantities,
        delivery options and recipient allocations of ``self`` (products the
        contract does not allow any more are left out). Returns ``(order,
        created, left out products)``."""
        self.ensure_one()
        lines = self.order_line.filtered(
            lambda line: not line.display_type and line.product_id
        )
        allowed = self._key_account_portal_allowed_products(contract, lines.product_id)
        left_out = lines.product_id - allowed
        kept = lines.filtered(lambda line: line.product_id in allowed)
        order, created = self._key_account_portal_create_draft(
            contract,
            token,
            [(line.product_id, line.product_uom_qty) for line in kept],
            buyer=buyer,
            extra_vals={
                "key_account_delivery_grouping": self.key_account_delivery_grouping,
                "key_account_packaging": self.key_account_packaging,
                "key_account_packaging_note": self.key_account_packaging_note,
                "key_account_logistics_note": self.key_account_logistics_note,
                "key_account_batch_ids": [
                    Command.create(
                        {
                            "name": batch.name,
                            "partner_id": batch.partner_id.id,
                            "note": batch.note,
                        }
                    )
                    for batch in self.key_account_batch_ids
                ],
            },
        )
        if not created:
            return order, False, left_out
        new_lines = order.order_line.sorted("id")
        allocation_vals = []
        for old, new in zip(kept, new_lines, strict=True):
            allocation_vals += [
                {
                    "order_line_id": new.id,
                    "recipient_id": allocation.recipient_id.id,
                    "quantity": allocation.quantity,
                    "department": allocation.department,
                    "branch": allocation.branch,
                }
                for allocation in old.key_account_allocation_ids
            ]
        if allocation_vals:
            self.env["key.account.allocation"].create(allocation_vals)
        order.message_post(
            body=self.env._("Reorder of %(order)s.", order=self.name),
            subtype_xmlid="mail.mt_note",
        )
        return order, True, left_out
