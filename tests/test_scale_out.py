"""The scale-out topology of docker/scale-out (issue 29), checked without a
Docker engine: the compose file parses and wires the roles as README.md
"Scaling out" says (one job runner, dispatching through the proxy; HTTP and
job nodes without it; a streaming replica for Odoo's read-only cursors;
session pooling; one shared data_dir), and every option the nodes' Odoo
configuration files set is one Odoo 18's own parser knows, with a value it
accepts."""

import configparser
import optparse
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import yaml

from odoo.tests import BaseCase, tagged
from odoo.tools import config

from . import ROOT

SCALE = ROOT / "docker" / "scale-out"
ODOO_NODES = ("odoo-web", "odoo-jobs", "odoo-runner")


def compose():
    return yaml.safe_load((SCALE / "compose.yaml").read_text())


def node_conf(service):
    """The options the node's ODOO_EXTRA_CONF file sets (the file mounted at
    that path in the service)."""
    target = service["environment"]["ODOO_EXTRA_CONF"]
    for volume in service["volumes"]:
        source, _sep, rest = volume.partition(":")
        if rest.split(":")[0] == target:
            parser = configparser.RawConfigParser()
            parser.read_string((SCALE / source).read_text())
            return parser
    raise AssertionError(f"{target} is not mounted")


def nginx_blocks(text):
    """{upstream name: [server host:port]}, {listen port: {location: target}}"""
    text = re.sub(r"#[^\n]*", "", text)
    upstreams = {
        name: re.findall(r"server\s+([\w.-]+:\d+)", body)
        for name, body in re.findall(r"upstream\s+(\w+)\s*{([^}]*)}", text)
    }
    servers = {}
    for body in re.split(r"\bserver\s*{", text)[1:]:
        port = int(re.search(r"listen\s+(\d+);", body).group(1))
        locations = {}
        for path, block in re.findall(r"location\s+(\S+)\s*{([^}]*)}", body):
            target = re.search(r"proxy_pass\s+http://(\w+);", block)
            locations[path] = target.group(1) if target else None
        servers[port] = locations
    return upstreams, servers


@tagged("post_install", "-at_install")
class TestScaleOutTopology(BaseCase):
    def test_services_and_roles(self):
        services = compose()["services"]
        for name in ("proxy", "pgbouncer", "db-primary", "db-replica", *ODOO_NODES):
            self.assertIn(name, services)
        runners = [
            name
            for name in ODOO_NODES
            if not services[name]["environment"]["ODOO_QUEUE_JOB_CHANNELS"].startswith("root:0")
        ]
        self.assertEqual(runners, ["odoo-runner"], "queue_job's runner runs on exactly one node")
        self.assertEqual(services["odoo-runner"]["deploy"]["replicas"], 1)
        # the runner and the crons hold session state (advisory lock, LISTEN):
        # straight to the primary, never through the pooler
        runner_env = services["odoo-runner"]["environment"]
        self.assertEqual(runner_env["HOST"], "db-primary")
        self.assertEqual(runner_env["ODOO_QUEUE_JOB_JOBRUNNER_DB_HOST"], "db-primary")
        for name in ("odoo-web", "odoo-jobs"):
            self.assertEqual(services[name]["environment"]["HOST"], "pgbouncer", name)
            self.assertEqual(node_conf(services[name])["options"]["max_cron_threads"], "0", name)
        self.assertGreater(int(node_conf(services["odoo-runner"])["options"]["max_cron_threads"]), 0)

    def test_every_odoo_node_shares_data_dir(self):
        """Sessions are files under data_dir/sessions in Odoo 18 (and the
        filestore is there): one volume for every node, or a user's session
        exists on one node only."""
        services = compose()["services"]
        for name in ODOO_NODES:
            self.assertIn("odoo-data:/var/lib/odoo", services[name]["volumes"], name)
        self.assertEqual(config.session_dir, str(Path(config["data_dir"]) / "sessions"))

    def test_runner_dispatches_through_the_proxy_to_the_job_nodes(self):
        services = compose()["services"]
        env = services["odoo-runner"]["environment"]
        self.assertEqual(env["ODOO_QUEUE_JOB_HOST"], "proxy")
        upstreams, servers = nginx_blocks((SCALE / "nginx.conf").read_text())
        jobs_port = int(env["ODOO_QUEUE_JOB_PORT"])
        self.assertEqual(servers[jobs_port]["/queue_job/"], "odoo_jobs")
        self.assertEqual(upstreams["odoo_jobs"], ["odoo-jobs:8069"])
        # not published, and refused on the public port
        self.assertNotIn(jobs_port, [int(p.split(":")[-1]) for p in services["proxy"]["ports"]])
        public = [int(p.split(":")[-1]) for p in services["proxy"]["ports"]]
        self.assertEqual(public, [8069])
        self.assertIsNone(servers[8069]["/queue_job/"])

    def test_websocket_goes_to_the_gevent_port(self):
        services = compose()["services"]
        upstreams, servers = nginx_blocks((SCALE / "nginx.conf").read_text())
        gevent_port = node_conf(services["odoo-web"])["options"]["gevent_port"]
        self.assertEqual(upstreams[servers[8069]["/websocket"]], [f"odoo-web:{gevent_port}"])
        self.assertEqual(upstreams[servers[8069]["/"]], ["odoo-web:8069"])

    def test_read_only_requests_use_the_streaming_replica(self):
        services = compose()["services"]
        options = node_conf(services["odoo-web"])["options"]
        self.assertIn(options["db_replica_host"], services)
        replica = services[options["db_replica_host"]]
        start = (SCALE / "replica-start.sh").read_text()
        self.assertIn("./replica-start.sh:/replica-start.sh:ro", replica["volumes"])
        self.assertIn('PRIMARY_HOST="${PRIMARY_HOST:-db-primary}"', start)
        self.assertIn('pg_basebackup -h "$PRIMARY_HOST"', start)
        self.assertIn(" -R ", start)  # standby.signal + primary_conninfo
        primary = " ".join(services["db-primary"]["command"])
        self.assertIn("wal_level=replica", primary)

    def test_pooler_keeps_sessions(self):
        """Transaction pooling would hand a LISTEN (bus, crons) or the
        runner's session advisory lock to another client."""
        ini = configparser.RawConfigParser()
        ini.read_string((SCALE / "pgbouncer" / "pgbouncer.ini").read_text())
        self.assertEqual(ini["pgbouncer"]["pool_mode"], "session")
        self.assertEqual(
            int(ini["pgbouncer"]["listen_port"]), int(compose()["services"]["odoo-web"]["environment"]["PORT"])
        )

    def test_node_options_exist_in_odoo(self):
        services = compose()["services"]
        for name in ODOO_NODES:
            options = node_conf(services[name])["options"]
            for key, value in options.items():
                self.assertIn(key, config.casts, f"{name}: {key} is no option of Odoo 18")
                option = config.casts[key]
                if option.type in optparse.Option.TYPE_CHECKER:
                    optparse.Option.TYPE_CHECKER[option.type](option, key, value)  # raises on a bad value
        self.assertEqual(config.casts["db_replica_port"].type, "int")

    def test_entrypoint_lets_the_node_options_win(self):
        """docker/entrypoint.sh's config writer, run on the project's
        odoo.conf and the web node's file: the node's options win, and no
        database host is left in the file (the official entrypoint would
        take it over HOST)."""
        source = (ROOT / "docker" / "entrypoint.sh").read_text()
        script = re.search(r"<<'PY'\n(.*?)\nPY\n", source, re.S).group(1)
        with tempfile.TemporaryDirectory() as tmp:
            script = script.replace("/etc/odoo/odoo.project.conf", str(ROOT / "odoo.conf"))
            script = script.replace("/etc/odoo/odoo.conf", f"{tmp}/odoo.conf")
            Path(tmp, "write.py").write_text(script)
            env = {"ODOO_ADMIN_PASSWD": "x", "ODOO_EXTRA_CONF": str(SCALE / "odoo-web.conf"), "PATH": "/usr/bin:/bin"}
            subprocess.run([shutil.which("python3") or "python3", f"{tmp}/write.py", "/oca"], env=env, check=True)
            written = configparser.RawConfigParser()
            written.read(f"{tmp}/odoo.conf")
        self.assertEqual(written["options"]["workers"], "5")
        self.assertEqual(written["options"]["max_cron_threads"], "0")
        self.assertEqual(written["options"]["db_replica_host"], "db-replica")
        self.assertNotIn("db_host", written["options"])
        self.assertEqual(written["options"]["server_wide_modules"], "base,web,queue_job")

    def test_nginx_accepts_the_proxy_config(self):
        nginx = shutil.which("nginx")
        if not nginx:
            self.skipTest("nginx is not installed (apt-get install nginx-light)")
        text = (SCALE / "nginx.conf").read_text()
        text = re.sub(r"server odoo-[\w-]+:(\d+)", r"server 127.0.0.1:\1", text)  # no Docker DNS here
        text = re.sub(r"listen (\d+);", r"listen 127.0.0.1:1\1;", text)
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "nginx.conf").write_text(text)
            result = subprocess.run(
                [nginx, "-t", "-c", f"{tmp}/nginx.conf", "-g", f"pid {tmp}/nginx.pid; error_log {tmp}/error.log;"],
                capture_output=True,
                text=True,
                check=False,
            )
        self.assertEqual(result.returncode, 0, result.stderr)
