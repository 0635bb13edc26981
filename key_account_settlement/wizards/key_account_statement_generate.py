# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models


class KeyAccountStatementGenerate(models.TransientModel):
    _name = "key.account.statement.generate"
    _description = "Generate Key Account Statements"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: self.env["key.account.statement"]._default_period()[0],
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=lambda self: self.env["key.account.statement"]._default_period()[1],
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        check_company=True,
        domain="[('is_key_account', '=', True), "
        "('key_account_state', '=', 'approved')]",
        help="Leave empty for every approved key account with a balance or "
        "activity in the period.",
    )
    state = fields.Selection(
        [("draft", "To Generate"), ("done", "Generated")],
        string="Status",
        default="draft",
        readonly=True,
    )
    statement_ids = fields.Many2many(
        "key.account.statement", string="Generated Statements", readonly=True
    )
    statement_count = fields.Integer(compute="_compute_statement_count")
    report = fields.Text(
        string="Not Generated",
        readonly=True,
        help="The customers whose statement was not generated, with the reason.",
    )

    @api.depends("statement_ids")
    def _compute_statement_count(self):
        for wizard in self:
            wizard.statement_count = len(wizard.statement_ids)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if (
            "partner_ids" in fields_list
            and self.env.context.get("active_model") == "res.partner"
            and self.env.context.get("active_ids")
        ):
            res["partner_ids"] = [
                fields.Command.set(
                    self.env["res.partner"]
                    .browse(self.env.context["active_ids"])
                    .commercial_partner_id.ids
                )
            ]
        return res

    def action_generate(self):
        """Generate, then open the statements; when customers were skipped,
        show them with their reasons first."""
        self.ensure_one()
        Statement = self.env["key.account.statement"]
        result = Statement._generate_run(
            self.company_id,
            self.date_from,
            self.date_to,
            partners=self.partner_ids or None,
        )
        self.write(
            {
                "state": "done",
                "statement_ids": [fields.Command.set(result["statements"].ids)],
                "report": Statement._skipped_summary(result["skipped"]),
            }
        )
        if not result["skipped"]:
            return self.action_open_statements()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Generate Statements"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_open_statements(self):
        self.ensure_one()
        statements = self.statement_ids
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "key_account_settlement.key_account_statement_action"
        )
        action["domain"] = [("id", "in", statements.ids)]
        if len(statements) == 1:
            action.update(
                {
                    "view_mode": "form",
                    "views": [(False, "form")],
                    "res_id": statements.id,
                }
            )
        return action
