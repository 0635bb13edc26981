# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command

from odoo.addons.key_account_base.tests.common import KeyAccountBaseCommon


def give_key_account_price(env, products):
    """Give ``products`` a key-account price (their list price) in the
    shared key-account price tier: the contracts allow them. Shared by the
    companies as the tier is."""
    products.company_id = False
    env.ref("key_account_contract.pricelist_key_account").item_ids = [
        Command.create(
            {
                "applied_on": "1_product",
                "product_tmpl_id": template.id,
                "compute_price": "percentage",
                "percent_price": 0.0,
            }
        )
        for template in products.product_tmpl_id
    ]


class KeyAccountOrderCommon(KeyAccountBaseCommon):
    """Fixtures of the order engine: a key account, a storable product in
    stock in the test company's warehouse (with a key-account price: the
    contracts allow it), helpers for recipients, orders and deliveries."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, skip_sms=True))
        cls.env.user.company_id = cls.company
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.customer = cls._create_key_account("上海礼品采购集团有限公司")
        cls.product = cls.env["product.product"].create(
            {
                "name": "端午礼盒",
                "default_code": "KA-ENGINE-GIFT",
                "type": "consu",
                "is_storable": True,
                "list_price": 188.0,
                "invoice_policy": "order",
                "company_id": cls.company.id,
            }
        )
        # Contracts allow it: it has a key-account price (its list price).
        give_key_account_price(cls.env, cls.product)
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.warehouse.lot_stock_id, 10000
        )
        cls.state_sh = cls.env.ref("base.state_cn_SH")

    @classmethod
    def _recipient_vals(cls, index, **vals):
        return {
            "name": f"员工{index:03d}",
            "phone": f"1390000{index:04d}",
            "country_id": cls.env.ref("base.cn").id,
            "state_id": cls.state_sh.id,
            "city": "上海市",
            "key_account_district": "浦东新区",
            "street": f"世纪大道 {index} 号",
            **vals,
        }

    @classmethod
    def _create_recipients(cls, count, start=1):
        return cls.env["res.partner"]._key_account_get_or_create_recipients(
            cls.customer,
            [cls._recipient_vals(index) for index in range(start, start + count)],
        )

    @classmethod
    def _create_order(
        cls, quantities, recipients=None, departments=None, product=None, **vals
    ):
        """Quotation of one line of ``product`` (the common gift box when not
        given) allocated over ``recipients`` (created when not given), one
        quantity per recipient."""
        product = product or cls.product
        recipients = recipients or cls._create_recipients(len(quantities))
        order = (
            cls.env["sale.order"]
            .with_company(cls.company)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.company.id,
                    "warehouse_id": cls.warehouse.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": sum(quantities),
                            }
                        )
                    ],
                    **vals,
                }
            )
        )
        departments = departments or [False] * len(quantities)
        cls.env["key.account.allocation"].create(
            [
                {
                    "order_line_id": order.order_line.id,
                    "recipient_id": recipient.id,
                    "quantity": quantity,
                    "department": department,
                    "branch": department and f"{department}分公司",
                }
                for recipient, quantity, department in zip(
                    recipients, quantities, departments, strict=True
                )
            ]
        )
        return order

    def _deliver(self, pickings):
        """Validate ``pickings`` with their full reserved quantity."""
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings.with_context(skip_backorder=True, skip_sms=True).button_validate()
        self.assertEqual(set(pickings.mapped("state")), {"done"})

    def _outgoing_moves(self, order):
        return self.env["stock.move"].search(
            [
                ("key_account_allocation_id.order_id", "=", order.id),
                ("state", "!=", "cancel"),
            ]
        )
