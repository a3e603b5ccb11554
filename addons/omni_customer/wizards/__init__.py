from . import omni_caller_search
from . import omni_phone_order_wizard
