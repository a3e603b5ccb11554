from . import test_statement_import
from . import test_posting
from . import test_xmlrpc
from . import test_reports
from . import test_refund_rematch
from . import test_bank_payout
from . import test_pull_settlements
from . import test_match_again
