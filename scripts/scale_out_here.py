"""Run docker/scale-out's topology on this machine, without Docker, from its own files.

    sudo .venv/bin/python scripts/scale_out_here.py [--orders 400] [--source-db omni_bench_smoke_tmpl]
        [--keep]   (leave everything running and print how to stop it)

For a machine with no Docker engine (issue 29): every service of
``docker/scale-out/compose.yaml`` runs as local processes, each on its own
loopback address, under the service's name (a marked block added to
/etc/hosts for the run and removed after it; glibc's ``multi on`` makes
``odoo-web`` and ``odoo-jobs`` resolve to every node, as Docker's DNS does):

- ``db-primary``: a new PostgreSQL 15 cluster started with the compose
  file's ``command`` options, then ``primary-init.sh`` (the replication role);
- ``db-replica``: ``replica-start.sh`` itself (pg_basebackup -R with a slot,
  then a hot standby);
- ``pgbouncer``: ``pgbouncer/pgbouncer.ini`` with the auth file its
  Dockerfile writes;
- ``odoo-web`` x 2, ``odoo-jobs`` x 2, ``odoo-runner``: each node's
  ``odoo.conf`` written by ``docker/entrypoint.sh``'s own writer from the
  project's ``odoo.conf`` and the node's file, then odoo-bin with
  HOST/PORT/USER/PASSWORD and the environment of its compose service
  (``ODOO_QUEUE_JOB_*``); one data_dir for all of them;
- ``proxy``: ``nginx.conf``.

What differs from the containers, and only that: the image's paths
(addons_path, data_dir) are this checkout's; each service listens on its own
loopback address (nginx's ``listen 8069`` and ``8080`` get the proxy's
address, because the Odoo nodes hold port 8069 on theirs); PostgreSQL's
sockets go to the run's folder.

It restores ``--source-db`` (a database of the local cluster with the
project installed, e.g. the benchmark template) into the primary, then checks
through the proxy and prints each result:
1. users' requests reach both web nodes with one session (sessions are files
   in the shared data_dir);
2. read-only requests (``call_kw`` of ``search_read``) run on the replica
   (``ro`` in the nodes' access log, the replica's backends), a write runs on
   the primary (``rw``) and is read back from the replica (lag printed);
3. ``/websocket`` is upgraded by the web nodes' gevent port;
4. an order file's confirmation and reservation jobs are sent by the runner
   through the proxy's port 8080 to both job nodes, every order confirmed,
   the allocation reconciled, no duplicate customer;
5. the web and job nodes connect through PgBouncer, the runner node straight
   to the primary;
6. with the replica stopped, read-only requests still answer (``ro->rw``).
Exit 1 when a check fails. Needs root (hosts file, PostgreSQL as postgres),
PostgreSQL 15's server binaries, nginx and pgbouncer (Debian packages).
"""

import argparse
import base64
import configparser
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import psutil
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCALE = ROOT / "docker" / "scale-out"
sys.path.insert(0, str(ROOT / "scripts"))
import bench_order_intake as intake  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")
# the OCA addons installed from PyPI in this interpreter's environment (docker/entrypoint.sh's way)
OCA_ADDONS = str(Path(sysconfig.get_paths()["purelib"]) / "odoo" / "addons")
HOSTS_MARK = "# omni scale_out_here"
ADDRESSES = {
    "db-primary": ["127.0.0.10"],
    "db-replica": ["127.0.0.11"],
    "pgbouncer": ["127.0.0.12"],
    "proxy": ["127.0.0.13"],
    "odoo-web": ["127.0.0.21", "127.0.0.22"],
    "odoo-jobs": ["127.0.0.31", "127.0.0.32"],
    "odoo-runner": ["127.0.0.41"],
}
SECRETS = {"POSTGRES_PASSWORD": "omni-pg", "REPLICATION_PASSWORD": "omni-repl", "ODOO_ADMIN_PASSWD": "omni-master"}
DB = "omni_scale_here"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-db", default="omni_bench_smoke_tmpl")
    parser.add_argument("--orders", type=int, default=400)
    parser.add_argument("--workdir", default="/tmp/omni_scale_here")
    parser.add_argument("--odoo-src", default=os.environ.get("ODOO_SRC", "/opt/odoo-18.0"))
    parser.add_argument("--keep", action="store_true", help="leave the services running")
    return parser.parse_args()


class Run:
    def __init__(self, args):
        self.args = args
        self.work = Path(args.workdir)
        self.procs = {}
        self.failures = []
        self.compose = yaml.safe_load((SCALE / "compose.yaml").read_text())

    # -- helpers ---------------------------------------------------------
    def say(self, label, text):
        print(f"{label:38s}: {text}", flush=True)

    def check(self, label, ok, text):
        self.say(label, f"{'OK' if ok else 'FAILED'}  {text}")
        if not ok:
            self.failures.append(label)

    def as_postgres(self, cmd, env=None, **kw):
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", "env", *[f"{k}={v}" for k, v in (env or {}).items()], *cmd],
            check=True,
            **kw,
        )

    def spawn(self, name, cmd, env=None, user=None):
        log = open(self.work / f"{name}.log", "w")  # noqa: SIM115
        if user:
            cmd = ["runuser", "-u", user, "--", "env", *[f"{k}={v}" for k, v in (env or {}).items()], *cmd]
            env = None
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs[name] = proc
        return proc

    def wait_port(self, name, host, port, seconds=120):
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                with socket.create_connection((host, port), timeout=1):
                    return
            except OSError:
                proc = self.procs.get(name)
                if proc and proc.poll() is not None:
                    break
                time.sleep(0.5)
        raise SystemExit(f"{name} did not listen on {host}:{port}; see {self.work / (name + '.log')}")

    def expand(self, value):
        """Compose's ${VAR}, ${VAR:-default}, ${VAR:?message} from this run's environment."""

        def one(match):
            name, op, arg = match.group(1), match.group(2), match.group(3)
            if name in os.environ:
                return os.environ[name]
            if name in SECRETS:
                return SECRETS[name]
            if op == ":-":
                return arg
            raise SystemExit(f"compose.yaml needs {name}")

        return re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", one, str(value))

    def service_env(self, service):
        env = self.compose["services"][service].get("environment") or {}
        return {k: self.expand(v) for k, v in env.items()}

    # -- the services ----------------------------------------------------
    def hosts(self, add):
        text = Path("/etc/hosts").read_text()
        kept = [line for line in text.splitlines() if not line.endswith(HOSTS_MARK)]
        if add:
            kept += [f"{ip} {name} {HOSTS_MARK}" for name, ips in ADDRESSES.items() for ip in ips]
        Path("/etc/hosts").write_text("\n".join(kept) + "\n")

    def primary(self):
        data = self.work / "primary"
        env = self.service_env("db-primary")
        pwfile = self.work / "pw"
        pwfile.write_text(env["POSTGRES_PASSWORD"])
        shutil.chown(pwfile, "postgres")
        self.as_postgres(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                env["POSTGRES_USER"],
                f"--pwfile={pwfile}",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
            ],
            stdout=subprocess.DEVNULL,
        )
        with open(data / "pg_hba.conf", "a") as hba:  # the image's entrypoint: every host, scram
            hba.write("host all all all scram-sha-256\n")
        command = self.compose["services"]["db-primary"]["command"]
        assert command[0] == "postgres"
        self.spawn(
            "db-primary",
            [
                str(PG_BIN / "postgres"),
                "-D",
                str(data),
                *command[1:],
                "-c",
                "listen_addresses=db-primary",
                "-c",
                "port=5432",
                "-c",
                f"unix_socket_directories={self.work}",
            ],
            user="postgres",
        )
        self.wait_port("db-primary", "db-primary", 5432)
        time.sleep(1)
        init_env = {"PGDATA": str(data), "PGHOST": str(self.work), "PGPORT": "5432", **env}
        self.as_postgres(["bash", str(SCALE / "primary-init.sh")], env=init_env, stdout=subprocess.DEVNULL)
        self.as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "reload"], stdout=subprocess.DEVNULL)

    def replica(self):
        env = {
            **self.service_env("db-replica"),
            "PGDATA": str(self.work / "replica"),
            "PATH": f"{PG_BIN}:/usr/bin:/bin",
        }
        self.spawn(
            "db-replica",
            [
                "bash",
                str(SCALE / "replica-start.sh"),
                "-c",
                "listen_addresses=db-replica",
                "-c",
                "port=5432",
                "-c",
                f"unix_socket_directories={self.work}/r",
            ],
            env=env,
            user="postgres",
        )
        (self.work / "r").mkdir(exist_ok=True)
        shutil.chown(self.work / "r", "postgres")
        self.wait_port("db-replica", "db-replica", 5432, seconds=300)

    def pgbouncer(self):
        password = self.service_env("pgbouncer")["POSTGRES_PASSWORD"]
        # the Dockerfile's CMD: the auth file from POSTGRES_PASSWORD, then pgbouncer
        self.spawn(
            "pgbouncer",
            [
                "sh",
                "-c",
                f"printf '\"odoo\" \"%s\"\\n' '{password}' > /tmp/userlist.txt && "
                f"exec pgbouncer {SCALE / 'pgbouncer' / 'pgbouncer.ini'}",
            ],
            user="postgres",
        )
        self.wait_port("pgbouncer", "pgbouncer", 6432)

    def restore(self):
        env = dict(os.environ, PGPASSWORD=SECRETS["POSTGRES_PASSWORD"])
        target = ["-h", "db-primary", "-p", "5432", "-U", "odoo"]
        subprocess.run(["createdb", *target, DB], env=env, check=True)
        dump = subprocess.Popen(["pg_dump", "-Fc", "--no-owner", self.args.source_db], stdout=subprocess.PIPE)
        subprocess.run(
            ["pg_restore", *target, "-d", DB, "--no-owner", "--role=odoo"],
            stdin=dump.stdout,
            env=env,
            check=True,
            stderr=subprocess.DEVNULL,
        )
        dump.wait()
        store = ROOT / ".local" / "data" / "filestore" / self.args.source_db
        if store.is_dir():
            shutil.copytree(store, self.work / "data" / "filestore" / DB)

    def node_conf(self, service):
        """docker/entrypoint.sh's writer, as tests/test_scale_out.py runs it; then
        this checkout's paths for the image's."""
        source = (ROOT / "docker" / "entrypoint.sh").read_text()
        script = re.search(r"<<'PY'\n(.*?)\nPY\n", source, re.S).group(1)
        conf = self.work / f"{service}.conf"
        script = script.replace("/etc/odoo/odoo.project.conf", str(ROOT / "odoo.conf"))
        script = script.replace("/etc/odoo/odoo.conf", str(conf))
        writer = self.work / "write_conf.py"
        writer.write_text(script)
        env = self.service_env(service)
        extra = env["ODOO_EXTRA_CONF"].replace("/etc/odoo/scale", str(SCALE))
        run_env = {
            "PATH": "/usr/bin:/bin",
            "ODOO_ADMIN_PASSWD": SECRETS["ODOO_ADMIN_PASSWD"],
            "ODOO_EXTRA_CONF": extra,
            "ODOO_DB": DB,
        }
        subprocess.run([sys.executable, str(writer), "/oca"], env=run_env, check=True)
        cp = configparser.RawConfigParser()
        cp.read(conf)
        addons = cp["options"]["addons_path"].split(",")
        local = {
            "/mnt/extra-addons": str(ROOT / "addons"),
            "/oca": OCA_ADDONS,
            "/usr/lib/python3/dist-packages/odoo/addons": str(Path(self.args.odoo_src) / "addons"),
        }
        cp["options"]["addons_path"] = ",".join(local.get(a, a) for a in addons)
        cp["options"]["data_dir"] = str(self.work / "data")
        cp["options"]["dbfilter"] = f"^{DB}$"
        with open(conf, "w") as fh:
            cp.write(fh)
        return conf, env

    def odoo_node(self, service, index, address):
        conf, env = self.node_conf(service)
        name = f"{service}-{index}"
        node_env = dict(os.environ, **{k: v for k, v in env.items() if k.startswith("ODOO_QUEUE_JOB")})
        # the official image's entrypoint: --db_host/--db_port/--db_user/--db_password from HOST, PORT, USER, PASSWORD
        cmd = [
            sys.executable,
            str(Path(self.args.odoo_src) / "odoo-bin"),
            "-c",
            str(conf),
            "-d",
            DB,
            f"--db_host={env['HOST']}",
            f"--db_port={env['PORT']}",
            f"--db_user={env['USER']}",
            f"--db_password={env['PASSWORD']}",
            f"--http-interface={address}",
        ]
        self.spawn(name, cmd, env=node_env)
        return name

    def nodes(self):
        names = []
        for service in ("odoo-web", "odoo-jobs"):
            for index, address in enumerate(ADDRESSES[service]):
                names.append((self.odoo_node(service, index, address), address))
        names.append((self.odoo_node("odoo-runner", 0, ADDRESSES["odoo-runner"][0]), ADDRESSES["odoo-runner"][0]))
        for name, address in names:
            self.wait_port(name, address, 8069)
        for index, address in enumerate(ADDRESSES["odoo-web"]):
            self.wait_port(f"odoo-web-{index}", address, 8072)

    def proxy(self):
        text = (SCALE / "nginx.conf").read_text()
        text = re.sub(r"listen (\d+);", r"listen proxy:\1;", text)  # the nodes hold *:8069 on their own addresses
        (self.work / "nginx" / "logs").mkdir(parents=True, exist_ok=True)
        (self.work / "nginx.conf").write_text(text)
        self.spawn(
            "proxy",
            [
                "nginx",
                "-c",
                str(self.work / "nginx.conf"),
                "-p",
                str(self.work / "nginx"),
                "-g",
                f"daemon off; pid {self.work}/nginx.pid; error_log {self.work}/proxy-error.log;",
            ],
        )
        self.wait_port("proxy", "proxy", 8069)

    def start(self):
        if self.work.exists():
            shutil.rmtree(self.work)
        self.work.mkdir(parents=True)
        shutil.chown(self.work, "postgres")
        os.chmod(self.work, 0o777)
        (self.work / "data").mkdir()
        self.hosts(add=True)
        t = time.time()
        self.primary()
        self.replica()
        self.pgbouncer()
        self.say("started", f"db-primary, db-replica, pgbouncer in {time.time() - t:.1f} s")
        t = time.time()
        self.restore()
        self.say("restored", f"{self.args.source_db} -> {DB} on db-primary in {time.time() - t:.1f} s")
        t = time.time()
        self.nodes()
        self.proxy()
        self.say("started", f"2 odoo-web, 2 odoo-jobs, 1 odoo-runner, proxy in {time.time() - t:.1f} s")

    def stop(self):
        for name in reversed(list(self.procs)):
            proc = self.procs[name]
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for proc in self.procs.values():
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.hosts(add=False)

    # -- the checks ------------------------------------------------------
    def rpc(self, path, params, cookie=None):
        conn = http.client.HTTPConnection("proxy", 8069, timeout=120)
        headers = {"Content-Type": "application/json"}
        if cookie:
            headers["Cookie"] = cookie
        conn.request("POST", path, json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}), headers)
        response = conn.getresponse()
        body = json.loads(response.read() or b"{}")
        cookie = (response.getheader("Set-Cookie") or "").split(";")[0] or cookie
        conn.close()
        if body.get("error"):
            raise RuntimeError(body["error"].get("data", {}).get("message") or body["error"])
        return body.get("result"), cookie

    def node_log_lines(self, name, pattern):
        return [
            line for line in (self.work / f"{name}.log").read_text(errors="replace").splitlines() if pattern in line
        ]

    def replica_sql(self, sql):
        out = subprocess.run(
            ["psql", "-h", "db-replica", "-U", "odoo", "-d", DB, "-tAc", sql],
            check=True,
            capture_output=True,
            text=True,
            env=dict(os.environ, PGPASSWORD=SECRETS["POSTGRES_PASSWORD"]),
        )
        return out.stdout.strip()

    def odoo_env(self):
        conf = self.work / "bench.conf"
        conf.write_text(
            f"[options]\naddons_path = {ROOT / 'addons'},{OCA_ADDONS},"
            f"{Path(self.args.odoo_src) / 'addons'}\ndata_dir = {self.work / 'data'}\ndb_host = db-primary\n"
            f"db_port = 5432\ndb_user = odoo\ndb_password = {SECRETS['POSTGRES_PASSWORD']}\n"
        )
        from bench_common import odoo_env

        return odoo_env(argparse.Namespace(config=str(conf), db=DB, odoo_src=self.args.odoo_src))

    def checks(self):
        _odoo, env = self.odoo_env()
        env.ref("base.user_admin").password = "admin"
        env.cr.commit()
        _result, cookie = self.rpc("/web/session/authenticate", {"db": DB, "login": "admin", "password": "admin"})
        before = {n: len(self.node_log_lines(n, "/web/dataset/call_kw")) for n in ("odoo-web-0", "odoo-web-1")}
        for _i in range(40):
            self.rpc(
                "/web/dataset/call_kw/res.partner/search_read",
                {
                    "model": "res.partner",
                    "method": "search_read",
                    "args": [[]],
                    "kwargs": {"fields": ["name"], "limit": 5},
                },
                cookie,
            )
        served = {n: len(self.node_log_lines(n, "/web/dataset/call_kw")) - before[n] for n in before}
        self.check(
            "1 one session, both web nodes",
            all(served.values()),
            f"40 search_read through the proxy, served {served['odoo-web-0']} / {served['odoo-web-1']}",
        )
        ro = sum(1 for n in before for line in self.node_log_lines(n, "search_read") if line.rstrip().endswith(" ro"))
        backends = int(self.replica_sql(f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{DB}'"))
        self.check(
            "2 reads on the replica",
            ro >= 40 and backends > 0,
            f"{ro} search_read logged 'ro'; {backends} Odoo backends on db-replica",
        )
        partner_id = env["res.partner"].search([], limit=1).id
        stamp = f"scale-here {time.time():.0f}"
        self.rpc(
            "/web/dataset/call_kw/res.partner/write",
            {"model": "res.partner", "method": "write", "args": [[partner_id], {"ref": stamp}], "kwargs": {}},
            cookie,
        )
        rw = sum(
            1 for n in before for line in self.node_log_lines(n, "res.partner/write") if line.rstrip().endswith(" rw")
        )
        t = time.time()
        while self.replica_sql(f"SELECT ref FROM res_partner WHERE id = {partner_id}") != stamp:
            if time.time() - t > 30:
                break
            time.sleep(0.01)
        lag = time.time() - t
        self.check(
            "2 write on the primary, read back",
            rw >= 1 and lag < 30,
            f"write logged 'rw'; on db-replica after {1000 * lag:.0f} ms",
        )
        self.websocket(cookie)
        self.jobs(env)
        self.pooler()
        self.replica_down(cookie)
        env.cr.close()

    def websocket(self, cookie):
        conn = http.client.HTTPConnection("proxy", 8069, timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        conn.request(
            "GET",
            "/websocket",
            headers={
                "Upgrade": "websocket",
                "Connection": "Upgrade",
                "Sec-WebSocket-Key": key,
                "Sec-WebSocket-Version": "13",
                "Origin": "http://proxy:8069",
                "Cookie": cookie,
            },
        )
        response = conn.getresponse()
        status = response.status
        conn.close()
        self.check("3 /websocket upgraded", status == 101, f"HTTP {status} through the proxy (the gevent port)")

    def jobs(self, env):
        tag = time.strftime("%H%M%S")
        _channel, warehouse, skus = intake.fixtures(env, tag)
        orders = intake.generate_orders(self.args.orders, seed=9, prefix=f"{tag}H")
        channel = intake.make_channel(env, f"H{tag}", warehouse, skus)
        env.cr.commit()
        before = {n: len(self.node_log_lines(n, "/queue_job/runjob")) for n in ("odoo-jobs-0", "odoo-jobs-1")}
        t = time.time()
        intake.stage(env, orders, channel)
        while True:
            env.cr.execute(
                "SELECT count(*) FILTER (WHERE state = 'confirmed'), count(*) FROM omni_order WHERE channel_id = %s",
                [channel.id],
            )
            confirmed, total = env.cr.fetchone()
            env.cr.execute(
                "SELECT count(*) FILTER (WHERE state IN ('pending','enqueued','started')), "
                "count(*) FILTER (WHERE state = 'failed') FROM queue_job"
            )
            running, failed = env.cr.fetchone()
            env.cr.commit()
            if (confirmed == total and not running) or failed or time.time() - t > 900:
                break
            time.sleep(1)
        elapsed = time.time() - t
        per_node = {n: len(self.node_log_lines(n, "/queue_job/runjob")) - before[n] for n in before}
        runner = len(self.node_log_lines("odoo-runner-0", "/queue_job/runjob"))
        differences = env["omni.order.allocation"].check_reconciliation()
        duplicates = intake.duplicate_partners(env)
        self.check(
            "4 jobs through the proxy to both nodes",
            confirmed == total
            and not failed
            and all(per_node.values())
            and not runner
            and not differences
            and not duplicates,
            f"{confirmed}/{total} orders confirmed in {elapsed:.1f} s; jobs run by odoo-jobs-0 / -1: "
            f"{per_node['odoo-jobs-0']} / {per_node['odoo-jobs-1']} (by the runner's own node {runner}); "
            f"failed {failed}; reconciliation differences {len(differences)}; duplicate customers {duplicates}",
        )

    def pooler(self):
        """The web and job nodes' connections go to PgBouncer, the runner's straight to the primary."""
        out = subprocess.run(["ss", "-tnp", "state", "established"], capture_output=True, text=True, check=True).stdout
        rows = [line.split() for line in out.splitlines()[1:]]
        runner = psutil.Process(self.procs["odoo-runner-0"].pid)
        runner_pids = {runner.pid, *(child.pid for child in runner.children(recursive=True))}
        pooler = f"{ADDRESSES['pgbouncer'][0]}:6432"
        primary = f"{ADDRESSES['db-primary'][0]}:5432"
        to_pooler = sum(1 for r in rows if len(r) >= 5 and r[3] == pooler and "python" in r[4])
        direct = sum(
            1 for r in rows if len(r) >= 5 and r[3] == primary and any(f"pid={pid}," in r[4] for pid in runner_pids)
        )
        self.check(
            "5 nodes through PgBouncer",
            to_pooler > 0 and direct > 0,
            f"{to_pooler} Odoo connections to pgbouncer:6432; the runner node's {direct} straight to db-primary",
        )

    def replica_down(self, cookie):
        proc = self.procs["db-replica"]
        os.killpg(proc.pid, signal.SIGINT)  # fast shutdown of the standby
        proc.wait(60)
        ok = 0
        for _i in range(10):
            result, _cookie = self.rpc(
                "/web/dataset/call_kw/res.partner/search_read",
                {
                    "model": "res.partner",
                    "method": "search_read",
                    "args": [[]],
                    "kwargs": {"fields": ["name"], "limit": 1},
                },
                cookie,
            )
            ok += bool(result)
        fallback = sum(
            1
            for n in ("odoo-web-0", "odoo-web-1")
            for line in self.node_log_lines(n, "search_read")
            if line.rstrip().endswith("ro->rw")
        )
        self.check(
            "6 replica stopped: reads still answer",
            ok == 10 and fallback > 0,
            f"{ok}/10 search_read answered; {fallback} logged 'ro->rw' (the primary took them)",
        )


def main():
    args = parse_args()
    if os.geteuid() != 0:
        sys.exit("run as root (hosts file, PostgreSQL as postgres)")
    for tool in ("nginx", "pgbouncer", "pg_dump", "pg_restore", "psql"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is not installed (apt-get install nginx-light pgbouncer postgresql-15)")
    run = Run(args)
    signal.signal(signal.SIGTERM, lambda _s, _f: sys.exit("terminated"))
    try:
        run.start()
        run.checks()
    finally:
        if args.keep:
            print(
                f"left running; stop with: kill the process groups in {run.work}/*.log's owners, "
                f"then remove the lines ending '{HOSTS_MARK}' from /etc/hosts"
            )
        else:
            run.stop()
    if run.failures:
        sys.exit("FAILED: " + ", ".join(run.failures))
    print("all checks passed")


if __name__ == "__main__":
    main()
