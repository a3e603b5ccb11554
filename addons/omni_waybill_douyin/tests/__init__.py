from . import test_douyin_waybill_client
from . import test_douyin_waybill_provider
