from . import omni_channel
from . import omni_channel_stock_push
from . import omni_channel_stock_sync
from . import omni_order_allocation
from . import omni_stock_sync
from . import stock_quant
from . import stock_states
