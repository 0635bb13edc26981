from . import key_account_rebate_compute
