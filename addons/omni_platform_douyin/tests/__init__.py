from . import test_douyin
