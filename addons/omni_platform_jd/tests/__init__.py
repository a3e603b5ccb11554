from . import test_jd
