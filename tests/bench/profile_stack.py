"""Where the time goes: py-spy on each process of the running stack under load (not part of
``make bench``; needs py-spy, e.g. ``pip install py-spy==0.4.3`` into any Python).

    .venv/bin/python tests/bench/profile_stack.py [--model PATH] [--target gateway|rest]
        [--concurrency 5] [--seconds 20] [--py-spy PATH] [--out DIR]

Starts the stack (common.BenchStack), drives it with bench_load.run_level and samples the
action server, Rasa and the gateway at the same time (``py-spy record --format raw``,
100 Hz, wall clock: idle event-loop time shows up as ``select``/``serve`` frames).
Writes the raw stacks (``profile-<process>.txt``, flame-graph input) and ``profile.md``:
per process the frames with the largest inclusive share of busy samples.
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import run_level  # noqa: E402
from common import RESULTS, ROOT, BenchStack, GatewayTarget, RestTarget, bench_settings, log  # noqa: E402

from bot.stack import latest_model  # noqa: E402

IDLE = re.compile(r"select|_run_once|serve \(sanic|run_forever|run_until_complete|asyncio_run|"
                  r"_worker \(concurrent|wait \(threading")
SHORT = re.compile(r"\s*\((?:.*?/site-packages/|.*?/lib/python3\.\d+/|" + re.escape(str(ROOT)) + r"/)")


def summarise(raw: Path, top: int = 40) -> tuple[int, int, list[tuple[float, str]]]:
    inclusive: collections.Counter = collections.Counter()
    total = busy = 0
    for line in raw.read_text().splitlines():
        if not line.strip():
            continue
        stack, count = line.rsplit(" ", 1)
        n = int(count)
        total += n
        frames = [SHORT.sub(" (", f) for f in stack.split(";")]
        if IDLE.search(frames[-1]):
            continue
        busy += n
        for frame in set(frames):
            inclusive[frame] += n
    rows = [(100.0 * n / busy, f) for f, n in inclusive.most_common() if busy]
    boring = re.compile(r"runpy|<module> \((rasa|uvicorn|actions)/__main__|\(threading|\(click/|asyncio/|"
                        r"sanic/(server|app|http)|uvicorn/(main|server|_compat)|connection_task|"
                        r"handle_request \(handle")
    return total, busy, [r for r in rows if not boring.search(r[1])][:top]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path)
    parser.add_argument("--target", choices=("gateway", "rest"), default="gateway")
    parser.add_argument("--concurrency", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--py-spy", default=shutil.which("py-spy") or "py-spy")
    parser.add_argument("--out", type=Path, default=RESULTS / "profile")
    args = parser.parse_args()
    model = (args.model or latest_model(ROOT / "models"))
    if model is None:
        parser.error("no model: give --model or run make train")
    args.out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="ko-bench-profile-"))
    stack = BenchStack(bench_settings(tmp), model.resolve(), tmp / "logs")
    try:
        stack.start()
        url = f"http://127.0.0.1:{stack.settings.gateway_port}"
        target = GatewayTarget(url) if args.target == "gateway" else RestTarget(stack.settings.rasa_url)
        asyncio.run(run_level(target, 1, 3.0, 0.0))  # warm
        spies = {
            s.name: subprocess.Popen([args.py_spy, "record", "-p", str(s.process.pid), "-d", str(int(args.seconds)),
                                      "-r", str(args.rate), "-f", "raw", "--nonblocking",
                                      "-o", str(args.out / f"profile-{s.name}.txt")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for s in stack.services
        }
        log(f"profiling {args.target} load, {args.concurrency} conversations, {args.seconds:.0f} s")
        result = asyncio.run(run_level(target, args.concurrency, args.seconds - 1, 0.5))
        for spy in spies.values():
            spy.wait(60)
        cpu = stack.cpu()
    finally:
        stack.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    lines = ["# Profile of the stack under load", "",
             f"`tests/bench/profile_stack.py --target {args.target} --concurrency {args.concurrency} "
             f"--seconds {args.seconds:.0f}`: {result['throughput_msg_s']} msg/s, latency {result['latency']}. "
             f"py-spy {args.rate} Hz, wall clock; shares are of the busy (non-idle) samples of each process. "
             f"CPU seconds used since start: {cpu}.", ""]
    for name in spies:
        raw = args.out / f"profile-{name}.txt"
        if not raw.exists():
            continue
        total, busy, rows = summarise(raw)
        lines += [f"## {name}: {busy} busy of {total} samples", "", "| inclusive | frame |", "| ---: | --- |"]
        lines += [f"| {share:.1f}% | `{frame[:150]}` |" for share, frame in rows]
        lines.append("")
    (args.out / "profile.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
