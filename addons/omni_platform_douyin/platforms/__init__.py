from . import douyin
