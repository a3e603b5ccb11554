from . import test_billing
from . import test_payment_request
