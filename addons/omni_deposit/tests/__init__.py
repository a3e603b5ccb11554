from . import test_deposit
from . import test_setup
