# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager

from ..models.speed_switch import SWITCH


class SpeedSwitchMixin:
    @contextmanager
    def _odoo_path(self):
        """Within this block every speed-up is off: Odoo's own methods."""
        ICP = self.env["ir.config_parameter"].sudo()
        ICP.set_param(SWITCH, "1")
        try:
            yield
        finally:
            ICP.set_param(SWITCH, False)

    def _odoo_then_ours(self, run):
        """(Odoo's result, ours) of ``run()`` on the same database state:
        Odoo's path runs in a savepoint rolled back before ours runs."""
        with self._odoo_path():
            savepoint = self.env.cr.savepoint()
            try:
                odoo = run()
            finally:
                savepoint.close(rollback=True)
                self.env.registry.clear_cache()
        return odoo, run()
