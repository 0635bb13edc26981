from . import test_contract_state
from . import test_contract_price
from . import test_contract_order
from . import test_contract_security
from . import test_contract_report
from . import test_contract_authority
from . import test_contract_form_access
from . import test_key_account_bank_reconcile
