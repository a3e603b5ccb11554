from . import courier_statement_import
