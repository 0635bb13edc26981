# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import new_test_user

from .common import KeyAccountBaseCommon


class TestKeyAccountSecurity(KeyAccountBaseCommon):
    def test_groups_imply_sales_groups(self):
        self.assertTrue(self.ka_user.has_group("sales_team.group_sale_salesman"))
        self.assertFalse(
            self.ka_user.has_group("sales_team.group_sale_salesman_all_leads")
        )
        self.assertFalse(
            self.ka_user.has_group("key_account_base.key_account_group_manager")
        )
        for xmlid in (
            "key_account_base.key_account_group_user",
            "sales_team.group_sale_salesman_all_leads",
        ):
            self.assertTrue(self.ka_manager.has_group(xmlid))

    def test_menus_by_group(self):
        root = self.env.ref("key_account_base.key_account_menu_root")
        customers = self.env.ref("key_account_base.key_account_menu_customers")
        config = self.env.ref("key_account_base.key_account_menu_config")
        Menu = self.env["ir.ui.menu"]
        user_menus = Menu.with_user(self.ka_user)._visible_menu_ids()
        manager_menus = Menu.with_user(self.ka_manager)._visible_menu_ids()
        self.assertTrue({root.id, customers.id} <= user_menus)
        self.assertNotIn(config.id, user_menus)
        self.assertIn(config.id, manager_menus)
        employee = new_test_user(
            self.env, login="ka_test_employee", groups="base.group_user"
        )
        self.assertNotIn(root.id, Menu.with_user(employee)._visible_menu_ids())
