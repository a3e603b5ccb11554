from . import test_stock_sync
from . import test_stock_states
