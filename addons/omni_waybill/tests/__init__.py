from . import test_packing_station
from . import test_waybill
from . import test_waybill_batch
