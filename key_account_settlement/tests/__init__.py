from . import test_statement
from . import test_statement_report
from . import test_statement_scaling
