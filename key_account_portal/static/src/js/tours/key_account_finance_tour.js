/** @odoo-module **/
// Copyright 2026 Key Account Management Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import {registry} from "@web/core/registry";

// Finance opens the receivables and the rebate progress from /my/home.
// Run by tests/test_portal_finance_tour.py.
registry.category("web_tour.tours").add("key_account_finance_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the receivables",
            trigger: "a[href='/my/key-account/receivables']",
            run: "click",
        },
        {
            content: "What is open, overdue, and the credit left",
            trigger: ".ka_receivables .ka_overdue:contains('3,000.00')",
        },
        {
            content: "The credit still available",
            trigger: ".ka_receivables .ka_credit_available:contains('89,100.00')",
        },
        {
            content: "Back to /my/home",
            trigger: ".o_portal_submenu a[href='/my/home']",
            run: "click",
        },
        {
            content: "Open the rebate progress",
            trigger: "a[href='/my/key-account/rebates']",
            run: "click",
        },
        {
            content: "The tier reached",
            trigger: ".ka_rebate_progress .ka_rebate_rate:contains('1.0')",
        },
        {
            content: "The gap to the next tier",
            trigger: ".ka_rebate_progress .ka_rebate_next:contains('3.0')",
        },
    ],
});
