# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import tagged

from .test_portal_recipients import PortalRecipientsCommon


@tagged("post_install", "-at_install")
class TestPortalRecipientsTour(PortalRecipientsCommon):
    def test_recipients_upload_tour(self):
        """Upload with errors, corrected, accepted (headless Chromium)."""
        self.start_tour(
            f"/my/key-account/orders/{self.draft_a.id}/recipients/upload",
            "key_account_recipients_tour",
            login="ka_portal_a",
        )
        allocations = self.env["key.account.allocation"].search(
            [("order_id", "=", self.draft_a.id)]
        )
        self.assertEqual(
            sorted(allocations.recipient_id.mapped("name")), ["刘洋", "王芳"]
        )
        self.assertEqual(sum(allocations.mapped("quantity")), 3)
