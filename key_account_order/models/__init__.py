from . import res_partner
from . import key_account_allocation
from . import key_account_delivery_batch
from . import sale_order
from . import sale_order_line
from . import stock_move
from . import stock_picking
from . import stock_rule
