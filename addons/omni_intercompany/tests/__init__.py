from . import test_goods_request
from . import test_intercompany_invoice
