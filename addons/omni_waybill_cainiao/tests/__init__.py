from . import test_cainiao
