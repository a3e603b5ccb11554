from . import test_pinduoduo
from . import test_pdd_settlements
from . import test_pdd_settlements_pull
