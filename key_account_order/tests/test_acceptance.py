# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .test_import import KeyAccountImportCommon


@tagged("post_install", "-at_install")
class TestAcceptance(KeyAccountImportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_allocated_order(quantities=(1, 2, 3))
        cls.order.action_confirm()
        cls.allocations = cls.order.key_account_allocation_ids.sorted("quantity")

    def _wizard(self, allocations, **values):
        form = Form(
            self.env["key.account.acceptance.wizard"].with_context(
                active_model="key.account.allocation", active_ids=allocations.ids
            )
        )
        for name, value in values.items():
            setattr(form, name, value)
        return form.save()

    def test_only_done_deliveries_can_be_accepted(self):
        first = self.allocations[0]
        self.assertNotEqual(first.picking_id.state, "done")
        with self.assertRaisesMessage(UserError, "Only delivered goods"):
            self._wizard(first).action_confirm()
        with self.assertRaisesMessage(UserError, "Only delivered goods"):
            first.picking_id.action_key_account_accept()
        self.assertEqual(first.acceptance_state, "pending")

    def test_accept_and_progress(self):
        self.assertEqual(self.order.key_account_acceptance_total, 3)
        self.assertEqual(self.order.key_account_acceptance_progress, 0)
        self._deliver(self.allocations.picking_id)
        self._wizard(self.allocations[0]).action_confirm()
        self.assertEqual(self.allocations[0].acceptance_state, "accepted")
        self.assertEqual(self.allocations[1].acceptance_state, "pending")
        self.assertEqual(self.order.key_account_acceptance_done, 1)
        self.assertAlmostEqual(self.order.key_account_acceptance_progress, 100 / 3)
        # Accepting from the recipient's delivery.
        self.allocations[1].picking_id.action_key_account_accept()
        self.assertEqual(self.allocations[1].acceptance_state, "accepted")
        self.assertEqual(self.order.key_account_acceptance_done, 2)
        self.assertIn("accepted", self.order.message_ids[0].body)

    def test_discrepancy(self):
        self._deliver(self.allocations.picking_id)
        with self.assertRaises(AssertionError):  # type and note are required
            self._wizard(self.allocations[2], result="discrepancy")
        with self.assertRaisesMessage(UserError, "Choose what is wrong"):
            self.env["key.account.acceptance.wizard"].create(
                {
                    "allocation_ids": [(6, 0, self.allocations[2].ids)],
                    "result": "discrepancy",
                }
            ).action_confirm()
        self.assertFalse(
            self.env["sale.order"].search_count(
                [
                    ("id", "=", self.order.id),
                    ("key_account_has_discrepancy", "=", True),
                ]
            )
        )
        self._wizard(
            self.allocations[2],
            result="discrepancy",
            discrepancy_type="damage",
            discrepancy_note="外包装破损，1 盒礼盒压坏",
        ).action_confirm()
        allocation = self.allocations[2]
        self.assertEqual(allocation.acceptance_state, "discrepancy")
        self.assertEqual(allocation.discrepancy_type, "damage")
        self.assertEqual(allocation.discrepancy_note, "外包装破损，1 盒礼盒压坏")
        self.assertTrue(self.order.key_account_has_discrepancy)
        self.assertEqual(self.order.key_account_acceptance_discrepancy, 1)
        self.assertEqual(self.order.key_account_acceptance_done, 0)
        self.assertIn("外包装破损", self.order.message_ids[0].body)
        other = self._create_allocated_order()
        domain = [("id", "in", (self.order | other).ids)]
        self.assertEqual(
            self.env["sale.order"].search(
                domain + [("key_account_has_discrepancy", "=", True)]
            ),
            self.order,
        )
        self.assertEqual(
            self.env["sale.order"].search(
                domain + [("key_account_has_discrepancy", "=", False)]
            ),
            other,
        )
        # Settled with the customer: accepted after all.
        self._wizard(allocation).action_confirm()
        self.assertEqual(allocation.acceptance_state, "accepted")
        self.assertFalse(allocation.discrepancy_type)
        self.assertFalse(self.order.key_account_has_discrepancy)

    def test_engine_is_a_method_of_the_allocations(self):
        """The back office's wizard, the delivery's button and the portal
        share one engine on key.account.allocation."""
        self._deliver(self.allocations.picking_id)
        accepted = self.allocations[:2]._key_account_accept()
        self.assertEqual(accepted, self.allocations[:2])
        messages = self.order.message_ids
        self.assertFalse(self.allocations[:2]._key_account_accept(), "accepted already")
        self.assertEqual(self.order.message_ids, messages, "no second message")
        with self.assertRaisesMessage(UserError, "Describe the discrepancy"):
            self.allocations[2]._key_account_report_discrepancy("damage", "  ")
        posted = self.allocations[2]._key_account_report_discrepancy(
            "quantity", "少了 1 盒"
        )
        self.assertEqual(posted, self.order.message_ids[0])
        self.assertIn("少了 1 盒", posted.body)
        self.assertEqual(self.allocations[2].discrepancy_type, "quantity")

    def test_wizard_defaults_from_order_and_picking(self):
        def order_wizard():
            return (
                self.env["key.account.acceptance.wizard"]
                .with_context(active_model="sale.order", active_ids=self.order.ids)
                .create({})
            )

        self.assertFalse(order_wizard().allocation_ids, "nothing delivered yet")
        self._deliver(self.allocations[:2].picking_id)
        self.assertEqual(order_wizard().allocation_ids, self.allocations[:2])
        picking = self.allocations[1].picking_id
        action = picking.action_key_account_acceptance_wizard()
        wizard = (
            self.env["key.account.acceptance.wizard"]
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.allocation_ids, picking._key_account_get_allocations())
        self.assertEqual(wizard.result, "discrepancy")


@tagged("post_install", "-at_install")
class TestDeliverySlip(KeyAccountImportCommon):
    def test_delivery_slip_shows_recipient_and_requirements(self):
        order = self._create_allocated_order(quantities=(1, 1))
        order.write(
            {
                "key_account_packaging": "gift_wrap",
                "key_account_packaging_note": "礼品包装，附贺卡",
                "key_account_logistics_note": "工作日 9:00-17:00 送达前台",
            }
        )
        order.action_confirm()
        allocation = order.key_account_allocation_ids[0]
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("stock.report_deliveryslip", allocation.picking_id.ids)[
                0
            ]
            .decode()
        )
        self.assertIn(allocation.recipient_id.name, html)
        self.assertIn(allocation.recipient_id.phone, html)
        self.assertIn("市场部", html)
        self.assertIn("上海分公司", html)
        self.assertIn("礼品包装，附贺卡", html)
        self.assertIn("工作日 9:00-17:00 送达前台", html)
