# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Key Account Orders",
    "summary": "Multi-recipient orders: one sale line allocated over thousands of "
    "recipients, one delivery per recipient, department or branch",
    "version": "18.0.1.1.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "Key Account Management Authors",
    "website": "https://github.com/key-account-management/key-account-management",
    # sale_management: stock_delivery's post-init hook installs it anyway (a
    # "Sales" app for its delivery logic); its optional products are on the
    # order form every role opens.
    "depends": [
        "key_account_contract",
        "sale_stock",
        "sale_management",
        "stock_delivery",
        "queue_job",
    ],
    "external_dependencies": {"python": ["openpyxl", "phonenumbers", "requests"]},
    "data": [
        "security/key_account_order_security.xml",
        "security/ir.model.access.csv",
        "security/key_account_order_rules.xml",
        "data/key_account_order_wizard_access.xml",
        "data/queue_job_data.xml",
        "data/key_account_print_queue_job_data.xml",
        "data/key_account_carrier_column_data.xml",
        "views/key_account_allocation_views.xml",
        "views/sale_order_views.xml",
        "views/res_partner_views.xml",
        "views/stock_picking_views.xml",
        "views/key_account_import_views.xml",
        "views/key_account_review_views.xml",
        "views/key_account_parcel_tracking_views.xml",
        "views/key_account_label_print_views.xml",
        "views/key_account_courier_views.xml",
        "views/key_account_tracking_import_views.xml",
        "report/report_deliveryslip.xml",
        "report/report_key_account_label.xml",
        "views/key_account_order_menus.xml",
    ],
    "assets": {
        "web.assets_tests": ["key_account_order/static/src/js/tours/*.js"],
    },
}
