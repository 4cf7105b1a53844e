"""`make run`: start the action server, Rasa and the web gateway; stop all three on Ctrl-C.

    python -m bot.supervisor [--model models/xyz.tar.gz]

Secrets: RASA_TOKEN (Rasa HTTP API) and ACTION_SERVER_TOKEN (Rasa -> action server) are
taken from the environment; when absent a random per-run value is generated, which is
right for one machine because only these processes need them.
"""
from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import time
from dataclasses import replace
from pathlib import Path

from bot.gateway.channels import ChannelError
from bot.settings import ROOT, Settings
from bot.stack import Stack, StartupError, latest_model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the assistant (actions + Rasa + gateway).")
    parser.add_argument("--model", help="model archive (default: newest in models/)")
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    settings = replace(
        settings,
        rasa_token=settings.rasa_token or secrets.token_urlsafe(32),
        action_server_token=settings.action_server_token or secrets.token_urlsafe(32),
    )
    model = Path(args.model) if args.model else latest_model(settings.model_dir)
    if model is None or not model.exists():
        print("No trained model found. Run `make train` first.", file=sys.stderr)
        return 1

    try:
        stack = Stack(settings, model, Path(settings.data_dir) / "logs")
    except ChannelError as exc:  # a messaging channel is enabled without its secrets
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 1
    stopping = False

    def request_stop(signum, frame):  # noqa: ARG001
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)

    print(f"Starting with model {model.name}; logs in {stack.log_dir}", flush=True)
    try:
        for service in stack.services:
            print(f"  starting {service.name} ...", flush=True)
            stack.start(only=[service.name])
            if stopping:
                break
    except StartupError as exc:
        print(f"\nStart-up failed: {exc}", file=sys.stderr)
        stack.stop()
        return 1

    if not stopping:
        url = f"http://{'localhost' if settings.host in ('127.0.0.1', '0.0.0.0') else settings.host}:{settings.gateway_port}/"
        print(
            "\nThe assistant is running.\n"
            f"  Chat in the browser:  {url}\n"
            f"  REST API:             POST {url}api/chat   (docs: {url}docs)\n"
            f"  Health:               {url}healthz\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
    exit_code = 0
    while not stopping:
        dead = stack.dead_services()
        if dead:
            for service in dead:
                print(f"\n{service.name} stopped unexpectedly (exit {service.process.returncode}).\n"
                      f"{service.log_tail()}", file=sys.stderr)
            exit_code = 1
            break
        time.sleep(0.5)

    print("\nStopping ...", flush=True)
    stack.stop()
    print("Stopped.", flush=True)
    return exit_code


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
