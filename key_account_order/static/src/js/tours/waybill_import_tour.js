// Copyright 2026 Key Account Management Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { registry } from "@web/core/registry";

/**
 * Put a waybill file into the wizard's file input: the tour helpers have no
 * upload step, a DataTransfer sets the input's files as a drop would.
 */
function uploadWaybills(rows) {
    const input = document.querySelector(
        ".modal .o_field_widget[name='file'] input[type='file']"
    );
    const content = ["客户单号,运单号", ...rows].join("\n") + "\n";
    const transfer = new DataTransfer();
    transfer.items.add(new File([content], "waybills.csv", { type: "text/csv" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

registry.category("web_tour.tours").add("key_account_waybill_import_tour", {
    steps: () => [
        {
            content: "Open the Operations menu of Inventory",
            trigger: ".o_main_navbar button:contains('Operations')",
            run: "click",
        },
        {
            content: "Open the waybill import",
            trigger: ".o-dropdown-item:contains('Import Waybill Numbers')",
            run: "click",
        },
        {
            content: "Upload a file whose row 3 has an unknown reference",
            trigger: ".modal .o_field_widget[name='file']",
            run() {
                uploadWaybills(["TOUR/OUT/00001,SFTOUR1", "TOUR/OUT/NOPE,SFTOUR2"]);
            },
        },
        {
            content: "The file is read",
            trigger: ".modal .o_field_widget[name='file'] .o_clear_file_button",
        },
        {
            content: "Preview",
            trigger: ".modal button[name='action_preview'].btn-primary",
            run: "click",
        },
        {
            content: "Row 3 is listed in red with its error",
            trigger:
                ".modal .o_field_widget[name='line_ids'] .o_data_row.text-danger:has(td[name='row']:contains('3')):has(td[name='message']:contains('No delivery TOUR/OUT/NOPE.'))",
        },
        {
            content: "One error is counted",
            trigger: ".modal .o_field_widget[name='error_count']:contains('1')",
        },
        {
            content: "Import is not offered while a row is wrong",
            trigger: ".modal:not(:has(button[name='action_apply']))",
        },
        {
            content: "Clear the wrong file",
            trigger: ".modal .o_field_widget[name='file'] .o_clear_file_button",
            run: "click",
        },
        {
            content: "Upload the corrected file",
            trigger: ".modal .o_field_widget[name='file']:not(:has(.o_clear_file_button))",
            run() {
                uploadWaybills(["TOUR/OUT/00001,SFTOUR1", "TOUR/OUT/00002,SFTOUR2"]);
            },
        },
        {
            content: "The corrected file is read",
            trigger: ".modal .o_field_widget[name='file'] .o_clear_file_button",
        },
        {
            content: "Preview again",
            trigger: ".modal button[name='action_preview']:not(.btn-primary)",
            run: "click",
        },
        {
            content: "No error is left",
            trigger: ".modal .o_field_widget[name='error_count']:contains('0')",
        },
        {
            content: "Import",
            trigger: ".modal button[name='action_apply']",
            run: "click",
        },
        {
            content: "The notification gives the count",
            trigger: ".o_notification:contains('2 waybill numbers imported.')",
        },
        {
            content: "The wizard is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
