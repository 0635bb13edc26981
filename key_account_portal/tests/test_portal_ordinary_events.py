# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The ordinary events seen from the portal: a partial delivery with its
backorder, a cancelled order, a second click on Accept, and a portal or
back-office user writing over RPC what the portal shows read-only."""

import io

from openpyxl import load_workbook

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .test_portal_follow import KeyAccountFollowCommon


@tagged("post_install", "-at_install")
class TestPortalOrdinaryEvents(KeyAccountFollowCommon):
    def _partial_delivery(self, allocation, quantity):
        """Deliver ``quantity`` of the allocation's delivery and keep the rest
        in a backorder, as a warehouse user answering "Create Backorder"."""
        picking = allocation.picking_id
        picking.move_ids.quantity = quantity
        picking.move_ids.picked = True
        action = picking.with_context(skip_sms=True).button_validate()
        self.assertEqual(action.get("res_model"), "stock.backorder.confirmation")
        self.env["stock.backorder.confirmation"].with_context(
            button_validate_picking_ids=picking.ids, skip_sms=True
        ).create({"pick_ids": [(4, picking.id)]}).process()
        self.assertEqual(picking.state, "done")
        backorder = allocation.picking_id
        self.assertNotEqual(backorder, picking, "the allocation follows the backorder")
        return picking, backorder

    def _report_row(self, order, name):
        response = self.url_open(self._order_url(order, "/report.xlsx"))
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        row = next(r for r in rows[1:] if name in r)
        return dict(zip(header, row, strict=False))

    def test_partial_delivery_waits_for_the_backorder(self):
        allocation = self.allocations_a[2]  # 3 gift boxes, not delivered yet
        first, backorder = self._partial_delivery(allocation, 1)
        self.assertEqual(allocation.qty_delivered, 1)
        self.authenticate("ka_portal_a", "ka_portal_a")
        page = self.url_open(self._order_url(self.order_a)).text
        self.assertIn(backorder.name, page, "the open delivery is the backorder")
        report = self._report_row(self.order_a, allocation.recipient_id.name)
        self.assertIn(1, report.values(), "the report shows the 1 delivered so far")
        # Accepting before the backorder is delivered is refused, nothing written.
        before = self._snapshot()
        response = self._post(
            self._order_url(self.order_a, "/accept"), {"allocation_ids": allocation.id}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("is not done yet", response.text)
        self.assertEqual(self._snapshot(), before)
        # The backorder delivered: the recipient is accepted once, in full.
        self._ka_deliver(backorder)
        self.assertEqual(allocation.qty_delivered, 3)
        response = self._post(
            self._order_url(self.order_a, "/accept"), {"allocation_ids": allocation.id}
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertEqual(allocation.acceptance_state, "accepted")
        self.assertEqual(first.state, "done")

    def test_second_click_on_accept_records_nothing_more(self):
        allocation = self.allocations_a[0]
        self.authenticate("ka_portal_a", "ka_portal_a")
        url = self._order_url(self.order_a, "/accept")
        messages = self.env["mail.message"].search_count(
            [("model", "=", "sale.order"), ("res_id", "=", self.order_a.id)]
        )
        for _click in range(2):
            response = self._post(url, {"allocation_ids": allocation.id})
            self.assertIn(response.status_code, (302, 303))
        self.assertEqual(allocation.acceptance_state, "accepted")
        self.assertEqual(
            self.env["mail.message"].search_count(
                [("model", "=", "sale.order"), ("res_id", "=", self.order_a.id)]
            ),
            messages + 1,
            "one acceptance message, not one per click",
        )

    def test_cancelled_order_changes_nothing_from_the_portal(self):
        order = self._create_portal_order(self.customer_a, [1, 1], start=700)
        order._action_cancel()
        self.assertEqual(order.state, "cancel")
        allocation = order.key_account_allocation_ids[0]
        self.authenticate("ka_portal_a", "ka_portal_a")
        page = self.url_open(self._order_url(order))
        self.assertEqual(page.status_code, 200)
        self.assertNotIn('id="ka_order_draft_panel"', page.text)
        before = self._snapshot()
        lines_before = [(line.id, line.product_uom_qty) for line in order.order_line]
        for suffix, data in (
            ("/accept", {"allocation_ids": allocation.id}),
            ("/submit", {}),
            ("/lines", {"quick_pad": "KA-ENGINE-GIFT 9"}),
            ("/delivery", {"key_account_delivery_grouping": "branch"}),
        ):
            with self.subTest(route=suffix):
                response = self._post(self._order_url(order, suffix), data)
                self.assertNotEqual(response.status_code, 500)
        response = self._post(
            self._order_url(order, "/recipients/upload"),
            files={"file": ("r.csv", "收件人,电话\n".encode(), "text/csv")},
        )
        self.assertNotEqual(response.status_code, 500)
        order.invalidate_recordset()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.key_account_review_state, "none")
        self.assertFalse(order.key_account_delivery_grouping == "branch")
        self.assertEqual(
            [(line.id, line.product_uom_qty) for line in order.order_line],
            lines_before,
        )
        self.assertEqual(allocation.acceptance_state, "pending")
        self.assertEqual(self._snapshot(), before)

    def test_rpc_writes_on_what_the_portal_shows_read_only(self):
        """Views are no security: every field the portal displays without a
        form, written over RPC by the portal user, is refused."""
        allocation = self.allocations_a[0]
        portal_env = self.env(user=self.portal_a)
        for record, vals in (
            (self.order_a, {"key_account_portal_token": "forged-token-xyz"}),
            (self.order_a, {"key_account_review_state": "approved"}),
            (self.order_a, {"key_account_delivery_grouping": "branch"}),
            (self.order_a, {"note": "改价"}),
            (allocation, {"acceptance_state": "accepted"}),
            (allocation, {"quantity": 99}),
            (self.contract_a, {"discount": 50}),
        ):
            with (
                self.subTest(model=record._name, vals=vals),
                self.assertRaises(AccessError),
            ):
                record.with_env(portal_env).write(vals)
        for model in (
            "key.account.portal.import",
            "key.account.portal.application.attempt",
        ):
            with self.subTest(model=model), self.assertRaises(AccessError):
                portal_env[model].create({})

    def test_back_office_cannot_rewrite_an_import_or_a_portal_token(self):
        record = (
            self.env["key.account.portal.import"]
            .sudo()
            .create(
                {
                    "order_id": self.order_a.id,
                    "user_id": self.portal_a.id,
                    "state": "failed",
                }
            )
        )
        manager = new_test_user(
            self.env,
            login="ka_events_sale_manager",
            groups="sales_team.group_sale_manager",
            company_id=self.company.id,
        )
        with self.assertRaises(AccessError):
            record.with_user(manager).write({"state": "done"})
        with self.assertRaises(AccessError):
            self.order_a.with_user(manager).write(
                {"key_account_portal_token": "forged-token-xyz"}
            )
