import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("key_account_base_tour", {
    url: "/odoo/action-key_account_base.res_partner_action_key_account",
    steps: () => [
        {
            content: "Switch to the list view",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Open the tour customer",
            trigger: ".o_data_row td.o_data_cell:contains('KA Tour Customer')",
            run: "click",
        },
        {
            content: "The form shows the review status bar",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Draft')",
        },
        {
            content: "Open the Key Account tab",
            trigger: ".o_notebook a[name='key_account']",
            run: "click",
        },
        {
            content: "The invoice details can be copied",
            trigger: "div[name='key_account_invoice_details'] .o_clipboard_button",
        },
        {
            content: "Submit for review",
            trigger: "button[name='action_key_account_submit']",
            run: "click",
        },
        {
            content: "The customer is submitted",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Submitted')",
        },
        {
            content: "Approve",
            trigger: "button[name='action_key_account_approve']",
            run: "click",
        },
        {
            content: "The customer is approved",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Approved')",
        },
    ],
});
