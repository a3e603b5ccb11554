from . import omni_aftersale
from . import omni_order
