"""`make shell`: staff chat with the assistant in the terminal (``rasa shell``), alone or
beside a running `make run`.

    python -m bot.shell [--model models/xyz.tar.gz] [--keep]

The shell runs its own action server and its own Rasa, each on a free loopback port, with
a fresh random action-server token, and points its Rasa at its action server
(ACTION_ENDPOINT_URL), so it never collides with the service's ports (5005, 5055) and never
calls the service's action server with the wrong token. The test conversations go to a
throwaway tracker store (a temporary SQLite file, deleted when the shell ends), never into
the residents' tracker store (TRACKER_DB, .data/tracker.db); ``--keep`` keeps the file and
prints where. The action server's log: ``<KO_DATA_DIR>/logs/shell/actions.log``.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from bot.settings import ROOT, Settings
from bot.stack import Stack, StartupError, free_port, latest_model, loopback_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Chat with the assistant in the terminal (staff).")
    parser.add_argument("--model", help="model archive (default: newest in models/)")
    parser.add_argument("--keep", action="store_true", help="keep the shell's tracker store (conversations)")
    args = parser.parse_args(argv)

    base = Settings.from_env()
    model = Path(args.model) if args.model else latest_model(base.model_dir)
    if model is None or not model.exists():
        print("No trained model found. Run `make train` first.", file=sys.stderr)
        return 1
    shell_dir = Path(base.data_dir) / "shell"
    shell_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="session-", dir=shell_dir))
    # Free ports and fresh secrets, the tracker store in the throwaway folder.
    settings = replace(loopback_settings(work, "shell"), model_dir=base.model_dir)
    stack = Stack(settings, model, Path(base.data_dir) / "logs" / "shell", with_gateway=False)
    actions = stack.service("actions")
    code = 1
    try:
        print(f"Starting the shell's action server (port {settings.action_port}; log {actions.log_path}) ...",
              flush=True)
        stack.start(only=["actions"])
        env = stack.environment()
        argv_shell = [sys.executable, "-m", "rasa", "shell", "--model", str(model),
                      "--endpoints", str(ROOT / "config" / "endpoints.yml"),
                      "--interface", "127.0.0.1", "--port", str(free_port())]
        print(f"Starting rasa shell with {model.name}; conversations are not stored with the residents' "
              f"(type /stop to end) ...", flush=True)
        # Ctrl-C from the terminal reaches rasa shell (same process group) and ends it;
        # this launcher only waits for it and then cleans up. SIGTERM/SIGHUP (the terminal
        # closed) are passed on.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        child = subprocess.Popen(argv_shell, cwd=ROOT, env=env,
                                 preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, lambda signum, frame: child.send_signal(signum))
        code = child.wait()
    except StartupError as exc:
        print(f"Cannot start the shell: {exc}", file=sys.stderr)
    finally:
        stack.stop()
        if args.keep:
            print(f"The shell's conversations are in {settings.tracker_db}", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return code


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
