from . import test_pdd_waybill_client
