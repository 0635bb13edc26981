# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Key Account Portal",
    "summary": "Enterprise customers apply, order for thousands of recipients, "
    "follow and accept every delivery and confirm statements in the Odoo portal",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "Key Account Management Authors",
    "website": "https://github.com/key-account-management/key-account-management",
    "depends": ["portal", "key_account_order", "key_account_settlement"],
    "external_dependencies": {"python": ["openpyxl", "xlsxwriter"]},
    "data": [
        "security/ir.model.access.csv",
        "security/key_account_portal_rules.xml",
        "security/key_account_approval_rules.xml",
        "data/ir_config_parameter_data.xml",
        "data/key_account_portal_recipients_data.xml",
        "views/portal_templates.xml",
        "views/portal_contract_templates.xml",
        "views/portal_recipients_templates.xml",
        "data/key_account_apply_data.xml",
        "views/portal_apply_templates.xml",
        "views/res_partner_application_views.xml",
        "views/portal_order_templates.xml",
        "views/portal_order_draft_templates.xml",
        "views/portal_follow_templates.xml",
        "data/key_account_approval_mail_templates.xml",
        "views/portal_approval_templates.xml",
        "views/portal_budget_templates.xml",
        "views/key_account_approval_views.xml",
        "views/key_account_budget_views.xml",
        "views/portal_organisation_templates.xml",
        "views/portal_finance_templates.xml",
        "views/res_partner_organisation_views.xml",
        "views/portal_fapiao_templates.xml",
    ],
    "demo": ["demo/key_account_portal_demo.xml"],
    "assets": {
        "web.assets_frontend": [
            "key_account_portal/static/src/scss/*.scss",
            "key_account_portal/static/src/js/recipients_import_progress.js",
        ],
        "web.assets_tests": [
            "key_account_portal/static/src/js/tours/*.js",
        ],
    },
}
