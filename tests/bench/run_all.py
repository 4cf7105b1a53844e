"""The whole benchmark suite, unattended and bounded in time (``make bench``).

    .venv/bin/python tests/bench/run_all.py [--quick] [--model PATH] [--out DIR]
        [--baseline DIR] [--skip-training] [--skip-scaleout] [--skip-nlu] [--skip-language]

1. Training from scratch (time, peak RSS, model size); its model is used below (``--model``
   skips training and uses that model).
2. The stack as ``make run`` starts it (action server, Rasa, gateway; SQLite tracker store),
   on free loopback ports in a temporary folder: cold start per process (seconds from
   process start to its first answered message) and the first conversation after start.
3. Turn latency for one resident, warm: gateway vs Rasa REST (baseline) vs REST + tracker
   read vs /model/parse (bench_latency.py).
4. Throughput and latency at 1, 5, 20 and 50 concurrent conversations through the gateway
   and, as the baseline, against Rasa's REST channel directly (bench_load.py).
5. Peak RSS of each process after all that load (/proc VmHWM), then the reply language
   over whole scripted conversations (bench_reply_language.py).
6. Scale-out: one vs two Rasa instances behind the gateway with PostgreSQL + Redis
   (bench_scaleout.py).
7. Language detection cost (bench_language.py) and NLU evaluation per language on the
   held-out set (nlu_eval.py, with the model trained in step 1).

Every ratio compares figures measured in this run. Results: ``<out>/bench.json`` (all),
``latency.json``, ``load.json``, ``scaleout.json``, ``startup.json``, ``training.json``,
``language.json``, ``nlu_eval.json``, ``reply_language.json``, ``summary.md`` and ``latency_vs_concurrency.png``.
``--baseline DIR`` adds a before/after table against the ``bench.json`` in DIR.
The gateway's rate limits are switched off for the run (common.GATEWAY_BENCH_ENV): the
load generator sends everything from 127.0.0.1 as fast as answers come back.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_latency  # noqa: E402
import bench_reply_language  # noqa: E402
import bench_scaleout  # noqa: E402
import bench_training  # noqa: E402
from bench_load import run_level, timed_turn  # noqa: E402
from bench_scaleout import per_turn  # noqa: E402
from common import (  # noqa: E402
    RESULTS,
    ROOT,
    SCRIPTS,
    BenchStack,
    GatewayTarget,
    RestTarget,
    async_client,
    bench_settings,
    loadavg,
    log,
    machine_info,
    write_json,
)

from bot.stack import latest_model  # noqa: E402

BENCH = Path(__file__).resolve().parent

TARGETS = {
    "gateway_overhead_ratio": 1.3,
    "single_user_p95_ms": 150.0,
    "throughput_at_20_msg_s": 40.0,
    "p95_at_20_ms": 1000.0,
    "scaleout_ratio": 1.5,
    "cold_start_s": 30.0,
    "training_s": 180.0,
    "stack_rss_mb": 1536.0,
}


async def first_conversation(gateway_url: str) -> list[dict]:
    """Each script once through the gateway right after start: what the first residents see."""
    out = []
    async with async_client(connections=2) as client:
        for script in SCRIPTS:
            target = GatewayTarget(gateway_url)
            state = target.new_conversation(script.language)
            turns = []
            for text in script.turns:
                ms, ok, _, error = await timed_turn(target, client, state, text)
                turns.append(round(ms, 1) if ok else f"error:{error}")
            out.append({"language": script.language, "turn_ms": turns,
                        "municipality_turn_ms": turns[script.municipality_turn]})
    return out


def run_stack_benchmarks(model: Path, args: argparse.Namespace, results: dict) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="ko-bench-stack-"))
    stack = BenchStack(bench_settings(tmp), model, tmp / "logs")
    try:
        log("starting the stack (actions, Rasa, gateway)")
        stack.start()
        gateway_url = f"http://127.0.0.1:{stack.settings.gateway_port}"
        memory_after_start = stack.memory()
        first = asyncio.run(first_conversation(gateway_url))
        results["startup"] = {
            "cold_start": stack.cold_start,
            "stack_ready_s": round(sum(v["first_answer_s"] for v in stack.cold_start.values()), 2),
            "first_conversations": first,
            "memory_after_start": memory_after_start,
        }
        log(f"  cold start: {stack.cold_start}")
        write_json("startup.json", results["startup"], args.out)

        log(f"single-resident latency: {args.rounds} rounds x {sum(len(s.turns) for s in SCRIPTS)} turns x 4 targets")
        cpu_before = stack.cpu()
        results["latency"] = bench_latency.run(gateway_url, stack.settings.rasa_url, stack.settings.rasa_token,
                                               rounds=args.rounds)
        results["latency"]["cpu_seconds"] = {k: round(v - cpu_before.get(k, 0), 2) for k, v in stack.cpu().items()}
        lat = results["latency"]
        log(f"  gateway p50/p95 {lat['targets']['gateway']['p50_ms']}/{lat['targets']['gateway']['p95_ms']} ms, "
            f"REST {lat['targets']['rasa_rest']['p50_ms']}/{lat['targets']['rasa_rest']['p95_ms']} ms, "
            f"parse {lat['targets']['model_parse']['p50_ms']} ms; ratio {lat['ratio_gateway_to_rest']}")
        write_json("latency.json", results["latency"], args.out)

        load = []
        for level in args.levels:
            for target in (GatewayTarget(gateway_url), RestTarget(stack.settings.rasa_url)):
                cpu_before = {**stack.cpu(), "load_generator": sum(os.times()[:2])}
                result = asyncio.run(run_level(target, level, args.duration, args.warmup))
                cpu_after = {**stack.cpu(), "load_generator": sum(os.times()[:2])}
                result["cpu_ms_per_turn"] = per_turn(cpu_before, cpu_after, result)
                result["loadavg"] = loadavg()
                load.append(result)
                log(f"  {target.name:10} c={level:3}: {result['throughput_msg_s']} msg/s, "
                    f"p50 {result['latency'].get('p50_ms')} p95 {result['latency'].get('p95_ms')} "
                    f"p99 {result['latency'].get('p99_ms')} ms, errors {result['errors']}")
        results["load"] = load
        write_json("load.json", {"levels": load}, args.out)
        results["memory"] = stack.memory()
        log(f"  memory: {results['memory']}")

        log("reply language over whole conversations (bench_reply_language.py)")
        reply = asyncio.run(bench_reply_language.measure(gateway_url))
        results["reply_language"] = {k: v for k, v in reply.items() if k != "details"}
        write_json("reply_language.json", reply, args.out)
        bench_reply_language.write_markdown(reply, args.out)
        log(f"  {reply['correct']}/{reply['classified']} replies in the resident's language")
    finally:
        stack.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def run_subprocess(argv: list[str], timeout: float, log_path: Path) -> int:
    with log_path.open("wb") as out:
        try:
            return subprocess.run(argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            return -1


# ---------------------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------------------

def _get(data: Any, *path: Any) -> Any:
    for key in path:
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and -len(data) <= key < len(data):
            data = data[key]
        else:
            return None
    return data


def load_level(results: dict, target: str, level: int) -> dict:
    for item in results.get("load") or []:
        if item["target"] == target and item["concurrency"] == level:
            return item
    return {}


def headline(results: dict) -> dict:
    """The figures the targets are about, from one run's results."""
    lat = results.get("latency") or {}
    at20 = load_level(results, "gateway", 20)
    memory = results.get("memory") or {}
    cold = _get(results, "startup", "cold_start") or {}
    return {
        "gateway_p50_ms": _get(lat, "targets", "gateway", "p50_ms"),
        "gateway_p95_ms": _get(lat, "targets", "gateway", "p95_ms"),
        "gateway_p99_ms": _get(lat, "targets", "gateway", "p99_ms"),
        "rest_p50_ms": _get(lat, "targets", "rasa_rest", "p50_ms"),
        "rest_p95_ms": _get(lat, "targets", "rasa_rest", "p95_ms"),
        "rest_tracker_p50_ms": _get(lat, "targets", "rasa_rest+tracker", "p50_ms"),
        "parse_p50_ms": _get(lat, "targets", "model_parse", "p50_ms"),
        "ratio_p50": _get(lat, "ratio_gateway_to_rest", "p50"),
        "ratio_p95": _get(lat, "ratio_gateway_to_rest", "p95"),
        "throughput_at_20": at20.get("throughput_msg_s"),
        "p95_at_20_ms": _get(at20, "latency", "p95_ms"),
        "errors_at_20": at20.get("errors"),
        "rest_throughput_at_20": load_level(results, "rasa_rest", 20).get("throughput_msg_s"),
        "throughput_at_50": load_level(results, "gateway", 50).get("throughput_msg_s"),
        "errors_total": sum(item.get("errors", 0) for item in results.get("load") or []),
        "scaleout_ratio": _get(results, "scaleout", "throughput_ratio_two_to_one"),
        "cold_start_max_s": max((v["first_answer_s"] for v in cold.values()), default=None),
        "cold_start_rasa_s": _get(cold, "rasa", "first_answer_s"),
        "first_municipality_turn_ms": max(
            (c["municipality_turn_ms"] for c in _get(results, "startup", "first_conversations") or []
             if isinstance(c["municipality_turn_ms"], (int, float))), default=None),
        "training_s": _get(results, "training", "seconds"),
        "model_size_mb": _get(results, "training", "model_size_mb"),
        "stack_peak_rss_mb": memory.get("total_peak_rss_mb"),
        "rasa_peak_rss_mb": _get(memory, "rasa", "peak_rss_mb"),
        "gateway_peak_rss_mb": _get(memory, "gateway", "peak_rss_mb"),
        "actions_peak_rss_mb": _get(memory, "actions", "peak_rss_mb"),
        "rasa_cpu_ms_per_turn_rest_c1": _get(load_level(results, "rasa_rest", 1), "cpu_ms_per_turn", "rasa"),
        "rasa_cpu_ms_per_turn_gateway_c1": _get(load_level(results, "gateway", 1), "cpu_ms_per_turn", "rasa"),
        "gateway_cpu_ms_per_turn_c1": _get(load_level(results, "gateway", 1), "cpu_ms_per_turn", "gateway"),
        "actions_cpu_ms_per_turn_c1": _get(load_level(results, "gateway", 1), "cpu_ms_per_turn", "actions"),
    }


def fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def verdict(ok: bool | None) -> str:
    return "–" if ok is None else ("**met**" if ok else "**not met**")


def target_rows(h: dict) -> list[tuple[str, str, str]]:
    t = TARGETS

    def le(value, limit):
        return None if value is None else value <= limit

    def ge(value, limit):
        return None if value is None else value >= limit

    ratio_ok = None if h["ratio_p50"] is None else (h["ratio_p50"] <= t["gateway_overhead_ratio"]
                                                    and h["ratio_p95"] <= t["gateway_overhead_ratio"])
    at20_ok = None if h["throughput_at_20"] is None else (
        h["throughput_at_20"] >= t["throughput_at_20_msg_s"] and (h["p95_at_20_ms"] or 1e9) <= t["p95_at_20_ms"]
        and h["errors_at_20"] == 0)
    return [
        ("Gateway + actions ≤ 1.3× Rasa REST (same turns)",
         f"p50 {fmt(h['ratio_p50'], 2)}×, p95 {fmt(h['ratio_p95'], 2)}×", verdict(ratio_ok)),
        ("p95 single-user turn ≤ 150 ms (gateway)", f"{fmt(h['gateway_p95_ms'])} ms",
         verdict(le(h["gateway_p95_ms"], t["single_user_p95_ms"]))),
        ("≥ 40 msg/s at 20 conversations, p95 ≤ 1 s, 0 errors",
         f"{fmt(h['throughput_at_20'])} msg/s, p95 {fmt(h['p95_at_20_ms'], 0)} ms, {fmt(h['errors_at_20'])} errors",
         verdict(at20_ok)),
        ("Two Rasa instances ≥ 1.5× one (where there are cores)", f"{fmt(h['scaleout_ratio'], 2)}×",
         verdict(ge(h["scaleout_ratio"], t["scaleout_ratio"]))),
        ("Cold start to first answer ≤ 30 s (slowest process)", f"{fmt(h['cold_start_max_s'])} s",
         verdict(le(h["cold_start_max_s"], t["cold_start_s"]))),
        ("Full training ≤ 3 min", f"{fmt(h['training_s'])} s", verdict(le(h["training_s"], t["training_s"]))),
        ("Whole stack ≤ 1.5 GB RSS (sum of peaks)", f"{fmt(h['stack_peak_rss_mb'], 0)} MB",
         verdict(le(h["stack_peak_rss_mb"], t["stack_rss_mb"]))),
    ]


def write_summary(results: dict, out: Path, baseline: dict | None) -> str:
    h = headline(results)
    m = results.get("machine") or {}
    lines = [
        "# Benchmark summary",
        "",
        f"Generated by `tests/bench/run_all.py` ({'quick' if results.get('quick') else 'full'} run"
        f"{', ' + results['label'] if results.get('label') else ''}) on {results.get('started')}, "
        f"{m.get('cpus')} CPUs, Python {m.get('python')}; load average at start {m.get('loadavg_at_start')}, "
        f"at end {results.get('loadavg_at_end')}; took {fmt(results.get('wall_seconds'), 0)} s. "
        "The machine is shared: absolute times drift, so every ratio compares figures of this run. "
        "All traffic on loopback; the gateway's rate limits are off for the load generator.",
        "",
        "## Targets (issue 6)",
        "",
        "| target | measured | |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in target_rows(h)]

    lat = results.get("latency") or {}
    if lat:
        lines += [
            "",
            f"## Turn latency, one resident, warm ({lat['rounds']} rounds × {lat['turns_per_round']} turns per target)",
            "",
            "| path | n | p50 ms | p95 ms | p99 ms | mean ms | errors |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        labels = {"gateway": "gateway `POST /api/chat`", "rasa_rest": "Rasa REST channel (baseline)",
                  "rasa_rest+tracker": "Rasa REST + tracker read (what the gateway asks Rasa)",
                  "model_parse": "Rasa `/model/parse` (NLU floor)"}
        for name, label in labels.items():
            s = lat["targets"].get(name) or {}
            lines.append(f"| {label} | {s.get('n')} | {fmt(s.get('p50_ms'))} | {fmt(s.get('p95_ms'))} | "
                         f"{fmt(s.get('p99_ms'))} | {fmt(s.get('mean_ms'))} | {s.get('errors')} |")
        r = lat["ratio_gateway_to_rest"]
        lines += ["", f"Gateway / REST: p50 {fmt(r['p50'], 2)}×, p95 {fmt(r['p95'], 2)}×, mean {fmt(r['mean'], 2)}×, "
                      f"median of per-turn ratios {fmt(r['paired_median'], 2)}×. REST + tracker read / REST p50: "
                      f"{fmt(lat.get('ratio_rest_tracker_to_rest_p50'), 2)}×; gateway / (REST + tracker read) p50: "
                      f"{fmt(lat.get('ratio_gateway_to_rest_tracker_p50'), 2)}×. CPU seconds used by each process "
                      f"during this part: {lat.get('cpu_seconds')}."]

    if results.get("load"):
        lines += [
            "",
            "## Throughput and latency against concurrency (closed loop, no think time)",
            "",
            "![latency percentiles against concurrency](latency_vs_concurrency.png)",
            "",
            "| path | conversations | msg/s | p50 ms | p95 ms | p99 ms | errors | route answers ok/missing | "
            "CPU ms per turn: rasa / actions / gateway / load generator = total | CPU-bound ceiling msg/s |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |",
        ]
        for item in results["load"]:
            s, cpu = item["latency"], item.get("cpu_ms_per_turn") or {}
            lines.append(
                f"| {item['target']} | {item['concurrency']} | {fmt(item['throughput_msg_s'])} | "
                f"{fmt(s.get('p50_ms'))} | "
                f"{fmt(s.get('p95_ms'))} | {fmt(s.get('p99_ms'))} | {item['errors']} | "
                f"{item['route_answers_ok']}/{item['route_answers_missing']} | "
                f"{fmt(cpu.get('rasa'))} / {fmt(cpu.get('actions'))} / {fmt(cpu.get('gateway'))} / "
                f"{fmt(cpu.get('load_generator'))} = {fmt(cpu.get('total'))} | "
                f"{fmt(cpu.get('cpu_bound_ceiling_msg_s'))} |")

    so = results.get("scaleout") or {}
    if so.get("phases"):
        lines += [
            "",
            f"## Scale-out: PostgreSQL tracker store + Redis lock store, {so['concurrency']} conversations, "
            f"{so['cpus']} CPUs",
            "",
            "| setup | msg/s | p50 ms | p95 ms | p99 ms | errors | connections per Rasa port |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
        ]
        names = {"one_instance": "gateway → proxy → 1 Rasa", "two_instances": "gateway → proxy → 2 Rasa",
                 "one_instance_rest_direct": "Rasa REST directly (1 instance)"}
        for key, label in names.items():
            p = so["phases"].get(key)
            if p:
                s = p["latency"]
                lines.append(f"| {label} | {fmt(p['throughput_msg_s'])} | {fmt(s.get('p50_ms'))} | "
                             f"{fmt(s.get('p95_ms'))} | "
                             f"{fmt(s.get('p99_ms'))} | {p['errors']} | {p.get('proxy_connections') or '–'} |")
        lines += ["", f"Two / one instance: throughput {fmt(so.get('throughput_ratio_two_to_one'), 2)}×, "
                      f"p95 {fmt(so.get('p95_ratio_two_to_one'), 2)}×. Memory: "
                      + ", ".join(f"{k} {v['peak_rss_mb']} MB" for k, v in (so.get("memory") or {}).items()
                                  if isinstance(v, dict)) + "."]
    elif so.get("error"):
        lines += ["", f"## Scale-out\n\nNot measured: {so['error']}"]
    elif so.get("skipped"):
        lines += ["", f"## Scale-out\n\nSkipped: {so['skipped']}"]

    st = results.get("startup") or {}
    if st:
        lines += ["", "## Cold start, memory and training", "",
                  "| process | healthy after s | first answer after s | peak RSS MB (after the load) "
                  "| RSS after start MB |",
                  "| --- | ---: | ---: | ---: | ---: |"]
        mem, mem0 = results.get("memory") or {}, st.get("memory_after_start") or {}
        for name, c in st["cold_start"].items():
            lines.append(f"| {name} | {c['healthy_s']} | {c['first_answer_s']} | "
                         f"{fmt(_get(mem, name, 'peak_rss_mb'), 0)} | {fmt(_get(mem0, name, 'rss_mb'), 0)} |")
        lines.append(f"| whole stack | | {fmt(st.get('stack_ready_s'))} (started one after the other) | "
                     f"{fmt(mem.get('total_peak_rss_mb'), 0)} | {fmt(mem0.get('total_rss_mb'), 0)} |")
        lines += ["", "The action server answers no message of its own: its figure is its first answered "
                      "request. First conversation right after start (ms per turn; the municipality turn is the "
                      "first one the action server validates):", ""]
        for c in st.get("first_conversations") or []:
            lines.append(f"- {c['language']}: {c['turn_ms']}")
    tr = results.get("training") or {}
    if tr:
        lines += ["", f"Training from scratch (`rasa train`, empty cache): {tr.get('seconds')} s, peak RSS "
                      f"{tr.get('peak_rss_mb')} MB, model {tr.get('model_size_mb')} MB."]

    reply = results.get("reply_language") or {}
    if reply.get("classified"):
        lines += ["", "## Reply language over whole conversations (bench_reply_language.py)", "",
                  f"{reply['correct']} / {reply['classified']} bot messages in the resident's language "
                  f"({100 * reply['accuracy']:.2f} %; target ≥ 99.5 %) over {reply['conversations']} conversations "
                  f"incl. language switches and messages without language; {reply['unclassifiable_short']} "
                  f"messages too short to classify. Details: reply_language.md."]

    lang = results.get("language") or {}
    if lang.get("cost"):
        lines += ["", "## Language detection cost per message (bench_language.py)", "",
                  "| detector | mean µs | p50 µs | p95 µs |", "| --- | ---: | ---: | ---: |"]
        for name, cost in lang["cost"].items():
            lines.append(f"| {name} | {cost['mean_us']} | {cost['p50_us']} | {cost['p95_us']} |")
        lines += ["", "Accuracy of ours: " + ", ".join(
            f"{f} {_get(lang, 'accuracy', f, 'ours', 'accuracy')}" for f in (lang.get("accuracy") or {})) +
            f"; detector load {lang.get('load_seconds')} s. Details: language.md."]

    nlu = results.get("nlu") or {}
    if nlu.get("languages"):
        lines += ["", "## NLU evaluation per language (held-out set, nlu_eval.py)", "",
                  "| language | n | accuracy | macro-F1 | weighted F1 | strict accuracy |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for code, res in nlu["languages"].items():
            lines.append(f"| {code} | {res['n']} | {res['accuracy']:.3f} | {res['macro_f1']:.3f} | "
                         f"{res['weighted_f1']:.3f} | {res['strict_accuracy']:.3f} |")
        lines += ["", f"Classifier: {nlu.get('classifier')}. Details: nlu_eval.md."]

    if baseline:
        b = headline(baseline)
        keys = [
            ("gateway_p50_ms", "single user, gateway p50 ms"), ("gateway_p95_ms", "single user, gateway p95 ms"),
            ("rest_p50_ms", "single user, Rasa REST p50 ms"), ("rest_p95_ms", "single user, Rasa REST p95 ms"),
            ("parse_p50_ms", "/model/parse p50 ms"), ("ratio_p50", "gateway / REST p50"),
            ("ratio_p95", "gateway / REST p95"),
            ("rasa_cpu_ms_per_turn_rest_c1", "Rasa CPU ms per REST turn"),
            ("rasa_cpu_ms_per_turn_gateway_c1", "Rasa CPU ms per gateway turn"),
            ("gateway_cpu_ms_per_turn_c1", "gateway CPU ms per turn"),
            ("actions_cpu_ms_per_turn_c1", "action server CPU ms per turn"),
            ("throughput_at_20", "msg/s at 20 conversations (gateway)"), ("p95_at_20_ms", "p95 ms at 20 (gateway)"),
            ("rest_throughput_at_20", "msg/s at 20 (Rasa REST)"), ("throughput_at_50", "msg/s at 50 (gateway)"),
            ("errors_total", "errors, all load levels"), ("scaleout_ratio", "two / one Rasa instance"),
            ("cold_start_rasa_s", "Rasa cold start s"), ("cold_start_max_s", "slowest cold start s"),
            ("first_municipality_turn_ms", "slowest municipality turn right after start, ms"),
            ("training_s", "training s"), ("model_size_mb", "model MB"),
            ("rasa_peak_rss_mb", "Rasa peak RSS MB"), ("gateway_peak_rss_mb", "gateway peak RSS MB"),
            ("actions_peak_rss_mb", "action server peak RSS MB"), ("stack_peak_rss_mb", "whole stack peak RSS MB"),
        ]
        lines += ["", f"## Before / after (before: {baseline.get('label') or 'baseline run'} "
                      f"on {baseline.get('started')}, "
                      f"load average {_get(baseline, 'machine', 'loadavg_at_start')})", "",
                  "| figure | before | after |", "| --- | ---: | ---: |"]
        for key, label in keys:
            lines.append(f"| {label} | {fmt(b.get(key))} | {fmt(h.get(key))} |")

    if results.get("skipped"):
        lines += ["", "## Parts skipped (not a failure)", ""] + [f"- {k}: {v}" for k, v in results["skipped"].items()]
    if results.get("errors"):
        lines += ["", "## Parts that failed", ""] + [f"- {k}: {v.splitlines()[-1] if v else v}"
                                                    for k, v in results["errors"].items()]
    text = "\n".join(lines) + "\n"
    (out / "summary.md").write_text(text, encoding="utf-8")
    return text


def plot(results: dict, out: Path) -> Path | None:
    load = results.get("load") or []
    if not load:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    styles = {"gateway": "-", "rasa_rest": "--"}
    colors = {"p50_ms": "tab:blue", "p95_ms": "tab:orange", "p99_ms": "tab:red"}
    for target, style in styles.items():
        items = sorted((i for i in load if i["target"] == target), key=lambda i: i["concurrency"])
        if not items:
            continue
        xs = [i["concurrency"] for i in items]
        for key, color in colors.items():
            ax.plot(xs, [i["latency"].get(key) for i in items], style, color=color, marker="o",
                    label=f"{target} {key[:-3]}")
        ax2.plot(xs, [i["throughput_msg_s"] for i in items], style, color="tab:green", marker="o", label=target)
    ax.axhline(1000, color="grey", linewidth=0.8, linestyle=":")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks([i for i in sorted({i["concurrency"] for i in load})])
    ax.get_xaxis().set_major_formatter(matplotlib.ticker.ScalarFormatter())
    ax.set_xlabel("concurrent conversations")
    ax.set_ylabel("turn latency (ms)")
    ax.set_title("Latency percentiles (solid: gateway, dashed: Rasa REST)")
    ax.legend(fontsize=7)
    ax2.axhline(TARGETS["throughput_at_20_msg_s"], color="grey", linewidth=0.8, linestyle=":")
    ax2.set_xscale("log")
    ax2.set_xticks([i for i in sorted({i["concurrency"] for i in load})])
    ax2.get_xaxis().set_major_formatter(matplotlib.ticker.ScalarFormatter())
    ax2.set_xlabel("concurrent conversations")
    ax2.set_ylabel("messages / s")
    ax2.set_title("Throughput (dotted: 40 msg/s target)")
    ax2.legend(fontsize=7)
    fig.suptitle(f"Kuntoutusopas on {_get(results, 'machine', 'cpus')} CPUs ({results.get('started')})", fontsize=9)
    fig.tight_layout()
    path = out / "latency_vs_concurrency.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


# ---------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short levels and fewer rounds (a smoke run)")
    parser.add_argument("--model", type=Path, help="use this model instead of training one")
    parser.add_argument("--skip-training", action="store_true", help="use the latest model in models/")
    parser.add_argument("--skip-scaleout", action="store_true")
    parser.add_argument("--skip-nlu", action="store_true")
    parser.add_argument("--skip-language", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--baseline", type=Path, help="folder with an earlier run's bench.json (before/after table)")
    parser.add_argument("--label", default="", help="a name for this run in the summary")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 5, 20, 50])
    parser.add_argument("--budget", type=float, default=1260.0, help="seconds; later parts are skipped past it")
    args = parser.parse_args()

    def interrupted(signum, frame):  # noqa: ANN001 - signal handler
        raise KeyboardInterrupt(f"signal {signum}")

    # Stop cleanly (servers, databases) on Ctrl-C or SIGTERM, also when started in the
    # background, where the shell makes SIGINT ignored.
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    args.rounds = 2 if args.quick else 5
    args.duration = 6.0 if args.quick else 15.0
    args.warmup = 2.0 if args.quick else 3.0
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)

    t0 = time.monotonic()
    results: dict = {
        "started": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "label": args.label,
        "quick": args.quick,
        "machine": machine_info(),
        "targets": TARGETS,
        "errors": {},
        # Parts not run, with the reason: an optional tool missing or the time budget. Not a
        # failure: the command still exits 0 when every part that ran succeeded.
        "skipped": {},
    }

    def over_budget(part: str, needs: float) -> bool:
        if time.monotonic() - t0 + needs > args.budget:
            results["skipped"][part] = f"the time budget of {args.budget:.0f} s would be exceeded (--budget)"
            log(f"{part}: skipped (time budget)")
            return True
        return False

    # 1. training
    model = args.model.resolve() if args.model else None
    if model is None and args.skip_training:
        model = latest_model(ROOT / "models")
    if model is None:
        try:
            results["training"] = bench_training.train()
            model = Path(results["training"]["model"])
            write_json("training.json", results["training"], args.out)
        except Exception:
            results["errors"]["training"] = traceback.format_exc()
            model = latest_model(ROOT / "models")
    if model is None:
        print("no model: train first (make train)", file=sys.stderr)
        return 1
    results["model"] = str(model)

    # 2-5. the stack
    try:
        run_stack_benchmarks(model, args, results)
    except Exception:
        results["errors"]["stack"] = traceback.format_exc()
        log("stack benchmarks failed:\n" + results["errors"]["stack"])

    # 6. scale-out (optional: needs Debian's redis-server and postgresql)
    missing = [] if args.skip_scaleout else bench_scaleout.missing_tools()
    if missing:
        results["skipped"]["scaleout"] = (f"{' and '.join(missing)} not installed; to measure it: "
                                          f"{bench_scaleout.APT_INSTALL}")
        results["scaleout"] = {"skipped": results["skipped"]["scaleout"]}
        log(f"scale-out: skipped ({results['skipped']['scaleout']})")
    elif not args.skip_scaleout and not over_budget("scaleout", 200):
        try:
            results["scaleout"] = bench_scaleout.run(model, concurrency=20, duration=args.duration + 5,
                                                     warmup=args.warmup + 1)
            shutil.rmtree(results["scaleout"].pop("work"), ignore_errors=True)
            write_json("scaleout.json", results["scaleout"], args.out)
            log(f"  two / one instance: {results['scaleout']['throughput_ratio_two_to_one']}x")
        except Exception:
            results["errors"]["scaleout"] = traceback.format_exc()
            results["scaleout"] = {"error": results["errors"]["scaleout"].strip().splitlines()[-1]}
            log("scale-out failed:\n" + results["errors"]["scaleout"])

    # 7. language detection and NLU evaluation
    if not args.skip_language and not over_budget("language", 60):
        log("language detection benchmark")
        code = run_subprocess([sys.executable, str(BENCH / "bench_language.py"), "--repeats", "3",
                               "--out", str(args.out)], 300, args.out / "language.log")
        try:
            results["language"] = json.loads((args.out / "language.json").read_text())
            results["language"].pop("accuracy_errors", None)
        except (OSError, ValueError):
            results["errors"]["language"] = f"bench_language.py exited {code}"
    if not args.skip_nlu and not over_budget("nlu", 240):
        log("NLU evaluation per language (rasa test nlu on the held-out set)")
        code = run_subprocess([sys.executable, str(BENCH / "nlu_eval.py"), "--model", str(model),
                               "--out", str(args.out)], 600, args.out / "nlu_eval.log")
        try:
            nlu = json.loads((args.out / "nlu_eval.json").read_text())
            results["nlu"] = {"classifier": nlu.get("classifier"), "generated": nlu.get("generated"),
                              "languages": {k: {x: v[x] for x in ("n", "accuracy", "macro_f1", "weighted_f1",
                                                                  "strict_accuracy", "test_seconds")}
                                            for k, v in nlu["languages"].items()}}
        except (OSError, ValueError, KeyError):
            results["errors"]["nlu"] = f"nlu_eval.py exited {code}"
    for log_name in ("language.log", "nlu_eval.log"):
        (args.out / log_name).unlink(missing_ok=True)

    results["wall_seconds"] = round(time.monotonic() - t0, 1)
    results["loadavg_at_end"] = loadavg()
    results["headline"] = headline(results)
    baseline = None
    if args.baseline:
        try:
            baseline = json.loads((args.baseline / "bench.json").read_text())
        except (OSError, ValueError):
            log(f"no baseline bench.json in {args.baseline}")
    write_json("bench.json", results, args.out)
    plot(results, args.out)
    print(write_summary(results, args.out, baseline))
    log(f"done in {results['wall_seconds']:.0f} s; results in {args.out}")
    for part, reason in results["skipped"].items():
        log(f"skipped: {part}: {reason}")
    if results["errors"]:
        log("FAILED: " + ", ".join(results["errors"]))
    return exit_status(results)


def exit_status(results: dict) -> int:
    """0 when every part that ran succeeded (skipped parts are not failures), else 2."""
    return 2 if results.get("errors") else 0


if __name__ == "__main__":
    sys.exit(main())
