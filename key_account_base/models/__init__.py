from . import ir_sequence
from . import res_partner
