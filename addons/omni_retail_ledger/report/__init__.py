from . import omni_retail_revenue_report
from . import omni_retail_check_report
