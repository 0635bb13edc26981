from . import key_account_recipient_import
from . import key_account_review_return_wizard
from . import key_account_acceptance_wizard
from . import stock_return_picking
from . import res_config_settings
from . import key_account_carrier_assign_wizard
from . import key_account_booking_export_wizard
from . import key_account_waybill_import_wizard
