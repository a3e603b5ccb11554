from . import test_stock_sync
