from . import stock_location
from . import stock_warehouse
from . import omni_intercompany_return
from . import omni_intercompany_return_line
from . import stock_picking
from . import stock_move
from . import account_move
from . import omni_stock_state_report
