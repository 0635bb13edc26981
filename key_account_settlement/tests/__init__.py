from . import test_credit_hold
from . import test_aging_report
from . import test_reminder
from . import test_credit_execution
from . import test_statement
from . import test_statement_report
from . import test_statement_scaling
