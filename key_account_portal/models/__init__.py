# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from . import res_partner
from . import key_account_contract_portal
from . import sale_order_portal_order
from . import key_account_contract
