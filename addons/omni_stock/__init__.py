from . import models


def post_init_hook(env):
    """Every company gets its defective warehouse (次品仓)."""
    for company in env["res.company"].search([]):
        company._omni_get_defective_warehouse()
