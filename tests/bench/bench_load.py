"""Turn latency and throughput: a bounded asyncio + httpx load generator (not a pytest test).

Used by run_all.py; can also be pointed at a running stack:

    .venv/bin/python tests/bench/bench_load.py --gateway http://127.0.0.1:8000 \\
        --concurrency 1 5 20 --duration 15

Each simulated resident runs whole guidance conversations (common.SCRIPTS, rotating through
fi/sv/en) back to back without think time, each in a new conversation (closed loop). A
level runs for ``warmup + duration`` seconds; turns that end inside the measuring window
(after the warm-up, before the deadline) count, and nothing new starts after the deadline,
so a level always ends (turns still running then finish, or time out after 30 s, uncounted).
Counted as errors: HTTP status other than 200, timeouts and connection errors, and a 200
without any bot message; every conversation that reached its route turn is checked for
``custom.routes`` in that answer (``route_missing`` counts the ones without).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    SCRIPTS,
    GatewayTarget,
    ParseTarget,
    RestTarget,
    Script,
    Target,
    async_client,
    routes_of,
    summarise,
)

TURN_TIMEOUT = 30.0


async def timed_turn(target: Target, client, state: dict, text: str) -> tuple[float, bool, list, str]:
    start = time.perf_counter()
    try:
        ok, messages, error = await asyncio.wait_for(target.turn(client, state, text), TURN_TIMEOUT)
    except asyncio.TimeoutError:
        ok, messages, error = False, [], "timeout"
    except Exception as exc:  # connection refused/reset, bad JSON ...
        ok, messages, error = False, [], type(exc).__name__
    return (time.perf_counter() - start) * 1000.0, ok, messages, error


async def run_level(target: Target, concurrency: int, duration: float, warmup: float = 3.0,
                    scripts: tuple[Script, ...] = SCRIPTS, max_turns: int = 20_000) -> dict:
    """``concurrency`` residents for ``warmup + duration`` seconds against ``target``."""
    latencies: list[float] = []
    errors: Counter = Counter()
    conversations = Counter()
    turns_started = 0
    all_ok = 0  # answered turns over the whole level, warm-up and tail included (for CPU per turn)
    async with async_client(connections=concurrency + 4, timeout=TURN_TIMEOUT + 5) as client:
        t0 = time.monotonic()
        measure_from, deadline = t0 + warmup, t0 + warmup + duration

        async def resident(index: int) -> None:
            nonlocal turns_started, all_ok
            k = index
            while time.monotonic() < deadline and turns_started < max_turns:
                script = scripts[k % len(scripts)]
                k += 1
                state = target.new_conversation(script.language)
                for i, text in enumerate(script.turns):
                    if time.monotonic() >= deadline or turns_started >= max_turns:
                        return
                    turns_started += 1
                    ms, ok, messages, error = await timed_turn(target, client, state, text)
                    finished = time.monotonic()
                    all_ok += ok
                    counted = measure_from <= finished <= deadline
                    if counted:
                        if ok:
                            latencies.append(ms)
                        else:
                            errors[error] += 1
                    if not ok:
                        break  # a broken conversation is abandoned
                    if i == script.route_turn and counted and isinstance(target, (GatewayTarget, RestTarget)):
                        conversations["route_ok" if routes_of(messages) else "route_missing"] += 1

        await asyncio.gather(*(resident(i) for i in range(concurrency)))
        wall = time.monotonic() - t0
        elapsed = min(time.monotonic(), deadline) - measure_from
    ok_turns = len(latencies)
    return {
        "target": target.name,
        "concurrency": concurrency,
        "duration_s": round(elapsed, 2),
        "wall_s": round(wall, 2),
        "turns_ok": ok_turns,
        "turns_ok_whole_level": all_ok,
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "throughput_msg_s": round(ok_turns / elapsed, 2) if elapsed > 0 else None,
        "latency": summarise(latencies),
        "route_answers_ok": conversations["route_ok"],
        "route_answers_missing": conversations["route_missing"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gateway", help="gateway base URL, e.g. http://127.0.0.1:8000")
    parser.add_argument("--rasa", help="Rasa base URL (REST channel baseline)")
    parser.add_argument("--token", help="Rasa API token (for /model/parse)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 5, 20, 50])
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    targets: list[Target] = []
    if args.gateway:
        targets.append(GatewayTarget(args.gateway))
    if args.rasa:
        targets.append(RestTarget(args.rasa))
        if args.token:
            targets.append(ParseTarget(args.rasa, args.token))
    if not targets:
        parser.error("give --gateway and/or --rasa")
    results = []
    for level in args.concurrency:
        for target in targets:
            result = asyncio.run(run_level(target, level, args.duration, args.warmup))
            results.append(result)
            lat: dict | None = result["latency"]
            print(f"{target.name:12} c={level:3}  {result['throughput_msg_s']} msg/s  "
                  f"p50 {lat.get('p50_ms')} p95 {lat.get('p95_ms')} p99 {lat.get('p99_ms')} ms  "
                  f"errors {result['errors']}", flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
