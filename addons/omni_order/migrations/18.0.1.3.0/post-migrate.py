# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The last pull's message is written when read, in the reader's language,
from facts; the text stored by a failed pull before (in the language of
whoever ran it) is kept as its error detail."""


def migrate(cr, version):
    cr.execute(
        "SELECT 1 FROM information_schema.columns"
        " WHERE table_name = 'omni_channel' AND column_name = 'last_pull_message'"
    )
    if cr.fetchone():
        cr.execute(
            """
            UPDATE omni_channel SET last_pull_error = last_pull_message
             WHERE last_pull_state = 'failed' AND last_pull_error IS NULL
            """
        )
