from . import omni_channel
from . import delivery_carrier
from . import res_company
from . import res_config_settings
from . import stock_move
from . import stock_picking
from . import stock_picking_type
from . import ir_module_module
