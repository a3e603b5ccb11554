from . import test_return_to_wholesale
