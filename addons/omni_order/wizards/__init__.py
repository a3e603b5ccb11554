from . import omni_order_import_wizard
from . import omni_order_split_wizard
from . import omni_order_override_wizard
