from . import res_partner
from . import key_account_allocation
from . import key_account_delivery_batch

# before sale_order: its action_confirm runs after the others' checks
from . import sale_order_background
from . import sale_order
from . import sale_order_line
from . import sale_order_import
from . import stock_move
from . import stock_quant
from . import stock_picking
from . import stock_rule
from . import procurement_group
from . import sale_order_review
from . import stock_picking_acceptance
