from . import test_pdd_waybill_client
from . import test_pdd_waybill_provider
from . import test_pdd_packing_tour
