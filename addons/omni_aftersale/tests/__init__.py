from . import test_aftersale
