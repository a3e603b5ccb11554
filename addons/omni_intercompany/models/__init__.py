from . import account_move
from . import omni_intercompany_check_line
from . import omni_intercompany_rule
from . import purchase_order
from . import purchase_order_line
from . import sale_order
from . import stock_move
from . import stock_picking
