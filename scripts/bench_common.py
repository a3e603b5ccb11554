"""What every scripts/bench_*.py shares: its command line (scripts/bench.sh
passes --config, --db and --odoo-src) and an Odoo environment on the
benchmark database."""

import argparse
import sys


def arg_parser(doc):
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--odoo-src", required=True)
    return parser


def odoo_env(args):
    """(odoo, env): superuser environment on its own cursor; commit as you go."""
    sys.path.insert(0, args.odoo_src)
    import odoo
    from odoo import api

    odoo.tools.config.parse_config(["-c", args.config, "-d", args.db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.db)
    cr = registry.cursor()
    return odoo, api.Environment(cr, odoo.SUPERUSER_ID, {})
