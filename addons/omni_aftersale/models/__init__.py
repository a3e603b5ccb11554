from . import omni_aftersale
