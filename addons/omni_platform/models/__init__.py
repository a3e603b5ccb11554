from . import omni_channel
from . import omni_channel_courier_code
