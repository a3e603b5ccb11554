from . import test_douyin
from . import test_douyin_settlements
