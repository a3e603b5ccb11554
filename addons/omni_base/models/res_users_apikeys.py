# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib

from odoo import models
from odoo.tools import SQL
from odoo.tools.lru import LRU

from odoo.addons.base.models.res_users import INDEX_SIZE, KEY_CRYPT_CONTEXT

# Keys this process has verified against a stored hash: {(stored hash, sha256 of the key)}.
# Verifying an API key is 6,000 rounds of PBKDF2-SHA512, about 4 ms of CPU here (7.6 ms on
# the loaded 2-core machine): the largest single cost of a screen pop, paid on every call
# of a telephone system that sends the same key all day. "This key matches this hash" is
# a fact that never changes, so it is remembered; whether the key still counts (user
# active, key not revoked, not expired, scope) is read from the database on every call,
# as core does. Only successes are kept (a wrong key costs the full hashing every time),
# and only the SHA-256 of a key, never the key.
_VERIFIED = LRU(1024)


class ResUsersApikeys(models.Model):
    _inherit = "res.users.apikeys"

    def _check_credentials(self, *, scope, key):
        """Core's check (odoo/addons/base/models/res_users.py,
        ``APIKeys._check_credentials``): the same query, the same answer,
        with each (stored hash, key) pair verified once per process
        (see ``_VERIFIED``). tests/test_apikey_check.py runs core's method
        and this one side by side."""
        assert scope and key, "scope and key required"
        self.env.cr.execute(
            SQL(
                """
                SELECT user_id, key
                  FROM %s INNER JOIN res_users u ON (u.id = user_id)
                 WHERE u.active AND index = %s
                   AND (scope IS NULL OR scope = %s)
                   AND (expiration_date IS NULL OR expiration_date >= now() at time zone 'utc')
                """,
                SQL.identifier(self._table),
                key[:INDEX_SIZE],
                scope,
            )
        )
        digest = hashlib.sha256(key.encode()).hexdigest()
        for user_id, current_key in self.env.cr.fetchall():
            if (current_key, digest) in _VERIFIED:
                return user_id
            if KEY_CRYPT_CONTEXT.verify(key, current_key):
                _VERIFIED[current_key, digest] = True
                return user_id
        return None
