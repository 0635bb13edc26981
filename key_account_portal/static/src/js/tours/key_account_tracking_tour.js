/** @odoo-module **/
// Copyright 2026 Key Account Management Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import {registry} from "@web/core/registry";

// The recipients' parcels: a portal user sees each recipient's carrier,
// waybill number (a link to the courier's tracking page) and tracking state,
// then keeps the parcels in exception only. Run by
// tests/test_portal_tracking.py.
registry.category("web_tour.tours").add("key_account_tracking_tour", {
    steps: () => [
        {
            content: "The signed parcel links to the courier's tracking page",
            trigger:
                ".o_ka_recipient_row .o_ka_waybill a.o_ka_waybill_link[href='https://track.example.com/?no=SFA0']",
        },
        {
            content: "Its tracking state is shown",
            trigger: ".o_ka_recipient_row:contains('SFA0') .o_ka_tracking .badge.text-bg-success",
        },
        {
            content: "Keep the parcels in exception",
            trigger: "#ka_recipient_search select[name='filterby']",
            run: "select exception",
        },
        {
            content: "Find them",
            trigger: "#ka_recipient_search button[type='submit']",
            run: "click",
        },
        {
            content: "The parcel in exception is listed",
            trigger: ".o_ka_recipient_row:contains('SFA1') .o_ka_tracking .badge.text-bg-danger",
        },
        {
            content: "The signed one is not",
            trigger: "#ka_recipients:not(:has(.o_ka_recipient_row:contains('SFA0')))",
        },
    ],
});
