# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import tagged

from odoo.addons.key_account_base.tests.common import make_uscc

from .test_portal_application import KeyAccountApplicationCommon

# The code the tour types (its wrong variant first).
TOUR_CODE = make_uscc(987654321)


@tagged("post_install", "-at_install")
class TestPortalApplicationTour(KeyAccountApplicationCommon):
    def test_apply_tour(self):
        """An anonymous visitor fills the form in a browser, gets the back
        office's message for a wrong check digit, corrects it, attaches the
        licence again and lands on the thanks page."""
        self.assertEqual(TOUR_CODE, "911101059876543217")
        self.start_tour("/key-account/apply", "key_account_apply_tour", login=None)
        customer = self._application(TOUR_CODE)
        self.assertRecordValues(
            customer,
            [
                {
                    "name": "导览在线申请科技有限公司",
                    "key_account_state": "submitted",
                    "key_account_source": "self_registered",
                    "key_account_type": "state_owned",
                    "state_id": self.env.ref("base.state_cn_SH").id,
                }
            ],
        )
        self.assertEqual(
            customer.key_account_applicant_id.email, "qian.wei@tour-apply.example.com"
        )
        licence = customer.message_ids.attachment_ids
        self.assertEqual(licence.name, "营业执照.pdf")
        self.assertEqual(licence.mimetype, "application/pdf")
