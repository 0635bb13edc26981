# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from . import res_partner
from . import key_account_contract
from . import key_account_recipient_import
from . import key_account_portal_import
from . import sale_order_recipients
from . import key_account_portal_application_attempt
from . import res_partner_application
from . import key_account_contract_portal
from . import sale_order_portal_order
from . import sale_order_core_portal
from . import key_account_allocation_follow
from . import sale_order_follow
from . import sale_order_portal_blockers
from . import key_account_department
from . import res_partner_organisation
from . import key_account_approval_rule
from . import key_account_approval
from . import key_account_budget
from . import key_account_budget_entry
from . import sale_order_approval
from . import sale_order_line_approval
from . import key_account_allocation_approval
from . import stock_picking_budget
from . import key_account_statement_portal
from . import res_partner_finance
from . import key_account_fapiao_portal
