# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Key Account Base",
    "summary": "Enterprise customer (key account) master: registration, "
    "credit code, bank and invoice data, onboarding review",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "Key Account Management Authors",
    "website": "https://github.com/key-account-management/key-account-management",
    "depends": ["mail", "sales_team"],
    "external_dependencies": {"python": ["python-stdnum"]},
    "data": [
        "security/key_account_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "views/res_partner_views.xml",
        "views/ir_sequence_views.xml",
        "wizards/key_account_reject_wizard_views.xml",
        "views/key_account_menus.xml",
    ],
    "demo": ["demo/res_partner_demo.xml"],
    "assets": {
        "web.assets_tests": ["key_account_base/static/tests/tours/*.js"],
    },
    "application": True,
}
