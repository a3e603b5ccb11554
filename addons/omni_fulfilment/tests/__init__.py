from . import test_scan_packing
from . import test_shipment_writeback
from . import test_picking_list
from . import test_packing_tour
from . import test_core_rights
from . import test_packing_guards
from . import test_packing_station
from . import test_packing_station_terms
