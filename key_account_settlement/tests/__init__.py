from . import test_rebate_settlement
from . import test_rebate_scaling
