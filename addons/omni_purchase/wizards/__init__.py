from . import omni_purchase_give_up
