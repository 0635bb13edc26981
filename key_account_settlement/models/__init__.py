from . import key_account_statement
from . import key_account_statement_line
