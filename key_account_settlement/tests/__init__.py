from . import test_credit_hold
from . import test_aging_report
from . import test_reminder
from . import test_credit_execution
