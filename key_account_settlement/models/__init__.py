from . import key_account_contract_credit
from . import sale_order_credit
from . import key_account_aging_report
from . import res_partner_reminder
from . import res_config_settings_reminder
from . import key_account_statement
from . import key_account_statement_line
