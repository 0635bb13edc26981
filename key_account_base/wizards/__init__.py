from . import key_account_reject_wizard
