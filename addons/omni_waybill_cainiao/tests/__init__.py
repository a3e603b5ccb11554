from . import test_cainiao
from . import test_packing_tour
