from . import delivery_carrier
from . import omni_waybill_account
