# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The switch that turns every speed-up of this addon off without
uninstalling it (Inventory settings, or the system parameter below): a
confirmation wave then takes Odoo's own path at every step, as without the
addon. The benchmark (scripts/bench_order_intake.py) measures both ways;
the differential tests run Odoo's side through it too.

It is read where a speed-up starts (a wave's confirmation, its reservation,
a batch of moves confirmed), never inside Odoo's hot loops: the memos the
overrides of ``precision_get``, ``_get_rule`` and ``_gather`` consult exist
only inside a block opened there."""

SWITCH = "omni_stock_speed.disabled"


def speed_ups_on(env):
    """False when an administrator turned the speed-ups off."""
    # sudo: a system parameter, read whoever confirms; it grants nothing
    return not env["ir.config_parameter"].sudo().get_param(SWITCH)
