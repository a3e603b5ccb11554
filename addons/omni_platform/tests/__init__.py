from . import test_platforms
