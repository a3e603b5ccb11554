from . import test_phone
from . import test_caller_lookup
