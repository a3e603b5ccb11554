from . import test_goods_request
from . import test_intercompany_invoice
from . import test_intercompany_check
from . import test_intercompany_xmlrpc
from . import test_intercompany_tour
from . import test_intercompany_invoice_reverse
from . import test_goods_request_backorder
from . import test_intercompany_concurrency
