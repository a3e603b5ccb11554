from . import test_sf_client
from . import test_sf_provider
