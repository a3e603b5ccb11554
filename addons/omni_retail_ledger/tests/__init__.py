from . import test_retail_ledger
from . import test_retail_security
from . import test_retail_xmlrpc
from . import test_retail_courier_settlement
from . import test_retail_tour
from . import test_core_rights
from . import test_abuse_cases
