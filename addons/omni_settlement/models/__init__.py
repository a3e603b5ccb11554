from . import omni_channel
from . import omni_settlement_fee_type
from . import omni_settlement
from . import omni_settlement_line
from . import omni_settlement_import
from . import omni_settlement_match
from . import omni_settlement_post
from . import omni_order
