from . import test_import
from . import test_review
from . import test_acceptance
from . import test_returns
