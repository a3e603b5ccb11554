from . import test_aftersale
from . import test_abuse_cases
from . import test_platform_aftersale
