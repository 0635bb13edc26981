/** @odoo-module **/
// Copyright 2026 Key Account Management Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import {registry} from "@web/core/registry";

// The customer's administrator invites a colleague (finance), then makes
// him a buyer as well. Run by tests/test_portal_organisation_tour.py.
registry.category("web_tour.tours").add("key_account_organisation_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the organisation from /my/home",
            trigger: "a[href='/my/organisation']",
            run: "click",
        },
        {
            content: "Name of the colleague",
            trigger: ".ka_org_invite input[name='name']",
            run: "edit 旅游同事",
        },
        {
            content: "Email of the colleague",
            trigger: ".ka_org_invite input[name='email']",
            run: "edit tour.colleague@example.com",
        },
        {
            content: "Finance role",
            trigger: ".ka_org_invite input[name='role_finance']",
            run: "click",
        },
        {
            content: "Send the invitation",
            trigger: ".ka_org_invite_submit",
            run: "click",
        },
        {
            content: "Invited: listed with the finance role",
            trigger: ".ka_org_colleagues tr:contains('旅游同事') .ka_org_roles:contains('Finance')",
        },
        {
            content: "Open the colleague",
            trigger: ".ka_org_colleagues a:contains('旅游同事')",
            run: "click",
        },
        {
            content: "Buyer role as well",
            trigger: ".ka_org_roles_form input[name='role_buyer']",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".ka_org_roles_submit",
            run: "click",
        },
        {
            content: "Saved: buyer and finance",
            trigger: ".ka_org_colleagues tr:contains('旅游同事') .ka_org_roles:contains('Buyer'):contains('Finance')",
        },
    ],
});
