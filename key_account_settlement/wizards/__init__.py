from . import key_account_period_invoice
from . import sale_make_invoice_advance
