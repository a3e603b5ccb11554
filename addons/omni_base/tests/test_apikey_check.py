# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from unittest.mock import patch

from odoo.tests import TransactionCase, tagged

from odoo.addons.base.models.res_users import KEY_CRYPT_CONTEXT, APIKeys
from odoo.addons.omni_base.models import res_users_apikeys

MODULE = "odoo.addons.omni_base.models.res_users_apikeys"


@tagged("post_install", "-at_install")
class TestApiKeyCheck(TransactionCase):
    """The API key check with its per-process memo of verified keys answers
    what core's check answers, in every case a key can be in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = cls.env["res.users"].create({"name": "PBX key test", "login": "pbx_key_test"})
        cls.Keys = cls.env["res.users.apikeys"]

    def _key(self, scope=None, user=None):
        return self.Keys.with_user(user or self.user).sudo()._generate(scope, "test", None)

    def _both(self, key, scope="rpc"):
        """(core's answer, ours) for ``key``."""
        core = APIKeys._check_credentials(self.Keys, scope=scope, key=key)
        ours = self.Keys._check_credentials(scope=scope, key=key)
        return core, ours

    def test_same_answers_as_core(self):
        key = self._key()
        self.assertEqual(self._both(key), (self.user.id, self.user.id))
        self.assertEqual(self._both(key), (self.user.id, self.user.id), "again, from the memo")
        # same index (first 8 characters), other key; another key altogether
        wrong = key[:8] + ("0" if key[8] != "0" else "1") + key[9:]
        self.assertEqual(self._both(wrong), (None, None))
        self.assertEqual(self._both("f" * 40), (None, None))
        # a key of another scope is no RPC key; a global key serves any scope
        scoped = self._key(scope="other")
        self.assertEqual(self._both(scoped), (None, None))
        self.assertEqual(self._both(scoped, scope="other"), (self.user.id, self.user.id))
        self.assertEqual(self._both(key, scope="other"), (self.user.id, self.user.id))

    def test_memo_never_outlives_the_key(self):
        """Verified once (remembered), then expired, the user archived, the
        key revoked: each refused at once, as by core."""
        key = self._key()
        self.assertEqual(self._both(key), (self.user.id, self.user.id))
        table = self.Keys._table
        # expired by the database's clock, which core's query reads (SQL now())
        self.env.cr.execute(
            f"UPDATE {table} SET expiration_date = (now() AT TIME ZONE 'utc') - interval '1 minute'"  # noqa: S608
            " WHERE user_id = %s",
            [self.user.id],
        )
        self.assertEqual(self._both(key), (None, None), "expired")
        self.env.cr.execute(f"UPDATE {table} SET expiration_date = NULL WHERE user_id = %s", [self.user.id])  # noqa: S608
        self.assertEqual(self._both(key), (self.user.id, self.user.id))
        self.user.active = False
        self.env.flush_all()
        self.assertEqual(self._both(key), (None, None), "archived user")
        self.user.active = True
        self.env.flush_all()
        self.Keys.sudo().search([("user_id", "=", self.user.id)]).unlink()
        self.assertEqual(self._both(key), (None, None), "revoked")

    def test_a_key_is_hashed_once_per_process(self):
        key = self._key()
        with patch(f"{MODULE}.KEY_CRYPT_CONTEXT") as crypt:
            crypt.verify.side_effect = KEY_CRYPT_CONTEXT.verify
            for _i in range(3):
                self.assertEqual(self.Keys._check_credentials(scope="rpc", key=key), self.user.id)
            self.assertEqual(crypt.verify.call_count, 1)
            # a wrong key is hashed every time it is tried (nothing remembered for it)
            for _i in range(2):
                self.assertIsNone(self.Keys._check_credentials(scope="rpc", key=key[:8] + "0" * 32))
            self.assertEqual(crypt.verify.call_count, 3)
        self.assertNotIn(key, repr(list(res_users_apikeys._VERIFIED)), "the memo keeps no key in clear")
