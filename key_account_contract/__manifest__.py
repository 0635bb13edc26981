# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Key Account Contracts",
    "summary": "Sales contracts of key accounts: validity, discounts, payment terms, "
    "credit, rebate tiers, the key-account price tier and contract execution",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "Key Account Management Authors",
    "website": "https://github.com/key-account-management/key-account-management",
    "depends": ["key_account_base", "sale_stock"],
    "data": [
        "security/key_account_contract_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "data/product_pricelist_data.xml",
        "views/key_account_contract_views.xml",
        "views/sale_order_views.xml",
        "views/account_move_views.xml",
        "views/product_template_views.xml",
        "views/product_pricelist_views.xml",
        "views/res_config_settings_views.xml",
        "report/key_account_contract_report.xml",
        "views/key_account_contract_menus.xml",
    ],
    "demo": ["demo/key_account_contract_demo.xml"],
}
