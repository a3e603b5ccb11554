from . import test_stock_sync
from . import test_stock_states
from . import test_channel_overview
from . import test_stock_push
from . import test_stock_sync_channels
