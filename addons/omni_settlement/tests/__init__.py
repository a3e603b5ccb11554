from . import test_statement_import
