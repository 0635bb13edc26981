from . import key_account_credit_release_wizard
from . import key_account_statement_generate
from . import key_account_statement_dispute
from . import key_account_period_invoice
from . import sale_make_invoice_advance
from . import key_account_rebate_compute
from . import key_account_fapiao_request_wizard
