# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The channels' courier mapping, written CODE=value a line in the text field
``pdd_courier_ids``, becomes lines (``omni.channel.courier.code``, platform 'pinduoduo')."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["omni.channel.courier.code"]._omni_migrate_text(cr, "pinduoduo", "pdd_courier_ids")
