from . import test_platforms
from . import test_settlements_pull
