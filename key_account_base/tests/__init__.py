from . import test_key_account_uscc
