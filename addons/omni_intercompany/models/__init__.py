from . import omni_intercompany_rule
from . import purchase_order
from . import sale_order
from . import stock_picking
