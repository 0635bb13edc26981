# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Finance self-service of a key account in the portal: what it owes and
its rebate progress, read from the settlement's services (one computation
per figure: ``key.account.customer.balance`` and
``key.account.contract._key_account_rebate_progress``)."""

from odoo import api, fields, models

from odoo.addons.key_account_contract.models.key_account_contract_execution import (
    CREDIT_UNLIMITED,
)

# The roles that read the finance pages.
FINANCE_READ_ROLES = ("finance", "admin")


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _key_account_portal_receivables(self, customer, date=None):
        """What the key account ``customer`` owes at ``date`` (today), per
        company it buys from, as the back office's aging and credit hold
        compute it: [{"company", "currency", "open", "overdue",
        "oldest_due", "not_due", "1_30", "31_60", "61_90", "over_90",
        "contract", "credit_limit", "credit_available" (None: unlimited),
        "exposure"}]. The acting portal user must hold finance or admin."""
        customer = (
            self._key_account_check_portal_role(FINANCE_READ_ROLES, customer=customer)
            or customer.sudo().commercial_partner_id
        )
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        Balance = self.env["key.account.customer.balance"].sudo()
        balances = Balance._get_balances(customer.sudo(), None, date, orders=False)
        contracts = (
            self.env["key.account.contract"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", customer.id),
                    ("state", "=", "active"),
                    ("date_start", "<=", date),
                    ("date_end", ">=", date),
                ]
            )
        )
        credit = Balance._get_contract_credit(contracts, date) if contracts else {}
        contract_of = {contract.company_id: contract for contract in contracts}
        companies = (
            self.env["res.company"]
            .sudo()
            .browse(
                sorted(
                    {company_id for _partner, company_id in balances}
                    | set(contracts.company_id.ids)
                )
            )
        )
        rows = []
        for company in companies:
            figures = balances[customer.id, company.id]
            contract = contract_of.get(company)
            position = credit.get(contract.id) if contract else None
            available = position and position["credit_available"]
            rows.append(
                {
                    "company": company,
                    "currency": company.currency_id,
                    "open": figures["open"],
                    "overdue": figures["overdue"],
                    "oldest_due": figures["oldest_due"],
                    "not_due": figures["not_due"],
                    "1_30": figures["1_30"],
                    "31_60": figures["31_60"],
                    "61_90": figures["61_90"],
                    "over_90": figures["over_90"],
                    "contract": contract,
                    "contract_currency": contract
                    and (contract.currency_id or company.currency_id),
                    "credit_limit": contract and contract.credit_limit,
                    "exposure": position and position["exposure"],
                    "credit_available": None
                    if available == CREDIT_UNLIMITED
                    else available,
                }
            )
        return rows

    @api.model
    def _key_account_portal_rebate_progress(self, customer, date=None):
        """The rebate progress of ``customer``'s contracts with rebate tiers
        (active at ``date``): [(contract, progress)], progress as
        ``key.account.contract._key_account_rebate_progress`` computes it.
        The acting portal user must hold finance or admin."""
        customer = (
            self._key_account_check_portal_role(FINANCE_READ_ROLES, customer=customer)
            or customer.sudo().commercial_partner_id
        )
        date = fields.Date.to_date(date) or fields.Date.context_today(self)
        contracts = (
            self.env["key.account.contract"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", customer.id),
                    ("state", "in", ("active", "expired", "terminated")),
                    ("rebate_tier_ids", "!=", False),
                    ("date_start", "<=", date),
                ],
                order="date_start desc, id desc",
            )
        )
        return [
            (contract, contract._key_account_rebate_progress(date))
            for contract in contracts
        ]
