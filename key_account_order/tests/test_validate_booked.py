# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import tagged

from .common import give_key_account_price
from .parcel_common import KeyAccountParcelCommon


@tagged("post_install", "-at_install")
class TestValidateBooked(KeyAccountParcelCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.stock_move_email_validation = True
        # a product with stock for two of three recipients
        cls.scarce = cls.env["product.product"].create(
            {
                "name": "限量礼盒",
                "type": "consu",
                "is_storable": True,
                "list_price": 88.0,
                "company_id": cls.company.id,
            }
        )
        give_key_account_price(cls.env, cls.scarce)
        cls.env["stock.quant"]._update_available_quantity(
            cls.scarce, cls.warehouse.lot_stock_id, 2
        )
        cls.scarce_order = cls._create_order([1, 1, 1], product=cls.scarce)
        cls.scarce_order.action_confirm()
        cls.scarce_pickings = cls.scarce_order.picking_ids
        cls._book(cls.scarce_pickings, cls.carrier, prefix="SC")

    def _notices(self, pickings):
        template = self.company.stock_mail_confirmation_template_id
        self.assertTrue(template)
        return {
            picking: len(
                picking.message_ids.filtered(
                    lambda m, p=picking: m.subject and p.name in m.subject
                )
            )
            for picking in pickings
        }

    def test_one_lacks_stock_others_validated_once(self):
        validated, errors = self.scarce_pickings._key_account_validate_booked()
        short = self.scarce_pickings.filtered(
            lambda p: p.state not in ("assigned", "done")
        )
        self.assertEqual(len(validated), 2)
        self.assertEqual(set(validated.mapped("state")), {"done"})
        self.assertEqual(len(short), 1)
        self.assertEqual(list(errors), [short])
        self.assertIn("not enough stock", errors[short])
        self.assertEqual(short.state, "confirmed")
        self.assertFalse(short.move_ids.filtered("picked"))
        self.assertEqual(set(self._notices(validated).values()), {1})
        self.assertEqual(self._notices(short)[short], 0)
        # a second click validates nothing again and sends no second notice
        again, errors = self.scarce_pickings._key_account_validate_booked()
        self.assertFalse(again)
        self.assertEqual(set(self._notices(validated).values()), {1})

    def test_unbooked_and_refused_in_batch(self):
        unbooked = self.pickings[2]
        unbooked.key_account_parcel_ids.unlink()
        # core refuses one delivery (a lot-tracked product without a lot):
        # the others are validated, that one is left as it was
        lot_product = self.env["product.product"].create(
            {
                "name": "刻字礼盒",
                "type": "consu",
                "is_storable": True,
                "company_id": self.company.id,
            }
        )
        give_key_account_price(self.env, lot_product)
        self.env["stock.quant"]._update_available_quantity(
            lot_product, self.warehouse.lot_stock_id, 5
        )
        order = self._create_order([1], product=lot_product)
        order.action_confirm()
        refused = order.picking_ids
        self._book(refused, self.carrier, prefix="LOT")
        lot_product.tracking = "lot"
        pickings = self.pickings | refused
        validated, errors = pickings._key_account_validate_booked()
        self.assertEqual(validated, self.pickings[:2], errors)
        self.assertEqual(set(self.pickings[:2].mapped("state")), {"done"})
        self.assertEqual(set(self._notices(validated).values()), {1})
        self.assertEqual(set(errors), {unbooked, refused})
        self.assertIn("waybill", errors[unbooked])
        self.assertEqual(refused.state, "assigned")
        self.assertFalse(refused.move_ids.filtered("picked"))
        self.assertEqual(unbooked.state, "assigned")
