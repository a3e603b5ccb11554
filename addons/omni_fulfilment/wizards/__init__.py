from . import omni_packing_wizard
