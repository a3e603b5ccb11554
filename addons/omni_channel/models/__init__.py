from . import omni_channel
from . import res_company
from . import base
from . import base_partner_merge
