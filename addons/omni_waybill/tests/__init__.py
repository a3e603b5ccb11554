from . import test_waybill
from . import test_waybill_batch
