"""`make bench` on a machine without Debian's redis-server and postgresql: the scale-out part
is reported as skipped with the command that installs them, and the exit status is 0; a
part that fails still makes it 2 (tests/bench/run_all.py)."""
from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent / "bench"
sys.path.insert(0, str(BENCH))

import bench_scaleout  # noqa: E402
import run_all  # noqa: E402


def test_missing_tools_are_named(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(bench_scaleout, "PG_BIN", tmp_path / "postgresql")
    assert bench_scaleout.missing_tools() == ["redis-server", "PostgreSQL's initdb"]
    for tool in ("redis-server", "initdb", "pg_ctl", "createdb"):
        (tmp_path / tool).write_text("#!/bin/sh\n")
        (tmp_path / tool).chmod(0o755)
    assert bench_scaleout.missing_tools() == []


def test_skipped_parts_are_not_failures(tmp_path):
    results = {"machine": {}, "errors": {}, "skipped": {
        "scaleout": f"redis-server not installed; to measure it: {bench_scaleout.APT_INSTALL}"},
        "scaleout": {"skipped": "redis-server not installed; "
                                "to measure it: apt-get install -y redis-server postgresql"}}
    assert run_all.exit_status(results) == 0
    summary = run_all.write_summary(results, tmp_path, None)
    assert "## Parts skipped (not a failure)" in summary
    assert "apt-get install -y redis-server postgresql" in summary
    assert "Parts that failed" not in summary
    results["errors"]["nlu"] = "nlu_eval.py exited 1"
    assert run_all.exit_status(results) == 2
    assert "## Parts that failed" in run_all.write_summary(results, tmp_path, None)
