from . import delivery_carrier
from . import omni_waybill
from . import omni_waybill_account
from . import omni_waybill_rule
from . import sale_order
from . import stock_picking
from . import stock_picking_packing_station
from . import stock_picking_waybill_batch
