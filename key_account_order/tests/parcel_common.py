# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import new_test_user

from .common import KeyAccountOrderCommon


class KeyAccountParcelCommon(KeyAccountOrderCommon):
    """A confirmed order of ``RECIPIENTS`` recipient deliveries, a carrier
    with a tracking secret and one booked parcel per delivery."""

    RECIPIENTS = 3
    SECRET = "s3cret-key"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="ka_parcel_manager",
            name="Account Manager Wang",
            groups="sales_team.group_sale_salesman,stock.group_stock_user",
            company_id=cls.company.id,
        )
        cls.carrier = cls._create_carrier("顺丰速运", cls.company)
        cls.order = cls._create_order([1] * cls.RECIPIENTS, user_id=cls.manager.id)
        cls.order.action_confirm()
        cls.pickings = cls.order.picking_ids.sorted("id")
        cls.parcels = cls._book(cls.pickings, cls.carrier, prefix="SF")

    @classmethod
    def _create_carrier(cls, name, company, secret=None):
        product = cls.env["product.product"].create(
            {"name": f"运费 {name}", "type": "service", "company_id": company.id}
        )
        return cls.env["delivery.carrier"].create(
            {
                "name": name,
                "product_id": product.id,
                "company_id": company.id,
                "tracking_url": "https://track.example.com/?no=<shipmenttrackingnumber>",
                "key_account_tracking_secret": secret or cls.SECRET,
            }
        )

    @classmethod
    def _book(cls, pickings, carrier, prefix):
        pickings.carrier_id = carrier
        return cls.env["key.account.parcel"].create(
            [
                {
                    "picking_id": picking.id,
                    "carrier_id": carrier.id,
                    "waybill_number": f"{prefix}{picking.id:010d}",
                    "tracking_state": "booked",
                }
                for picking in pickings
            ]
        )
