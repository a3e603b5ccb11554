from . import account_move
from . import account_move_line
from . import purchase_order_line
from . import purchase_order
from . import res_partner
from . import omni_purchase_payment_request
from . import omni_purchase_payment_request_line
