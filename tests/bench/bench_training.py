"""Training from scratch: wall time, peak memory and model size (not a pytest test).

``python -m rasa train`` with the real config, domain and data into an empty folder, with
Rasa's training cache pointed at an empty folder too (RASA_CACHE_DIRECTORY), so nothing
is reused from an earlier training. The peak RSS is the training process's (and its
children's) high-water mark, read from /proc while it runs.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, log, memory_mb  # noqa: E402

from bot.stack import BASE_ENV, latest_model  # noqa: E402


def train(out_dir: Path | None = None, timeout: float = 900.0) -> dict:
    work = Path(tempfile.mkdtemp(prefix="ko-bench-train-"))
    out_dir = out_dir or work / "models"
    env = dict(os.environ)
    env.update(BASE_ENV)
    env["RASA_CACHE_DIRECTORY"] = str(work / "cache")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    argv = [sys.executable, "-m", "rasa", "train", "--config", "config/config.yml", "--domain", "config/domain",
            "--data", "data", "--out", str(out_dir)]
    log("training from scratch: " + " ".join(argv[2:]))
    peak = {"peak_rss_mb": 0.0}
    start = time.monotonic()
    with open(work / "train.log", "wb") as out:
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)

        def watch() -> None:
            while process.poll() is None:
                peak["peak_rss_mb"] = max(peak["peak_rss_mb"], memory_mb(process.pid)["peak_rss_mb"])
                time.sleep(0.5)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        watcher.join()
    seconds = time.monotonic() - start
    model = latest_model(out_dir)
    if process.returncode != 0 or model is None:
        tail = (work / "train.log").read_text(errors="replace")[-3000:]
        raise RuntimeError(f"rasa train failed (exit {process.returncode}):\n{tail}")
    log(f"  trained in {seconds:.0f} s: {model.name} ({model.stat().st_size / 1e6:.1f} MB)")
    return {
        "seconds": round(seconds, 1),
        "model": str(model),
        "model_size_mb": round(model.stat().st_size / 1e6, 2),
        "peak_rss_mb": peak["peak_rss_mb"],
        "log": str(work / "train.log"),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(train(), indent=2))
