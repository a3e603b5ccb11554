from . import courier_rate
from . import delivery_carrier
from . import courier_statement
from . import courier_statement_import
from . import courier_statement_reconcile
from . import courier_statement_settle
from . import courier_statement_line
from . import stock_picking
