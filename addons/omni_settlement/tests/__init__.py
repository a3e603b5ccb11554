from . import test_statement_import
from . import test_posting
