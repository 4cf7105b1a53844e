"""Turn latency for one resident, warm: the same conversations through the gateway, Rasa's
REST channel (the baseline), REST + the tracker read the gateway adds, and /model/parse
(the NLU floor). Not a pytest test; used by run_all.py.

Each round runs every script (common.SCRIPTS: fi, sv, en guidance interviews with form,
custom actions and route answer) once per target, one target after the other, in an order
that rotates every round so slow drift of the shared machine hits all targets alike. The
ratios compare percentiles of the same turns measured in the same run; ``paired`` is the
median over turns of gateway ms / REST ms for the same turn of the same round.
"""
from __future__ import annotations

import asyncio
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_load import timed_turn  # noqa: E402
from common import (  # noqa: E402
    SCRIPTS,
    GatewayTarget,
    ParseTarget,
    RestAndTrackerTarget,
    RestTarget,
    Target,
    async_client,
    ratio,
    routes_of,
    summarise,
)


async def conversation(target: Target, client, script) -> tuple[list[float], list[str], bool]:
    state = target.new_conversation(script.language)
    times, errors, route_ok = [], [], True
    for i, text in enumerate(script.turns):
        ms, ok, messages, error = await timed_turn(target, client, state, text)
        times.append(ms)
        if not ok:
            errors.append(error)
        if i == script.route_turn and not isinstance(target, ParseTarget):
            route_ok = route_ok and bool(routes_of(messages))
    return times, errors, route_ok


async def run_latency(gateway_url: str, rasa_url: str, token: str, rounds: int = 6,
                      warmup_rounds: int = 1) -> dict:
    targets: list[Target] = [
        GatewayTarget(gateway_url),
        RestTarget(rasa_url),
        RestAndTrackerTarget(rasa_url, token),
        ParseTarget(rasa_url, token),
    ]
    samples = {t.name: [] for t in targets}
    per_turn = {t.name: {} for t in targets}  # (round, script, turn) -> ms
    errors = {t.name: [] for t in targets}
    routes_missing = {t.name: 0 for t in targets}
    async with async_client(connections=4) as client:
        for r in range(warmup_rounds + rounds):
            order = targets[r % len(targets):] + targets[:r % len(targets)]
            for script in SCRIPTS:
                for target in order:
                    times, errs, route_ok = await conversation(target, client, script)
                    if r < warmup_rounds:
                        continue
                    samples[target.name] += times
                    errors[target.name] += errs
                    routes_missing[target.name] += 0 if route_ok else 1
                    for i, ms in enumerate(times):
                        per_turn[target.name][(r, script.language, i)] = ms
    result = {name: summarise(values) for name, values in samples.items()}
    for name in result:
        result[name]["errors"] = len(errors[name])
        result[name]["route_answers_missing"] = routes_missing[name]
    gw, rest = result["gateway"], result["rasa_rest"]
    paired = [per_turn["gateway"][k] / per_turn["rasa_rest"][k]
              for k in per_turn["gateway"] if per_turn["rasa_rest"].get(k)]
    by_language = {}
    for script in SCRIPTS:
        by_language[script.language] = {
            name: summarise([ms for (r, lang, i), ms in per_turn[name].items() if lang == script.language])
            for name in per_turn
        }
    return {
        "rounds": rounds,
        "turns_per_round": sum(len(s.turns) for s in SCRIPTS),
        "targets": result,
        "by_language": by_language,
        "ratio_gateway_to_rest": {
            "p50": ratio(gw.get("p50_ms"), rest.get("p50_ms")),
            "p95": ratio(gw.get("p95_ms"), rest.get("p95_ms")),
            "mean": ratio(gw.get("mean_ms"), rest.get("mean_ms")),
            "paired_median": round(statistics.median(paired), 3) if paired else None,
        },
        "ratio_rest_tracker_to_rest_p50": ratio(result["rasa_rest+tracker"].get("p50_ms"), rest.get("p50_ms")),
        "ratio_gateway_to_rest_tracker_p50": ratio(gw.get("p50_ms"), result["rasa_rest+tracker"].get("p50_ms")),
    }


def run(gateway_url: str, rasa_url: str, token: str, rounds: int = 6) -> dict:
    return asyncio.run(run_latency(gateway_url, rasa_url, token, rounds))
