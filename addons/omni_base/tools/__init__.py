# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import normalize
from . import tabular
from . import sql
from . import guard
from . import cursor_memo
from . import statement_file
