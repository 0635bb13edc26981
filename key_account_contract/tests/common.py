# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import fields

from odoo.addons.key_account_base.tests.common import KeyAccountBaseCommon


class KeyAccountContractCommon(KeyAccountBaseCommon):
    """Fixtures for tests using key-account contracts.

    Adds products (``cls.product_a`` in ``cls.categ_a``, ``cls.product_b`` in
    ``cls.categ_b``, both consumables with ``is_storable`` False), the
    key-account pricelist ``cls.ka_pricelist`` in the company currency with a
    fixed key-account price for each product, and a payment term.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.company_id = cls.company
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.company.ids)
        )
        cls.today = fields.Date.context_today(cls.env.user)
        cls.categ_a = cls.env["product.category"].create({"name": "KA Gifts"})
        cls.categ_b = cls.env["product.category"].create({"name": "KA Office"})
        cls.product_a = cls.env["product.product"].create(
            {
                "name": "KA Tea Gift Box",
                "categ_id": cls.categ_a.id,
                "list_price": 200.0,
                "type": "consu",
                "invoice_policy": "delivery",
                "taxes_id": [],
            }
        )
        cls.product_b = cls.env["product.product"].create(
            {
                "name": "KA Notebook",
                "categ_id": cls.categ_b.id,
                "list_price": 50.0,
                "type": "consu",
                "invoice_policy": "order",
                "taxes_id": [],
            }
        )
        cls.ka_pricelist = cls.env.ref("key_account_contract.pricelist_key_account")
        cls.ka_pricelist.write(
            {
                "currency_id": cls.company.currency_id.id,
                "item_ids": [
                    fields.Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": product.product_tmpl_id.id,
                            "compute_price": "fixed",
                            "fixed_price": price,
                        }
                    )
                    for product, price in (
                        (cls.product_a, 160.0),
                        (cls.product_b, 40.0),
                    )
                ],
            }
        )
        cls.payment_term = cls.env["account.payment.term"].create(
            {
                "name": "KA 60 days",
                "company_id": cls.company.id,
                "line_ids": [
                    fields.Command.create(
                        {"value": "percent", "value_amount": 100.0, "nb_days": 60}
                    )
                ],
            }
        )

    @classmethod
    def _create_contract(cls, partner, activate=True, **vals):
        """Create a contract of ``partner`` (one year from today by default).

        ``activate=True`` confirms it as a Key Account Manager would (active
        at once when its start date has come, else "To Start").
        """
        values = {
            "partner_id": partner.id,
            "company_id": cls.company.id,
            "date_start": cls.today - relativedelta(days=1),
            "date_end": cls.today + relativedelta(years=1),
            "payment_term_id": cls.payment_term.id,
            "payment_method": "acceptance_bill",
        }
        values.update(vals)
        contract = cls.env["key.account.contract"].create(values)
        if activate:
            contract.action_confirm()
        return contract
