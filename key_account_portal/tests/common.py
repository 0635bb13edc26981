# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.tests import HttpCase, new_test_user

from odoo.addons.key_account_contract.tests.common import KeyAccountContractCommon
from odoo.addons.key_account_order.tests.common import KeyAccountOrderCommon


class KeyAccountPortalCommon(KeyAccountOrderCommon, KeyAccountContractCommon, HttpCase):
    """Two approved key accounts A (``cls.customer_a``) and B
    (``cls.customer_b``), each with an active contract, a portal user
    (``cls.portal_a`` / ``cls.portal_b``, logins ``ka_portal_a`` /
    ``ka_portal_b``, password = login) and a confirmed order
    (``cls.order_a`` / ``cls.order_b``) of the storable gift box
    (``cls.product``, key-account price 150 against a list price of 188)
    allocated over three recipients, one delivery each; a suspended key
    account C (``cls.customer_c``) with its portal user ``cls.portal_c``.
    ``cls.product_a`` and ``cls.product_b`` (contract common) have
    key-account prices too.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The price tier is shared by the companies: so is the gift box.
        cls.product.company_id = False
        cls.ka_pricelist.write(
            {
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "1_product",
                            "product_tmpl_id": cls.product.product_tmpl_id.id,
                            "compute_price": "fixed",
                            "fixed_price": 150.0,
                        }
                    )
                ]
            }
        )
        cls.customer_a = cls.customer
        cls.customer_a.name = "甲方礼品集团 A Corp"
        cls.customer_b = cls._create_key_account("乙方银行 B Bank")
        cls.customer_c = cls._create_key_account("丙方停用公司 C Suspended")
        cls.contract_a = cls._create_contract(cls.customer_a)
        cls.contract_b = cls._create_contract(cls.customer_b)
        cls.contract_c = cls._create_contract(cls.customer_c)
        cls.portal_a = cls._create_portal_user(
            cls.customer_a, "ka_portal_a", "采购员甲"
        )
        cls.portal_b = cls._create_portal_user(
            cls.customer_b, "ka_portal_b", "采购员乙"
        )
        cls.portal_c = cls._create_portal_user(
            cls.customer_c, "ka_portal_c", "采购员丙"
        )
        cls.order_a = cls._create_portal_order(cls.customer_a, [1, 2, 3])
        cls.order_b = cls._create_portal_order(cls.customer_b, [4, 5, 6], start=500)
        cls.customer_c.with_user(cls.ka_manager).action_key_account_suspend()

    @classmethod
    def _create_portal_user(cls, customer, login, name):
        contact = cls.env["res.partner"].create(
            {
                "name": name,
                "parent_id": customer.id,
                "email": f"{login}@example.com",
                "type": "contact",
            }
        )
        return new_test_user(
            cls.env,
            login=login,
            password=login,
            name=name,
            partner_id=contact.id,
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    @classmethod
    def _create_portal_order(cls, customer, quantities, start=1, confirm=True):
        """A key-account order of ``customer`` for the gift box over
        ``len(quantities)`` new recipients, confirmed (one delivery each)
        unless ``confirm=False``."""
        recipients = cls.env["res.partner"]._key_account_get_or_create_recipients(
            customer,
            [
                cls._recipient_vals(index, name=f"{customer.name[:2]}收件人{index:03d}")
                for index in range(start, start + len(quantities))
            ],
        )
        order = (
            cls.env["sale.order"]
            .with_company(cls.company)
            .create(
                {
                    "partner_id": customer.id,
                    "company_id": cls.company.id,
                    "warehouse_id": cls.warehouse.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": sum(quantities),
                            }
                        )
                    ],
                }
            )
        )
        cls.env["key.account.allocation"].create(
            [
                {
                    "order_line_id": order.order_line.id,
                    "recipient_id": recipient.id,
                    "quantity": quantity,
                    "department": "行政部",
                }
                for recipient, quantity in zip(recipients, quantities, strict=True)
            ]
        )
        if confirm:
            order.action_confirm()
        return order
