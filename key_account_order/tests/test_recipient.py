# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import tagged

from .common import KeyAccountOrderCommon

# Recipient keys as key_account_order 18.0.1.0.0 wrote them: phone and address,
# without the name.
OLD_KEY_SQL = """
    UPDATE res_partner
       SET key_account_recipient_key = regexp_replace(phone, '\\D', '', 'g')
           || '|' || COALESCE(state_id::text, '') || '|' || COALESCE(city, '')
           || '|' || COALESCE(key_account_district, '') || '|'
           || replace(COALESCE(street, ''), ' ', '') || '|'
     WHERE id = ANY(%s)
"""


@tagged("post_install", "-at_install")
class TestRecipients(KeyAccountOrderCommon):
    def test_deduplicated_by_name_phone_and_address(self):
        Partner = self.env["res.partner"]
        first = Partner._key_account_get_or_create_recipients(
            self.customer,
            [
                self._recipient_vals(1),
                self._recipient_vals(2),
                # Same person written differently inside the same list.
                self._recipient_vals(
                    1,
                    name=" 员工 001",
                    phone="+86 139-0000-0001",
                    street="世纪大道1号",
                ),
            ],
        )
        self.assertEqual(len(first), 3)
        self.assertEqual(first[0], first[2])
        self.assertNotEqual(first[0], first[1])
        self.assertTrue(all(first.mapped("key_account_recipient")))
        self.assertEqual(first.parent_id, self.customer)
        self.assertEqual(set(first.mapped("type")), {"delivery"})
        # A later order reuses them; another address is another recipient.
        second = Partner._key_account_get_or_create_recipients(
            self.customer,
            [
                self._recipient_vals(2, phone="0086 13900000002"),
                self._recipient_vals(1, street="世纪大道 100 号"),
            ],
        )
        self.assertEqual(second[0], first[1])
        self.assertNotIn(second[1], first)
        self.assertEqual(self.customer.key_account_recipient_count, 3)

    def test_colleagues_sharing_switchboard_and_address_are_two_recipients(self):
        """Finding 3: 张三 and 李四, same office switchboard, same address, are
        two recipients; the same name, phone and address is one."""
        Partner = self.env["res.partner"]
        office = {"phone": "010-65000000", "street": "建国路 88 号"}
        recipients = Partner._key_account_get_or_create_recipients(
            self.customer,
            [
                self._recipient_vals(1, name="张三", **office),
                self._recipient_vals(1, name="李四", **office),
                self._recipient_vals(
                    1, name=" 张 三", phone="+86 10 6500 0000", street="建国路８８号"
                ),
            ],
        )
        self.assertEqual(recipients.mapped("name"), ["张三", "李四", "张三"])
        self.assertNotEqual(recipients[0], recipients[1])
        self.assertEqual(recipients[0], recipients[2])
        again = Partner._key_account_get_or_create_recipients(
            self.customer, [self._recipient_vals(1, name="李四", **office)]
        )
        self.assertEqual(again, recipients[1])

    def test_full_width_phone_is_the_same_recipient(self):
        """Finding 8: a phone typed with full-width digits is normalised."""
        Partner = self.env["res.partner"]
        first = Partner._key_account_get_or_create_recipients(
            self.customer, [self._recipient_vals(1, phone="13800138001")]
        )
        second = Partner._key_account_get_or_create_recipients(
            self.customer, [self._recipient_vals(1, phone="１３８００１３８００１")]
        )
        self.assertEqual(first, second)

    def test_key_follows_an_edited_recipient(self):
        """The key is computed from the recipient's data: corrected by hand,
        the recipient is found under its corrected phone."""
        Partner = self.env["res.partner"]
        recipient = Partner._key_account_get_or_create_recipients(
            self.customer, [self._recipient_vals(1, phone="13800138001")]
        )
        recipient.phone = "13800138002"
        found = Partner._key_account_get_or_create_recipients(
            self.customer, [self._recipient_vals(1, phone="+86 138 0013 8002")]
        )
        self.assertEqual(found, recipient)

    def test_old_recipient_keys_recomputed_on_update(self):
        """Keys written by the previous version (phone and address only) are
        recomputed when the module is updated: the registry's init of
        res.partner, no migration script needed."""
        recipients = self._create_recipients(2, start=700)
        self.env.flush_all()
        self.env.cr.execute(OLD_KEY_SQL, [recipients.ids])
        self.env.invalidate_all()
        self.assertFalse(recipients[0].key_account_recipient_key.startswith("v2|"))
        self.env["res.partner"].init()
        self.env.invalidate_all()
        for recipient in recipients:
            self.assertTrue(recipient.key_account_recipient_key.startswith("v2|"))
            self.assertEqual(
                recipient.key_account_recipient_key,
                self.env["res.partner"]._key_account_recipient_key(
                    self._recipient_vals(int(recipient.name[2:]))
                ),
            )
        found = self.env["res.partner"]._key_account_get_or_create_recipients(
            self.customer, [self._recipient_vals(700)]
        )
        self.assertEqual(found, recipients[0])

    def test_same_person_other_customer(self):
        other = self._create_key_account("北京另一家集团有限公司")
        Partner = self.env["res.partner"]
        mine = Partner._key_account_get_or_create_recipients(
            self.customer, [self._recipient_vals(1)]
        )
        theirs = Partner._key_account_get_or_create_recipients(
            other, [self._recipient_vals(1)]
        )
        self.assertNotEqual(mine, theirs)
        self.assertEqual(theirs.parent_id, other)

    def _count_queries(self, rows):
        Partner = self.env["res.partner"]
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        recipients = Partner._key_account_get_or_create_recipients(self.customer, rows)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before, recipients

    def test_batched_queries(self):
        """One search for existing keys and one create: the query count does
        not depend on the number of rows."""
        self._count_queries([self._recipient_vals(i) for i in range(1, 3)])
        small, _recipients = self._count_queries(
            [self._recipient_vals(i) for i in range(10, 15)]
        )
        large, recipients = self._count_queries(
            [self._recipient_vals(i) for i in range(100, 140)]
        )
        self.assertEqual(len(recipients), 40)
        self.assertEqual(small, large)
        # Existing recipients only: no create at all.
        again, found = self._count_queries(
            [self._recipient_vals(i) for i in range(100, 140)]
        )
        self.assertEqual(found, recipients)
        self.assertLess(again, small)

    def test_hidden_from_name_search(self):
        recipient = self._create_recipients(1, start=300)
        Partner = self.env["res.partner"]
        found = [pid for pid, _name in Partner.name_search(recipient.name)]
        self.assertNotIn(recipient.id, found)
        shown = Partner.with_context(key_account_show_recipients=True).name_search(
            recipient.name
        )
        self.assertIn(recipient.id, [pid for pid, _name in shown])
        result = Partner.web_search_read(
            [("parent_id", "=", self.customer.id)], {"display_name": {}}
        )
        self.assertNotIn(recipient.id, [rec["id"] for rec in result["records"]])
        # Not in the customer's contact list either; reads keep working.
        self.assertNotIn(recipient, self.customer.child_ids)
        self.assertEqual(recipient.read(["name"])[0]["name"], recipient.name)
        action = self.customer.action_key_account_view_recipients()
        self.assertIn(
            recipient,
            Partner.with_context(**action["context"]).search(action["domain"]),
        )
