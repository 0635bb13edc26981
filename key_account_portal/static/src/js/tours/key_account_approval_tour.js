// Copyright 2026 Key Account Management Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { registry } from "@web/core/registry";

// The buyer submits an order over the department's budget: it waits for the
// approver (key_account_portal/tests/test_portal_approval_tour.py).
registry.category("web_tour.tours").add("key_account_approval_submit_tour", {
    steps: () => [
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

// The approver approves it from the list of what waits for him.
registry.category("web_tour.tours").add("key_account_approval_approve_tour", {
    url: "/my/approvals",
    steps: () => [
        {
            content: "The order waits for my approval",
            trigger: "tr.o_ka_approval_row input[name='reason']",
            run: "edit 同意，预算内调剂",
        },
        {
            content: "Approve it",
            trigger: "tr.o_ka_approval_row button.o_ka_approve",
            run: "click",
        },
        {
            content: "Approved: nothing waits any more",
            trigger: ".o_ka_approval_message.alert-success",
        },
        {
            content: "The list is empty",
            trigger: "#ka_approvals:not(:has(tr.o_ka_approval_row))",
        },
    ],
});

// The approver rejects it with a reason.
registry.category("web_tour.tours").add("key_account_approval_reject_tour", {
    url: "/my/approvals",
    steps: () => [
        {
            content: "The order waits for my approval",
            trigger: "tr.o_ka_approval_row input[name='reason']",
            run: "edit 超出部门预算",
        },
        {
            content: "Reject it",
            trigger: "tr.o_ka_approval_row button.o_ka_reject",
            run: "click",
        },
        {
            content: "Rejected",
            trigger: ".o_ka_approval_message.alert-success",
        },
    ],
});
