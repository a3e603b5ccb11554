from . import test_rate_card
from . import test_statement_import
from . import test_settlement
from . import test_xmlrpc
from . import test_reconciliation_tour
from . import test_parcel_expected
from . import test_statement_review
from . import test_courier_missing
