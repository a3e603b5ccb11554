from . import pdd_waybill
