from . import test_demo_data
from . import test_demo_packing_tour
from . import test_demo_call_centre
from . import test_demo_call_centre_tour
from . import test_demo_settlement
from . import test_demo_intercompany
