from . import test_receipts
from . import test_suggestion_edits
from . import test_suggestion_engine
from . import test_suggestion_http
from . import test_suggestion_order
