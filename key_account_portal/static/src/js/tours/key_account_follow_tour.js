/** @odoo-module **/
// Copyright 2026 Key Account Management Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import {registry} from "@web/core/registry";

// Follow and accept deliveries: a portal user (Chinese) opens his company's
// order, sees its recipients, accepts the delivered ones and sees them
// accepted. Run by tests/test_portal_follow_tour.py.
registry.category("web_tour.tours").add("key_account_follow_tour", {
    url: "/my/key-account/orders",
    steps: () => [
        {
            content: "A core portal string in Chinese: the sort menu",
            trigger: ".o_portal_navbar .navbar-text:contains('排序依据')",
        },
        {
            content: "Our own string in Chinese: the list's title",
            trigger: ".o_portal_submenu .breadcrumb-item:contains('公司订单')",
        },
        {
            content: "Open the order",
            trigger: ".o_portal_my_doc_table a[href^='/my/key-account/orders/']",
            run: "click",
        },
        {
            content: "The recipients' deliveries, titled in Chinese",
            trigger: "#ka_recipients h3:contains('收件人配送')",
        },
        {
            content: "Accept one delivered recipient",
            trigger: ".o_ka_recipient_row:contains('甲方收件人001') .o_ka_accept_one",
            run: "click",
        },
        {
            content: "It is accepted (in Chinese), the next one still waits",
            trigger: ".o_ka_recipient_row:contains('甲方收件人001') .o_ka_acceptance .badge:contains('已验收')",
        },
        {
            content: "The second delivered recipient still waits for acceptance",
            trigger: ".o_ka_recipient_row:contains('甲方收件人002') .o_ka_accept_one",
        },
        {
            content: "Accept every delivered recipient left",
            trigger: "#ka_accept_all button[name='accept_all']",
            run: "click",
        },
        {
            content: "The acceptance is confirmed",
            trigger: ".o_key_account_portal .alert-success",
        },
        {
            content: "The second recipient is accepted",
            trigger: ".o_ka_recipient_row:contains('甲方收件人002') .o_ka_acceptance .badge:contains('已验收')",
        },
        {
            content: "The undelivered recipient is still pending",
            trigger: ".o_ka_recipient_row:contains('甲方收件人003') .o_ka_acceptance:not(:has(.o_ka_accept_one))",
        },
    ],
});
