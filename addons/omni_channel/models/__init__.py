from . import omni_channel
