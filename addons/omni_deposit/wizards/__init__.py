from . import omni_deposit_wizard
