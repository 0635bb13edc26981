# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Key Account Settlement",
    "summary": "Settle key accounts in Odoo Accounting: invoicing policy, statements, "
    "receivables and credit hold, rebates",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Key Account Management Authors",
    "website": "https://github.com/key-account-management/key-account-management",
    "depends": ["key_account_order", "account"],
    "data": [
        "security/key_account_settlement_security.xml",
        "security/ir.model.access.csv",
        "report/key_account_statement_report.xml",
        "data/key_account_statement_data.xml",
        "views/key_account_statement_views.xml",
        "data/key_account_rebate_data.xml",
        "views/key_account_rebate_settlement_views.xml",
        "wizards/key_account_rebate_compute_views.xml",
        "views/key_account_settlement_menus.xml",
        "data/key_account_reminder_data.xml",
        "views/sale_order_credit_views.xml",
        "views/key_account_contract_credit_views.xml",
        "views/key_account_aging_report_views.xml",
        "views/res_config_settings_reminder_views.xml",
        "data/ir_cron_data.xml",
        "views/account_move_views.xml",
        "views/key_account_contract_views.xml",
        "wizards/key_account_period_invoice_views.xml",
        "report/report_invoice.xml",
        "data/key_account_fapiao_data.xml",
        "wizards/key_account_fapiao_import_views.xml",
        "views/account_move_fapiao_views.xml",
        "views/key_account_statement_fapiao_views.xml",
    ],
    "demo": [
        "demo/key_account_period_invoice_demo.xml",
        "demo/key_account_settlement_demo.xml",
    ],
    # the demo steps that need the settlement's methods (demo/settlement_demo.py)
    "post_init_hook": "post_init_hook",
}
