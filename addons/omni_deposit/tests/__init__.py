from . import test_deposit
from . import test_setup
from . import test_demo_call_centre
from . import test_demo_call_centre_tour
