from . import test_pinduoduo
