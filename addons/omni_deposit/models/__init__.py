from . import res_company
from . import omni_deposit_hold
from . import res_partner
from . import omni_order
from . import sale_order
from . import omni_retail_record
from . import account_chart_template
