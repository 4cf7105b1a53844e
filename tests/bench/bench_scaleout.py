"""Scale-out: one Rasa instance against two, behind the gateway, with the production-like
stores (not a pytest test; used by run_all.py).

Starts throwaway PostgreSQL (tracker store, shared) and Redis (lock store) servers from the
Debian packages in a temporary folder on free loopback ports, the action server, two Rasa
instances with the same model and endpoints (like docker-compose.yml's two replicas), and
a round-robin TCP proxy in front of them, because the gateway takes one ``RASA_URL``: in
docker-compose, Docker's DNS name ``rasa`` spreads the gateway's connections over the
replicas in the same way (per connection, not per request).

The proxy listens on two ports: one forwards to instance A only, the other alternates
between A and B. The same closed-loop load (``bench_load.run_level``) runs through the
gateway pointed at the first port, then at the second (the gateway restarts in between so
its connection pool starts empty); both phases pay the same proxy hop.

    .venv/bin/python tests/bench/bench_scaleout.py --model models/<model>.tar.gz

The proxy alone: ``bench_scaleout.py --proxy LISTEN_PORT:BACKEND_PORT[,BACKEND_PORT...] ...``
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import run_level  # noqa: E402
from common import (  # noqa: E402
    ROOT,
    BenchStack,
    GatewayTarget,
    RestTarget,
    Service,
    bench_settings,
    cpu_seconds,
    free_port,
    log,
    memory_mb,
    ratio,
    write_json,
)

PG_BIN = Path("/usr/lib/postgresql")


# ---------------------------------------------------------------------------------------
# Round-robin TCP proxy (runs as its own process)
# ---------------------------------------------------------------------------------------

async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def _serve_proxy(routes: dict[int, list[int]], stats_path: Path | None) -> None:
    stats = {str(port): {str(b): 0 for b in backends} for port, backends in routes.items()}

    def handler_for(listen: int, backends: list[int]):
        cycle = itertools.cycle(backends)

        async def handle(client_reader, client_writer):
            backend = next(cycle)
            stats[str(listen)][str(backend)] += 1
            try:
                backend_reader, backend_writer = await asyncio.open_connection("127.0.0.1", backend)
            except OSError:
                client_writer.close()
                return
            await asyncio.gather(_pipe(client_reader, backend_writer), _pipe(backend_reader, client_writer))

        return handle

    servers = [await asyncio.start_server(handler_for(port, backends), "127.0.0.1", port)
               for port, backends in routes.items()]
    while True:
        if stats_path:
            stats_path.write_text(json.dumps(stats))
        await asyncio.sleep(1.0)
    for server in servers:  # pragma: no cover
        server.close()


def proxy_main(specs: list[str], stats: str | None) -> None:
    routes = {}
    for spec in specs:
        listen, backends = spec.split(":")
        routes[int(listen)] = [int(b) for b in backends.split(",")]
    try:
        import uvloop  # noqa: F401 - the faster loop when it is there (it is: uvicorn's)
        uvloop.install()
    except ImportError:
        pass
    asyncio.run(_serve_proxy(routes, Path(stats) if stats else None))


# ---------------------------------------------------------------------------------------
# Throwaway PostgreSQL and Redis
# ---------------------------------------------------------------------------------------

def _pg_tool(name: str) -> str:
    found = sorted(PG_BIN.glob(f"*/bin/{name}"))
    if found:
        return str(found[-1])
    path = shutil.which(name)
    if not path:
        raise RuntimeError(f"PostgreSQL's {name} not found: apt-get install -y postgresql")
    return path


APT_INSTALL = "apt-get install -y redis-server postgresql"


def missing_tools() -> list[str]:
    """What this part needs and the machine lacks (empty: it can run)."""
    missing = []
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    for tool in ("initdb", "pg_ctl", "createdb"):
        if not sorted(PG_BIN.glob(f"*/bin/{tool}")) and not shutil.which(tool):
            missing.append(f"PostgreSQL's {tool}")
            break
    return missing


class Databases:
    """PostgreSQL (user ``rasa``, database ``rasa``, trust on loopback) and Redis with a
    password, in ``folder``; ``stop()`` ends both."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pg_port = free_port()
        self.redis_port = free_port()
        self.redis_password = secrets.token_hex(12)
        self.pg_data = folder / "pg"
        self.redis: subprocess.Popen | None = None
        self.pg_started = False

    def _as_postgres(self, argv: list[str]) -> list[str]:
        # initdb and postgres refuse to run as root.
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *argv]
        return argv

    def start(self) -> None:
        if not shutil.which("redis-server"):
            raise RuntimeError("redis-server not found: apt-get install -y redis-server")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.pg_data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            shutil.chown(self.pg_data, "postgres")
        subprocess.run(self._as_postgres([_pg_tool("initdb"), "-D", str(self.pg_data), "-U", "rasa",
                                          "--auth=trust", "-E", "UTF8", "--no-instructions"]),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        options = f"-p {self.pg_port} -h 127.0.0.1 -k {self.folder} -c max_connections=100"
        subprocess.run(self._as_postgres([_pg_tool("pg_ctl"), "-D", str(self.pg_data), "-o", options,
                                          "-l", str(self.folder / "pg.log"), "-w", "start"]),
                       check=True, stdout=subprocess.DEVNULL)
        self.pg_started = True
        subprocess.run(self._as_postgres([_pg_tool("createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port),
                                          "-U", "rasa", "rasa"]), check=True)
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--requirepass", self.redis_password, "--dir", str(self.folder)],
            stdout=open(self.folder / "redis.log", "wb"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 20
        while subprocess.run(["redis-cli", "-p", str(self.redis_port), "-a", self.redis_password,
                              "--no-auth-warning", "ping"], capture_output=True, text=True).stdout.strip() != "PONG":
            if time.monotonic() > deadline or self.redis.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.1)

    def endpoints_file(self) -> Path:
        """config/endpoints.docker.yml's stores, pointed at these servers."""
        path = self.folder / "endpoints.yml"
        path.write_text(
            "action_endpoint:\n"
            "  url: ${ACTION_ENDPOINT_URL}\n"
            "  headers:\n"
            "    Authorization: Bearer ${ACTION_SERVER_TOKEN}\n"
            "tracker_store:\n"
            "  type: bot.privacy.tracker_store.RedactingSQLTrackerStore\n"
            "  startup_wait: 30\n"
            "  dialect: postgresql\n"
            "  url: 127.0.0.1\n"
            f"  port: {self.pg_port}\n"
            "  db: rasa\n"
            "  username: rasa\n"
            "  password: unused-trust-auth\n"
            "lock_store:\n"
            "  type: redis\n"
            "  url: 127.0.0.1\n"
            f"  port: {self.redis_port}\n"
            f"  password: {self.redis_password}\n"
            "  db: 1\n"
            "  key_prefix: kuntoutusopas\n"
        )
        return path

    def postgres_pid(self) -> int | None:
        try:
            return int((self.pg_data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def memory(self) -> dict:
        out = {}
        if self.redis and self.redis.poll() is None:
            out["redis"] = memory_mb(self.redis.pid)
        pid_file = self.pg_data / "postmaster.pid"
        if pid_file.exists():
            try:
                out["postgres"] = memory_mb(int(pid_file.read_text().split()[0]))
            except (ValueError, IndexError):
                pass
        return out

    def stop(self) -> None:
        if self.redis and self.redis.poll() is None:
            self.redis.terminate()
            try:
                self.redis.wait(10)
            except subprocess.TimeoutExpired:
                self.redis.kill()
        if self.pg_started:
            subprocess.run(self._as_postgres([_pg_tool("pg_ctl"), "-D", str(self.pg_data), "-m", "fast", "stop"]),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.pg_started = False


# ---------------------------------------------------------------------------------------
# The benchmark
# ---------------------------------------------------------------------------------------

def per_turn(before: dict, after: dict, level: dict) -> dict:
    """CPU milliseconds per answered turn of each process, their total, and the
    throughput the machine's cores would allow at that cost if nothing else ran."""
    turns = max(level["turns_ok_whole_level"], 1)
    spent = {k: round((after.get(k, 0.0) - before.get(k, 0.0)) * 1000 / turns, 1) for k in after}
    total = round(sum(spent.values()), 1)
    cpus = os.cpu_count() or 1
    return {**spent, "total": total, "cpu_bound_ceiling_msg_s": round(cpus * 1000 / total, 1) if total else None}


def _rasa_service(template: Service, name: str, port: int, endpoints: Path, log_dir: Path, token: str) -> Service:
    argv = list(template.argv)
    argv[argv.index("--port") + 1] = str(port)
    argv[argv.index("--endpoints") + 1] = str(endpoints)
    return Service(name, argv, f"http://127.0.0.1:{port}/status?token={token}", log_dir / f"{name}.log")


def run(model: Path, concurrency: int = 20, duration: float = 20.0, warmup: float = 4.0,
        work: Path | None = None) -> dict:
    tmp = Path(work or tempfile.mkdtemp(prefix="ko-bench-scaleout-"))
    tmp.mkdir(parents=True, exist_ok=True)
    os.chmod(tmp, 0o755)  # PostgreSQL runs as the postgres user below it
    dbs = Databases(tmp / "db")
    proxy: subprocess.Popen | None = None
    stack: BenchStack | None = None
    result: dict = {"concurrency": concurrency, "duration_s": duration, "work": str(tmp)}
    try:
        log("scale-out: starting PostgreSQL and Redis")
        dbs.start()
        endpoints = dbs.endpoints_file()
        port_a, port_b = free_port(), free_port()
        proxy_one, proxy_two = free_port(), free_port()
        settings = bench_settings(tmp, rasa_port=proxy_one, rasa_url=f"http://127.0.0.1:{proxy_one}")
        stack = BenchStack(settings, model, tmp / "logs")
        template = stack.service("rasa")
        rasa_a = _rasa_service(template, "rasa_a", port_a, endpoints, stack.log_dir, settings.rasa_token)
        rasa_b = _rasa_service(template, "rasa_b", port_b, endpoints, stack.log_dir, settings.rasa_token)
        gateway = stack.service("gateway")
        stack.services = [stack.service("actions"), rasa_a, rasa_b, gateway]
        stack.log_dir.mkdir(parents=True, exist_ok=True)
        env = stack.environment()

        stats = tmp / "proxy-stats.json"
        proxy = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--proxy", f"{proxy_one}:{port_a}",
             f"{proxy_two}:{port_a},{port_b}", "--proxy-stats", str(stats)],
            cwd=ROOT, stdout=open(tmp / "proxy.log", "wb"), stderr=subprocess.STDOUT, start_new_session=True)

        def cpu_all() -> dict:
            """CPU seconds so far of every process taking part, this one (the load
            generator) included."""
            out = dict(stack.cpu())
            out["postgres"] = cpu_seconds(dbs.postgres_pid()) if dbs.postgres_pid() else 0.0
            out["redis"] = cpu_seconds(dbs.redis.pid) if dbs.redis else 0.0
            out["proxy"] = cpu_seconds(proxy.pid)
            times = os.times()
            out["load_generator"] = times.user + times.system
            return out

        log("scale-out: starting the action server and two Rasa instances")
        stack.start_service(stack.service("actions"), env)
        stack.start_service(rasa_a, env)
        stack.start_service(rasa_b, env)
        result["cold_start"] = dict(stack.cold_start)

        phases = {}
        for phase, port in (("one_instance", proxy_one), ("two_instances", proxy_two)):
            if gateway.process is not None:
                stack.stop_service(gateway)
            env["RASA_URL"] = f"http://127.0.0.1:{port}"
            stack.start_service(gateway, env)
            log(f"scale-out: {phase}: {concurrency} conversations for {duration:.0f} s")
            target = GatewayTarget(f"http://127.0.0.1:{settings.gateway_port}")
            before = json.loads(stats.read_text()) if stats.exists() else {}
            cpu_before = cpu_all()
            phases[phase] = asyncio.run(run_level(target, concurrency, duration, warmup))
            cpu_after = cpu_all()
            time.sleep(1.2)
            after = json.loads(stats.read_text()) if stats.exists() else {}
            phases[phase]["cpu_ms_per_turn"] = per_turn(cpu_before, cpu_after, phases[phase])
            phases[phase]["proxy_connections"] = {
                backend: count - before.get(str(port), {}).get(backend, 0)
                for backend, count in after.get(str(port), {}).items()
            }
            log(f"  {phases[phase]['throughput_msg_s']} msg/s, p95 {phases[phase]['latency'].get('p95_ms')} ms, "
                f"errors {phases[phase]['errors']}")
        # One instance straight over REST, no gateway, no proxy: the baseline the
        # two-instance setup is compared with in the same run.
        log(f"scale-out: Rasa REST directly (instance A), {concurrency} conversations")
        cpu_before = cpu_all()
        phases["one_instance_rest_direct"] = asyncio.run(
            run_level(RestTarget(f"http://127.0.0.1:{port_a}"), concurrency, duration, warmup))
        phases["one_instance_rest_direct"]["cpu_ms_per_turn"] = per_turn(
            cpu_before, cpu_all(), phases["one_instance_rest_direct"])
        result["phases"] = phases
        result["memory"] = {**stack.memory(), **dbs.memory()}
        one, two = phases["one_instance"], phases["two_instances"]
        result["throughput_ratio_two_to_one"] = ratio(two["throughput_msg_s"], one["throughput_msg_s"])
        result["p95_ratio_two_to_one"] = ratio(two["latency"].get("p95_ms"), one["latency"].get("p95_ms"))
        result["cpus"] = os.cpu_count()
        return result
    finally:
        if stack is not None:
            stack.stop()
        if proxy is not None and proxy.poll() is None:
            proxy.send_signal(signal.SIGTERM)
            try:
                proxy.wait(5)
            except subprocess.TimeoutExpired:
                proxy.kill()
        dbs.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--proxy", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--proxy-stats", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.proxy:
        proxy_main(args.proxy, args.proxy_stats)
        return 0
    if not args.model:
        parser.error("--model is required")
    result = run(args.model.resolve(), args.concurrency, args.duration)
    write_json("scaleout.json", result)
    print(json.dumps({k: v for k, v in result.items() if k != "phases"}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
