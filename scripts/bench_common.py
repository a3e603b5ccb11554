"""What every scripts/bench_*.py shares: its command line (scripts/bench.sh
passes --config, --db and --odoo-src; --smoke asks for the script's smoke
sizes) and an Odoo environment on the benchmark database.

Smoke mode (scripts/bench_smoke.sh, run by CI): the same code paths and the
same checks at sizes that take seconds; no timing is judged, but every
check must hold (exit non-zero otherwise). A script declares its smoke
sizes with ``parser.smoke_sizes(...)`` before parsing; without them,
``--smoke`` is an error, so that a new benchmark cannot slip out of CI."""

import argparse
import sys


class BenchParser(argparse.ArgumentParser):
    _smoke_sizes = None

    def smoke_sizes(self, **sizes):
        """Defaults of these options under --smoke (an option given on the
        command line still wins)."""
        dests = {action.dest for action in self._actions}
        unknown = sorted(set(sizes) - dests)
        if unknown:
            raise ValueError(f"smoke sizes for unknown options: {', '.join(unknown)}")
        self._smoke_sizes = sizes

    def parse_args(self, args=None, namespace=None):
        parsed = super().parse_args(args, namespace)
        if parsed.smoke:
            if self._smoke_sizes is None:
                self.error("this benchmark declares no smoke sizes (parser.smoke_sizes(...) in its parse_args)")
            self.set_defaults(**self._smoke_sizes)
            parsed = super().parse_args(args, namespace)
        return parsed


def arg_parser(doc):
    parser = BenchParser(description=doc.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--odoo-src", required=True)
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="tiny sizes (seconds): the code paths and checks only, no timing judged (CI)",
    )
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
