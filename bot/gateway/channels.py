"""Messaging channels (Telegram, Slack, Microsoft Bot Framework): which are enabled, and
the Rasa credentials file that turns them on.

Rasa starts every channel listed in its credentials file, refuses a file that names an
undefined ``${VAR}``, and Telegram and Bot Framework call their cloud APIs while starting.
So ``config/credentials.yml`` holds only the always-on channels (rest, socketio) and the
optional ones live in ``config/credentials.channels.yml``. ``KO_CHANNELS`` (comma-separated,
empty by default) names the ones to enable; :func:`write_credentials` then writes a file
with the base channels plus those sections, still as ``${VAR}`` references, so secrets are
never written to disk: Rasa substitutes them from its environment at start-up.

The gateway reads ``KO_CHANNELS`` too and proxies only those channels' webhooks to Rasa.

Command line (used by docker-compose.channels.yml; no FastAPI or Rasa import)::

    python -m bot.gateway.channels credentials --out /tmp/credentials.yml
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"
BASE_CREDENTIALS = CONFIG_DIR / "credentials.yml"
CHANNEL_CREDENTIALS = CONFIG_DIR / "credentials.channels.yml"
OPTIONAL_CHANNELS = ("telegram", "slack", "botframework")
ENV_VAR = re.compile(r"\$\{(\w+)\}")


class ChannelError(ValueError):
    """KO_CHANNELS names an unknown channel, or an enabled channel lacks its variables."""


def enabled_channels(env: Mapping[str, str] | None = None) -> tuple[str, ...]:
    env = os.environ if env is None else env
    names = [n.strip().lower() for n in (env.get("KO_CHANNELS") or "").split(",") if n.strip()]
    unknown = [n for n in names if n not in OPTIONAL_CHANNELS]
    if unknown:
        raise ChannelError(f"KO_CHANNELS: unknown channel(s) {', '.join(unknown)}; "
                           f"expected some of {', '.join(OPTIONAL_CHANNELS)}")
    return tuple(dict.fromkeys(names))


def _read(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def channel_sections(path: Path = CHANNEL_CREDENTIALS) -> dict[str, dict[str, Any]]:
    return _read(path)


def required_variables(section: Mapping[str, object]) -> list[str]:
    """The ``${VAR}`` names a channel section refers to."""
    return [name for value in section.values() if isinstance(value, str) for name in ENV_VAR.findall(value)]


def compose_credentials(channels: tuple[str, ...], env: Mapping[str, str] | None = None,
                        base: Path = BASE_CREDENTIALS, optional: Path = CHANNEL_CREDENTIALS) -> dict[str, object]:
    """The base credentials plus the sections of ``channels``; checks their variables are set."""
    env = os.environ if env is None else env
    credentials = _read(base)
    sections = _read(optional)
    missing: list[str] = []
    for name in channels:
        section = sections[name]
        missing += [var for var in required_variables(section) if not (env.get(var) or "").strip()]
        credentials[name] = section
    if missing:
        raise ChannelError(f"KO_CHANNELS enables {', '.join(channels)}, but these variables are not set: "
                           f"{', '.join(missing)} (see README, 'Web widget and channels')")
    return credentials


def write_credentials(out: Path, env: Mapping[str, str] | None = None) -> Path:
    """Write the credentials Rasa should use; with no optional channel, that is the base file."""
    channels = enabled_channels(env)
    if not channels:
        return BASE_CREDENTIALS
    credentials = compose_credentials(channels, env)
    out.parent.mkdir(parents=True, exist_ok=True)
    # safe_dump writes ``${VAR}`` as plain (unquoted) scalars: the only ones Rasa substitutes.
    out.write_text("# Written by bot.gateway.channels from config/credentials*.yml; do not edit.\n"
                   + yaml.safe_dump(credentials, sort_keys=False, default_flow_style=False), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.gateway.channels", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    write = sub.add_parser("credentials", help="write the Rasa credentials file for KO_CHANNELS; print its path")
    write.add_argument("--out", required=True, type=Path)
    sub.add_parser("list", help="print the enabled optional channels")
    args = parser.parse_args(argv)
    try:
        if args.command == "list":
            print(" ".join(enabled_channels()))
        else:
            print(write_credentials(args.out))
    except ChannelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
