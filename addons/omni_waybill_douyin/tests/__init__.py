from . import test_douyin_waybill_client
