from . import courier_rate
from . import delivery_carrier
from . import courier_statement
from . import stock_picking
