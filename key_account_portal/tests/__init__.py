# Copyright 2026 Key Account Management Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from . import test_portal_common
from . import test_portal_contract
from . import test_portal_statement
from . import test_portal_recipients
from . import test_portal_recipients_tour
from . import test_portal_recipients_scale
from . import test_portal_application
from . import test_portal_application_tour
from . import test_portal_ordering
from . import test_portal_follow
from . import test_portal_follow_perf
from . import test_portal_follow_tour
from . import test_portal_security_walk
from . import test_portal_chatter
from . import test_portal_ordinary_events
from . import test_portal_guard
from . import test_portal_approval
from . import test_portal_approval_pages
from . import test_portal_roles
from . import test_portal_organisation
from . import test_portal_finance
from . import test_portal_approval_tour
from . import test_portal_organisation_tour
from . import test_portal_finance_tour
from . import test_portal_fapiao
from . import test_portal_tracking
