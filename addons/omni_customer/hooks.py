# Copyright 2026 Omni-channel back office contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def post_init_hook(env):
    """Every company gets its call-centre channel (companies created later
    get theirs when they are created)."""
    env["res.company"].search([])._omni_ensure_call_centre_channel()
