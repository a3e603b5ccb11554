from . import test_waybill
