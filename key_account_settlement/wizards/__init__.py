from . import key_account_credit_release_wizard
from . import key_account_statement_generate
from . import key_account_statement_dispute
