from . import test_packing_station
from . import test_waybill
