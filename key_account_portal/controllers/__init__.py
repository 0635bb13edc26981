# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from . import common
from . import contract
from . import statement
from . import recipients
from . import apply
from . import ordering
from . import follow
from . import approval
from . import budget
from . import organisation
from . import finance
from . import fapiao
