from . import test_differential
from . import test_differential_waves
from . import test_odoo_path
from . import test_independence
from . import test_indexes
