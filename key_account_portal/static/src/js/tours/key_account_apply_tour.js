// Copyright 2026 Key Account Management Authors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import { registry } from "@web/core/registry";

// make_uscc(987654321) of key_account_base/tests/common.py, and the same code
// with a wrong check digit.
const CREDIT_CODE = "911101059876543217";
const WRONG_CREDIT_CODE = "911101059876543218";

/**
 * Put a business licence into the file input: the tour helpers have no
 * upload step, a DataTransfer sets the input's files as a drop would.
 */
function attachLicence() {
    const input = document.querySelector("input[name='licence']");
    const content = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
    const transfer = new DataTransfer();
    transfer.items.add(new File([content], "营业执照.pdf", { type: "application/pdf" }));
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
}

registry.category("web_tour.tours").add("key_account_apply_tour", {
    url: "/key-account/apply",
    steps: () => [
        {
            content: "Company name",
            trigger: ".o_ka_apply_form input[name='company_name']",
            run: "edit 导览在线申请科技有限公司",
        },
        {
            content: "A credit code with a wrong check digit",
            trigger: "input[name='credit_code']",
            run: `edit ${WRONG_CREDIT_CODE}`,
        },
        {
            content: "Legal representative",
            trigger: "input[name='legal_representative']",
            run: "edit 赵敏",
        },
        {
            content: "Registered capital",
            trigger: "input[name='registered_capital']",
            run: "edit 10000000",
        },
        {
            content: "Type of organisation",
            trigger: "select[name='key_account_type']",
            run: "select state_owned",
        },
        {
            content: "Province",
            trigger: "select[name='state_id']",
            run: "selectByLabel 上海市",
        },
        {
            content: "City",
            trigger: "input[name='city']",
            run: "edit 上海市",
        },
        {
            content: "Street",
            trigger: "input[name='street']",
            run: "edit 浦东新区世纪大道 100 号",
        },
        {
            content: "Company phone",
            trigger: "input[name='phone']",
            run: "edit 021-68880000",
        },
        {
            content: "Contact person",
            trigger: "input[name='contact_name']",
            run: "edit 钱伟",
        },
        {
            content: "Mobile",
            trigger: "input[name='contact_mobile']",
            run: "edit 13912345678",
        },
        {
            content: "Email",
            trigger: "input[name='contact_email']",
            run: "edit qian.wei@tour-apply.example.com",
        },
        {
            content: "Invoice type",
            trigger: "select[name='invoice_type']",
            run: "select vat_special",
        },
        {
            content: "Bank",
            trigger: "input[name='bank_name']",
            run: "edit 中国建设银行上海浦东分行",
        },
        {
            content: "Bank account",
            trigger: "input[name='bank_account']",
            run: "edit 6217 0000 1111 2222",
        },
        {
            content: "Business licence",
            trigger: "input[name='licence']",
            run: attachLicence,
        },
        {
            content: "Submit the application",
            trigger: "button.o_ka_apply_submit",
            run: "click",
        },
        {
            content: "The back office's message about the check digit, next to the code",
            trigger: ".o_ka_apply_error[data-field='credit_code']:contains('check digit')",
        },
        {
            content: "The form is refilled",
            trigger: "input[name='contact_email']:value('qian.wei@tour-apply.example.com')",
        },
        {
            content: "Correct the credit code",
            trigger: "input[name='credit_code']",
            run: `edit ${CREDIT_CODE}`,
        },
        {
            content: "Choose the business licence again",
            trigger: "input[name='licence']",
            run: attachLicence,
        },
        {
            content: "Submit again",
            trigger: "button.o_ka_apply_submit",
            run: "click",
        },
        {
            content: "The application is received",
            trigger: ".o_ka_apply_thanks:contains('导览在线申请科技有限公司')",
        },
    ],
});
