# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import tagged

from .test_portal_follow import KeyAccountFollowCommon


@tagged("post_install", "-at_install")
class TestPortalFollowTour(KeyAccountFollowCommon):
    def test_follow_and_accept_deliveries_in_chinese(self):
        """Tour "follow and accept deliveries", in Simplified Chinese."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["web", "portal", "key_account_order", "key_account_portal"],
            ["zh_CN"],
            overwrite=True,
        )
        self.portal_a.lang = "zh_CN"
        self.start_tour(
            "/my/key-account/orders", "key_account_follow_tour", login="ka_portal_a"
        )
        self.env.invalidate_all()
        self.assertEqual(
            self.allocations_a.mapped("acceptance_state"),
            ["accepted", "accepted", "pending"],
        )
        self.assertEqual(self.allocations_b.mapped("acceptance_state"), ["pending"] * 3)
