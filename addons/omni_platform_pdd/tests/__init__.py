from . import test_pinduoduo
from . import test_pdd_settlements
