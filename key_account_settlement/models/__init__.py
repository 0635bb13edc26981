from . import account_move
from . import sale_order
from . import key_account_contract
