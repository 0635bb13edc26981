/** @odoo-module **/
/* Copyright 2026 Key Account Management Authors
 * License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0). */

import {registry} from "@web/core/registry";

// Catalog -> start an order -> quick-order pad (first with an error, then
// fixed) -> submit to the review pool. The order page is H-follow's; the
// draft panel on it is ours.
registry.category("web_tour.tours").add("key_account_order_tour", {
    url: "/my/key-account/catalog",
    steps: () => [
        {
            content: "The contract price of the tea gift box, retail struck through",
            trigger:
                "tr.o_ka_catalog_product:contains('KA-TEA') del.o_ka_price_retail",
        },
        {
            content: "Order two tea gift boxes",
            trigger: "tr.o_ka_catalog_product:contains('KA-TEA') input[name^='qty_']",
            run: "edit 2",
        },
        {
            content: "Start the order",
            trigger: "button.o_ka_order_new",
            run: "click",
        },
        {
            content: "A code that does not exist in the quick-order pad",
            trigger: "#ka_order_draft_panel textarea[name='quick_pad']",
            run: "edit KA-NOPE 3",
        },
        {
            content: "Apply the pad",
            trigger: "button.o_ka_apply_pad",
            run: "click",
        },
        {
            content: "The wrong line is named with its number",
            trigger: ".o_ka_order_message.alert-danger:contains('Line 1')",
        },
        {
            content: "Fix the pad",
            trigger: "#ka_order_draft_panel textarea[name='quick_pad']",
            run: "edit KA-NOTE 4",
        },
        {
            content: "Apply the fixed pad",
            trigger: "button.o_ka_apply_pad",
            run: "click",
        },
        {
            content: "The notebooks are on the order",
            trigger: "#ka_order_draft_panel tr.o_ka_draft_line:contains('KA-NOTE')",
        },
        {
            content: "Submit the order",
            trigger: "button.o_ka_submit",
            run: "click",
        },
        {
            content: "Submitted: the draft panel's forms are gone",
            trigger: "body:not(:has(button.o_ka_submit))",
        },
    ],
});
