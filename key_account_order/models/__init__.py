from . import res_company
from . import res_partner
from . import key_account_allocation
from . import key_account_allocation_acceptance
from . import key_account_delivery_batch
from . import sale_order
from . import sale_order_background
from . import sale_order_line
from . import sale_order_import
from . import stock_move
from . import stock_picking
from . import stock_rule

# The stock speed-up layer (see stock_move_batched.py), after the flow it speeds up
from . import stock_move_batched
from . import stock_quant_batched
from . import stock_picking_batched
from . import procurement_group_batched
from . import sale_order_review
from . import stock_picking_acceptance
from . import key_account_parcel
from . import stock_picking_parcel
from . import delivery_carrier
from . import key_account_carrier_column
from . import key_account_allocation_carrier
from . import stock_picking_courier
from . import key_account_parcel_waybill
