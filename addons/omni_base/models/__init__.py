from . import base
from . import base_partner_merge
from . import res_company
from . import res_users_apikeys
