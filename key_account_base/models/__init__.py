from . import key_account_guard_mixin
from . import ir_sequence
from . import res_partner
from . import res_partner_onboarding
from . import res_partner_bank
