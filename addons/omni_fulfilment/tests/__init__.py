from . import test_scan_packing
