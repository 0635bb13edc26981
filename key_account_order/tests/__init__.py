from . import test_import
from . import test_review
from . import test_acceptance
from . import test_returns
from . import test_allocation
from . import test_grouping
from . import test_recipient
from . import test_confirm_scaling
