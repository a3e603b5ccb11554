from . import test_phone
from . import test_caller_lookup
from . import test_customer_card
from . import test_points
from . import test_screen_pop
from . import test_readonly_xmlrpc
from . import test_call_log
