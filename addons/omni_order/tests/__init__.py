from . import test_order_intake
from . import test_file_import
from . import test_platform_pull
from . import test_order_security
from . import test_review_tour
from . import test_allocation
from . import test_concurrency
from . import test_review_screens
