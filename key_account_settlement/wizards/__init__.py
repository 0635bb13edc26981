from . import key_account_statement_generate
from . import key_account_statement_dispute
