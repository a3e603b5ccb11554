from . import test_tools_normalize
from . import test_tools_tabular
from . import test_database_manager
from . import test_apikey_check
