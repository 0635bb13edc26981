/** @odoo-module **/
// Copyright 2026 Key Account Management Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
// A customer uploads the recipient list of a draft order: first a file with
// errors (every row error shown with its row number, nothing imported), then
// the corrected file, accepted.
import {registry} from "@web/core/registry";

const HEADER =
    "姓名/Name,手机/Phone,省/Province,市/City,区/District,详细地址/Street," +
    "部门/Department,分支机构/Branch,商品编码/Product Reference,数量/Quantity";
const PRODUCT = "KA-ENGINE-GIFT";

function recipientsCsv(badRows) {
    const lines = [
        HEADER,
        `王芳,${badRows ? "12345" : "13912345678"},广东省,深圳市,南山区,科苑路 1 号,人力资源部,深圳分公司,${PRODUCT},1`,
        `刘洋,13987654321,${badRows ? "火星" : "广东省"},深圳市,南山区,科苑路 2 号,人力资源部,深圳分公司,${PRODUCT},2`,
    ];
    return lines.join("\n") + "\n";
}

function setFile(text, name) {
    const input = document.querySelector("input[name='recipients_file']");
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], name, {type: "text/csv"}));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", {bubbles: true}));
}

registry.category("web_tour.tours").add("key_account_recipients_tour", {
    steps: () => [
        {
            content: "The upload page of the draft order shows no recipient yet",
            trigger: ".o_key_account_recipients_upload .o_key_account_recipient_count .badge:contains(0)",
        },
        {
            content: "Choose a list with two wrong rows",
            trigger: "input[name='recipients_file']",
            run() {
                setFile(recipientsCsv(true), "recipients.csv");
            },
        },
        {
            content: "Upload it",
            trigger: ".o_key_account_upload_submit",
            run: "click",
        },
        {
            content: "Row 2: the phone is wrong",
            trigger: ".o_key_account_import_errors tr.o_key_account_import_error[data-row='2']:contains(12345)",
        },
        {
            content: "Row 3: the province is wrong; nothing imported",
            trigger: ".o_key_account_import_errors tr.o_key_account_import_error[data-row='3']:contains(火星)",
        },
        {
            content: "Still no recipient on the order",
            trigger: ".o_key_account_recipient_count .badge:contains(0)",
        },
        {
            content: "Choose the corrected list",
            trigger: "input[name='recipients_file']",
            run() {
                setFile(recipientsCsv(false), "recipients.csv");
            },
        },
        {
            content: "Upload it again",
            trigger: ".o_key_account_upload_submit",
            run: "click",
        },
        {
            content: "The list is accepted",
            trigger: ".o_key_account_import_done:contains(2)",
        },
        {
            content: "The order has its two recipients",
            trigger: ".o_key_account_recipient_count .badge:contains(2)",
        },
    ],
});
