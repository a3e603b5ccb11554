from . import test_goods_request
