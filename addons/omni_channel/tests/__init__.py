from . import test_omni_channel
from . import test_omni_channel_security
from . import test_xmlrpc
from . import test_abuse_cases
