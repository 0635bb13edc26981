# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_is_zero


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    key_account_allocation_ids = fields.One2many(
        comodel_name="key.account.allocation",
        inverse_name="order_line_id",
        string="Recipient Allocations",
        copy=False,
    )
    key_account_allocated_qty = fields.Float(
        string="Allocated Quantity",
        digits="Product Unit of Measure",
        compute="_compute_key_account_allocated_qty",
    )

    @api.depends("key_account_allocation_ids.quantity")
    def _compute_key_account_allocated_qty(self):
        for line in self:
            line.key_account_allocated_qty = sum(
                line.key_account_allocation_ids.mapped("quantity")
            )

    # ------------------------------------------------------------------
    # The contract's products
    # ------------------------------------------------------------------
    def _key_account_contract_lines(self):
        """The lines the contract's product rule applies to: the product
        lines of orders under a contract (not sections and notes, down
        payments, delivery costs or the items of a combo, whose combo line is
        checked)."""
        # delivery costs: a field of the delivery module, when installed
        delivery = "is_delivery" in self._fields
        return self.filtered(
            lambda line: (
                line.product_id
                and line.order_id.key_account_contract_id
                and not line.display_type
                and not line.is_downpayment
                and not line.combo_item_id
                and not (delivery and line.is_delivery)
            )
        )

    def _key_account_contract_disallowed(self):
        """The lines whose product their order's contract does not allow
        (``key.account.contract._key_account_product_domain``): one search
        per contract, whatever the number of lines."""
        lines = self._key_account_contract_lines()
        disallowed = self.browse()
        for contract, contract_lines in lines.grouped(
            lambda line: line.order_id.key_account_contract_id
        ).items():
            allowed = contract._key_account_allowed_products(contract_lines.product_id)
            disallowed |= contract_lines.filtered(
                lambda line, allowed=allowed: line.product_id not in allowed
            )
        return disallowed

    @api.constrains("product_id", "order_id")
    def _check_key_account_contract_products(self):
        disallowed = self._key_account_contract_disallowed()
        if not disallowed:
            return
        errors = [
            self.env._(
                "%(products)s cannot be ordered on %(order)s: contract "
                "%(contract)s does not allow it (no key-account price, no "
                "product discount of the contract).",
                products=", ".join(lines.product_id.mapped("display_name")),
                order=order.name,
                contract=order.key_account_contract_id.name,
            )
            for order, lines in disallowed.grouped("order_id").items()
        ]
        raise ValidationError(
            self.env._(
                "%(errors)s\nChoose a product of the contract, give the product "
                "a key-account price or a product discount on the contract, or "
                "remove the contract from the order.",
                errors="\n".join(errors),
            )
        )

    # ------------------------------------------------------------------
    # Allocation checks
    # ------------------------------------------------------------------
    def _key_account_check_allocated_qty(self):
        """Allocations of a line add up to its quantity."""
        errors = self._key_account_allocated_qty_errors()
        if errors:
            raise UserError(self._key_account_allocated_qty_message(errors.values()))

    def _key_account_allocated_qty_errors(self):
        """{line: what is wrong} for the allocated lines of ``self`` whose
        allocations do not add up to their quantity."""
        precision = self.env["decimal.precision"].precision_get(
            "Product Unit of Measure"
        )
        errors = {}
        for line in self.filtered("key_account_allocation_ids"):
            allocated = line.key_account_allocated_qty
            if float_compare(
                allocated, line.product_uom_qty, precision_digits=precision
            ):
                errors[line] = self.env._(
                    "%(order)s, line %(product)s: %(allocated)s %(uom)s "
                    "allocated to recipients, %(ordered)s %(uom)s ordered.",
                    order=line.order_id.name,
                    product=line.product_id.display_name or line.name,
                    allocated=allocated,
                    ordered=line.product_uom_qty,
                    uom=line.product_uom.name,
                )
        return errors

    @api.model
    def _key_account_allocated_qty_message(self, errors):
        """The refusal for the line ``errors`` (texts)."""
        return self.env._(
            "The recipient allocations must add up to the ordered quantity. "
            "Adjust the allocations or the line quantity:\n%(errors)s",
            errors="\n".join(errors),
        )

    def _key_account_sync_line_qty(self):
        """Set each allocated line's quantity to the sum of its allocations
        (without launching procurement: the caller does it per allocation)."""
        for line in self.filtered("key_account_allocation_ids"):
            total = line.key_account_allocated_qty
            if float_compare(
                total,
                line.product_uom_qty,
                precision_rounding=line.product_uom.rounding,
            ):
                line.with_context(skip_procurement=True).product_uom_qty = total

    # ------------------------------------------------------------------
    # Procurement
    # ------------------------------------------------------------------
    def _action_launch_stock_rule(self, previous_product_uom_qty=False):
        if self.env.context.get("skip_procurement"):
            return True
        allocated = self.filtered("key_account_allocation_ids")
        if allocated:
            if previous_product_uom_qty:
                # A quantity written on the line (core passes the previous
                # quantities): its allocations must still add up, and nothing
                # is procured as a side effect, not even what an allocation
                # misses after a cancellation (see the allocation's Relaunch).
                allocated._key_account_launchable()._key_account_check_allocated_qty()
            else:
                allocated._key_account_launch_stock_rule()
        standard = self - allocated
        if standard or not allocated:
            return super(SaleOrderLine, standard)._action_launch_stock_rule(
                previous_product_uom_qty=previous_product_uom_qty
            )
        return True

    def _key_account_launchable(self):
        """The lines whose allocations are delivered by procurement."""
        return self.filtered(
            lambda line: (
                line.state == "sale"
                and not line.order_id.locked
                and line.product_id.type == "consu"
            )
        )

    def _key_account_launch_stock_rule(self):
        """On confirmation: procure what each allocation misses (one
        procurement per allocation, for its delivery group only) and reduce
        what it has too much."""
        lines = self._key_account_launchable()
        if not lines:
            return True
        lines._key_account_check_allocated_qty()
        allocations = lines.key_account_allocation_ids
        procured = allocations._key_account_procured_qty()
        changes = {}
        for allocation in allocations:
            rounding = allocation.order_line_id.product_uom.rounding
            delta = allocation.quantity - procured.get(allocation.id, 0.0)
            if not float_is_zero(delta, precision_rounding=rounding):
                changes[allocation] = delta
        if changes:
            allocations._key_account_deliver_changes(changes)
        return True

    def _key_account_run_procurements(self, increases):
        """Run one procurement per (allocation, missing quantity) in one call."""
        Allocation = self.env["key.account.allocation"]
        allocations = Allocation.browse([a.id for a, _qty in increases])
        groups = allocations._key_account_get_procurement_groups()
        ProcurementGroup = self.env["procurement.group"]
        base_values = {}
        procurements = []
        for allocation, quantity in increases:
            line = allocation.order_line_id.with_company(allocation.company_id)
            if line not in base_values:
                order = line.order_id
                origin = (
                    f"{order.name} - {order.client_order_ref}"
                    if order.client_order_ref
                    else order.name
                )
                base_values[line] = (
                    line._prepare_procurement_values(group_id=False),
                    origin,
                )
            values, origin = base_values[line]
            group = groups[allocation]
            location = group.partner_id.property_stock_customer
            values = dict(
                values,
                group_id=group,
                partner_id=group.partner_id.id,
                location_final_id=location,
                key_account_allocation_id=allocation.id,
            )
            product_qty, procurement_uom = line.product_uom._adjust_uom_quantities(
                quantity, line.product_id.uom_id
            )
            procurements.append(
                ProcurementGroup.Procurement(
                    line.product_id,
                    product_qty,
                    procurement_uom,
                    location,
                    line.product_id.display_name,
                    origin,
                    line.order_id.company_id,
                    values,
                )
            )
        ProcurementGroup._key_account_run(procurements)
        new_groups = {}
        for allocation in allocations:
            new_groups.setdefault(allocation.order_id, set()).add(groups[allocation].id)
        for order, group_ids in new_groups.items():
            order.message_post(
                body=self.env._(
                    "Recipient deliveries launched: %(count)s delivery group(s), "
                    "%(allocations)s recipient allocation(s).",
                    count=len(group_ids),
                    allocations=len(
                        allocations.filtered(lambda a, o=order: a.order_id == o)
                    ),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True
