from . import test_billing
from . import test_payment_request
from . import test_payment_request_http
