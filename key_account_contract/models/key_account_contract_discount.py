# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KeyAccountContractDiscount(models.Model):
    _name = "key.account.contract.discount"
    _description = "Key Account Contract Discount Line"
    _order = "contract_id, sequence, id"
    _check_company_auto = True

    contract_id = fields.Many2one(
        "key.account.contract",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", ondelete="cascade"
    )
    product_id = fields.Many2one(
        "product.product",
        ondelete="cascade",
        check_company=True,
    )
    discount = fields.Float(string="Discount (%)", digits="Discount", required=True)

    _sql_constraints = (
        (
            "discount_check",
            "CHECK(discount >= 0 AND discount <= 100)",
            "A contract discount must be between 0 and 100%.",
        ),
    )

    @api.depends("categ_id", "product_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = (
                line.product_id.display_name
                or (
                    line.categ_id
                    and self.env._("Category: %(categ)s", categ=line.categ_id.name)
                )
                or ""
            )

    @api.constrains("categ_id", "product_id")
    def _check_target(self):
        for line in self:
            if not (line.categ_id or line.product_id):
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: each discount line needs a product "
                        "or a product category.",
                        contract=line.contract_id.name,
                    )
                )
            if line.categ_id and line.product_id:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: a discount line applies to a "
                        "product or to a category, not both (%(line)s).",
                        contract=line.contract_id.name,
                        line=line.display_name,
                    )
                )

    def _check_contracts_editable(self, contracts):
        """Outside draft, only a Key Account Manager changes the discount
        lines of a contract."""
        contracts._check_terms_editable(contracts._field_labels(["discount_line_ids"]))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_contracts_editable(
            self.env["key.account.contract"].browse(
                {vals["contract_id"] for vals in vals_list if vals.get("contract_id")}
            )
        )
        lines = super().create(vals_list)
        lines.contract_id._sync_pricelist()
        return lines

    def write(self, vals):
        contracts = self.contract_id
        if vals.get("contract_id"):
            contracts |= contracts.browse(vals["contract_id"])
        self._check_contracts_editable(contracts)
        res = super().write(vals)
        contracts._sync_pricelist()
        return res

    def unlink(self):
        contracts = self.contract_id
        self._check_contracts_editable(contracts)
        res = super().unlink()
        contracts.exists()._sync_pricelist()
        return res
