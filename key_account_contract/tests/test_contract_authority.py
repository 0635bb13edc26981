# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Contract authority (issue 8, finding 6): outside draft only a Key Account
Manager changes the terms; the status changes only through the action
methods, each of which checks the user's rights."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import KeyAccountContractCommon


@tagged("post_install", "-at_install")
class TestContractAuthority(KeyAccountContractCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._create_key_account("KA Authority Customer")
        cls.contract = cls._create_contract(
            cls.customer,
            discount=5.0,
            credit_limit=10000.0,
            discount_line_ids=[
                Command.create({"categ_id": cls.categ_a.id, "discount": 10.0})
            ],
            rebate_tier_ids=[Command.create({"amount_from": 1000.0, "rate": 1.0})],
        )
        cls.other_term = cls.env["account.payment.term"].create(
            {"name": "KA 90 days", "company_id": cls.company.id}
        )
        cls.salesman = new_test_user(
            cls.env,
            login="ka_test_authority_salesman",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def test_finding6_user_cannot_rewrite_active_contract(self):
        """The reproduction of finding 6, each write refused with a message
        naming the contract and who can change it."""
        contract = self.contract.with_user(self.ka_user)
        self.assertEqual(contract.state, "active")
        for vals in (
            {"discount": 50.0},
            {"credit_limit": 99999999.0},
            {"state": "draft"},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesMessage(
                    AccessError, self.contract.name, "Key Account Manager"
                ),
            ):
                contract.write(vals)
        self.assertEqual(self.contract.discount, 5.0)
        self.assertEqual(self.contract.credit_limit, 10000.0)
        self.assertEqual(self.contract.state, "active")

    def test_user_cannot_change_any_term_outside_draft(self):
        contract = self.contract.with_user(self.ka_user)
        eur = self.env.ref("base.EUR")
        for vals in (
            {"payment_term_id": self.other_term.id},
            {"payment_method": "cash_on_delivery"},
            {"date_end": self.contract.date_end.replace(year=2099)},
            {"date_start": self.today},
            {"currency_id": eur.id},
            {"committed_amount": 1.0},
            {"allow_promotions": True},
            {"invoice_policy": "period"},
            {"rebate_mode": "cumulative"},
            {"note": "<p>Free delivery everywhere</p>"},
            {"discount_line_ids": [Command.clear()]},
            {"rebate_tier_ids": [Command.create({"amount_from": 5.0, "rate": 50})]},
        ):
            with (
                self.subTest(vals=vals),
                self.assertRaisesMessage(AccessError, self.contract.name),
            ):
                contract.write(vals)
        line = self.contract.discount_line_ids.with_user(self.ka_user)
        tier = self.contract.rebate_tier_ids.with_user(self.ka_user)
        with self.assertRaisesMessage(AccessError, self.contract.name):
            line.discount = 90.0
        with self.assertRaisesMessage(AccessError, self.contract.name):
            line.unlink()
        with self.assertRaisesMessage(AccessError, self.contract.name):
            line.create(
                {
                    "contract_id": self.contract.id,
                    "product_id": self.product_b.id,
                    "discount": 90.0,
                }
            )
        with self.assertRaisesMessage(AccessError, self.contract.name):
            tier.rate = 50.0
        with self.assertRaisesMessage(AccessError, self.contract.name):
            tier.unlink()
        with self.assertRaisesMessage(AccessError, self.contract.name):
            tier.create(
                {"contract_id": self.contract.id, "amount_from": 1.0, "rate": 50.0}
            )
        # moving a draft contract's line onto the active one
        draft = self._create_contract(
            self._create_key_account("KA Authority Draft"),
            activate=False,
            discount_line_ids=[
                Command.create({"categ_id": self.categ_b.id, "discount": 30.0})
            ],
        )
        with self.assertRaisesMessage(AccessError, self.contract.name):
            draft.discount_line_ids.with_user(self.ka_user).contract_id = self.contract
        self.assertEqual(self.contract.discount_line_ids.discount, 10.0)
        self.assertEqual(self.contract.rebate_tier_ids.rate, 1.0)
        self.assertEqual(self.contract.payment_term_id, self.payment_term)
        # what is not a term stays open: the responsible, the chatter
        contract.user_id = self.ka_user
        contract.message_post(body="Called the customer's buyer.")

    def test_manager_changes_terms_outside_draft(self):
        contract = self.contract.with_user(self.ka_manager)
        contract.write({"discount": 8.0, "credit_limit": 20000.0})
        contract.discount_line_ids.discount = 12.0
        contract.rebate_tier_ids.rate = 2.0
        self.assertEqual(self.contract.credit_limit, 20000.0)
        items = self.contract.pricelist_id.item_ids
        self.assertEqual(
            sorted(items.mapped("price_discount")), [8.0, 12.0], "pricelist synced"
        )
        # the status, even for a manager, only through the action methods
        with self.assertRaisesMessage(AccessError, self.contract.name):
            contract.write({"state": "draft"})
        self.assertEqual(self.contract.state, "active")

    def test_draft_terms_open_but_state_and_pricelist_are_not(self):
        draft = self._create_contract(
            self._create_key_account("KA Authority Draft Terms"), activate=False
        ).with_user(self.ka_user)
        draft.write({"discount": 15.0, "credit_limit": 500.0})
        draft.discount_line_ids = [
            Command.create({"categ_id": self.categ_b.id, "discount": 20.0})
        ]
        with self.assertRaisesMessage(AccessError, draft.name):
            draft.write({"state": "active"})
        with self.assertRaisesMessage(AccessError, draft.name):
            draft.write({"state": "cancelled"})
        with self.assertRaisesMessage(AccessError, draft.name):
            draft.write({"pricelist_id": self.ka_pricelist.id})
        self.assertEqual(draft.state, "draft")
        self.assertNotEqual(draft.pricelist_id, self.ka_pricelist)

    def test_every_action_checks_rights(self):
        draft = self._create_contract(
            self._create_key_account("KA Authority Actions"), activate=False
        )
        draft.action_cancel()
        with self.assertRaisesMessage(AccessError, draft.name):
            draft.with_user(self.ka_user).action_draft()
        self.assertEqual(draft.state, "cancelled")
        actions = (
            "action_confirm",
            "action_activate",
            "action_terminate",
            "action_cancel",
            "action_draft",
        )
        for user, user_actions in (
            (self.ka_user, actions),
            (self.salesman, (*actions, "action_renew")),
        ):
            for action in user_actions:
                with (
                    self.subTest(user=user.login, action=action),
                    self.assertRaises(AccessError),
                ):
                    getattr(self.contract.with_user(user), action)()
        self.assertEqual(self.contract.state, "active")
        self.assertFalse(self.contract.renewal_ids)
        # the Key Account User renews (a draft copy the manager confirms)
        self.contract.with_user(self.ka_user).action_renew()
        self.assertEqual(self.contract.renewal_ids.state, "draft")

    def test_no_context_key_skips_the_pricelist_sync(self):
        draft = self._create_contract(
            self._create_key_account("KA Authority Context"), activate=False
        ).with_user(self.ka_user)
        draft.with_context(key_account_skip_pricelist_sync=True).discount = 25.0
        global_item = draft.pricelist_id.item_ids.filtered(
            lambda i: i.applied_on == "3_global"
        )
        self.assertEqual(global_item.price_discount, 25.0)
