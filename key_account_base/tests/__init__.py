from . import test_key_account_uscc
from . import test_key_account_code
from . import test_key_account_onboarding
from . import test_key_account_invoice
from . import test_key_account_multi_company
from . import test_key_account_i18n
from . import test_key_account_ui
from . import test_key_account_security
