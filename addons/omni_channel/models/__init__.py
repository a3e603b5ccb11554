from . import omni_channel
from . import res_company
from . import base
