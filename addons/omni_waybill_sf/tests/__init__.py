from . import test_sf_client
