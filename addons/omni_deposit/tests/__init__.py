from . import test_deposit
