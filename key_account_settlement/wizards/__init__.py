from . import key_account_credit_release_wizard
