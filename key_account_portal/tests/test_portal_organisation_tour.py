# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import tagged

from .common import KeyAccountPortalCommon


@tagged("post_install", "-at_install")
class TestPortalOrganisationTour(KeyAccountPortalCommon):
    def test_admin_invites_and_sets_roles(self):
        """Tour: the administrator invites a colleague and sets his roles."""
        self.portal_a.partner_id.key_account_role_admin = True
        self.start_tour("/my", "key_account_organisation_tour", login="ka_portal_a")
        contact = self.env["res.partner"].search(
            [("email", "=", "tour.colleague@example.com")]
        )
        self.assertEqual(contact.parent_id, self.customer_a)
        self.assertEqual(contact._key_account_portal_roles(), {"buyer", "finance"})
        self.assertTrue(contact.user_ids.has_group("base.group_portal"))
