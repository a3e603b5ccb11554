from . import jd
