from . import douyin_waybill
