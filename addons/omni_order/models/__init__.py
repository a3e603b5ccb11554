from . import omni_channel
from . import omni_product_mapping
from . import omni_import_file
from . import omni_order
from . import omni_order_line
from . import res_partner
from . import sale_order
from . import sale_order_guard
