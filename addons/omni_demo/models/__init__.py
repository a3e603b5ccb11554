from . import omni_demo
from . import omni_demo_call_centre
from . import omni_demo_settlement
from . import omni_demo_intercompany
