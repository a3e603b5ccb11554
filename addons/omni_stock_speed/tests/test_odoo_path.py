# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Intake's confirmation-wave tests once more with the speed-ups switched
off: intake works, and does the same, on Odoo's own path (as without this
addon)."""

from odoo.tests import tagged

from odoo.addons.omni_order.tests import test_confirmation_waves as waves

from ..models.speed_switch import SWITCH


@tagged("post_install", "-at_install")
class TestConfirmationWavesOnOdooPath(waves.TestConfirmationWaves):
    # Odoo's runner takes a class's own test methods only, unless told
    allow_inherited_tests_method = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param(SWITCH, "1")
