"""``python -m bot report``: the staff report over the tracker store (README "Staff report").

    python -m bot report [--since 7d] [--until DATE] [--format md|json|csv] [--plot DIR] [--out FILE]
    python -m bot report --unanswered [--format yaml|md|json|csv] [--language fi|sv|en]
    options: --endpoints config/endpoints.yml | --db-url URL, --timezone Europe/Helsinki

Period: whole local days. ``--since 7d`` (default) is the 7 days before ``--until`` (default
yesterday; ``--until today`` includes today so far); ``--since 2026-11-01`` starts on that
day. The previous period of the same length is read too, for the summary's comparison.
A conversation belongs to the day of its first message.

Exit status: 0 done, 1 the database cannot be read, 2 invalid arguments.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from datetime import date, datetime, timedelta, tzinfo
from datetime import time as dtime
from pathlib import Path

from bot.language.tags import LANGUAGES

DEFAULT_TIMEZONE = "Europe/Helsinki"


def _timezone(name: str) -> tzinfo:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(f"unknown time zone {name!r} (e.g. Europe/Helsinki, UTC)") from None


def _since(text: str) -> str:
    if re.fullmatch(r"\d+[dw]", text) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        if re.fullmatch(r"\d+[dw]", text) and int(text[:-1]) < 1:
            raise argparse.ArgumentTypeError("the period must be at least 1 day")
        return text
    raise argparse.ArgumentTypeError(f"{text!r}: give days (7d), weeks (4w) or a date (2026-11-01)")


def _until(text: str) -> str:
    if text in ("today", "yesterday") or re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    raise argparse.ArgumentTypeError(f"{text!r}: give a date (2026-11-30), 'today' or 'yesterday'")


def period_days(since: str, until: str, today: date) -> tuple[date, date]:
    """(first day, last day), both inclusive."""
    last = (today if until == "today" else today - timedelta(days=1) if until == "yesterday"
            else date.fromisoformat(until))
    if re.fullmatch(r"\d+[dw]", since):
        days = int(since[:-1]) * (7 if since.endswith("w") else 1)
        first = last - timedelta(days=days - 1)
    else:
        first = date.fromisoformat(since)
    return first, last


def _midnight(day: date, tz: tzinfo) -> float:
    return datetime.combine(day, dtime.min, tzinfo=tz).timestamp()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from bot.privacy.retention import DEFAULT_ENDPOINTS
    from bot.report.formats import FORMATS

    parser.add_argument("--since", type=_since, default="7d",
                        help="period: 7d, 4w or a first day 2026-11-01 (default 7d)")
    parser.add_argument("--until", type=_until, default="yesterday",
                        help="last day of the period: a date, 'today' or 'yesterday' (default)")
    parser.add_argument("--format", choices=FORMATS, default="md",
                        help="md (default), json, csv; yaml only with --unanswered (Rasa NLU training data)")
    parser.add_argument("--unanswered", action="store_true",
                        help="only the messages not understood, grouped (with --format yaml: NLU data to label)")
    parser.add_argument("--language", choices=LANGUAGES,
                        help="with --unanswered: only messages in this language (one NLU file per language)")
    parser.add_argument("--plot", type=Path, metavar="DIR", help="also write PNG charts into DIR")
    parser.add_argument("--out", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    parser.add_argument("--endpoints", type=Path, default=DEFAULT_ENDPOINTS,
                        help="Rasa endpoints file whose tracker_store to read (default: config/endpoints.yml)")
    parser.add_argument("--db-url", help="SQLAlchemy URL of the tracker store instead of the endpoints file")
    parser.add_argument("--timezone", type=_timezone, default=DEFAULT_TIMEZONE,
                        help=f"days are counted in this time zone (default {DEFAULT_TIMEZONE})")


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from bot.report import figures, formats
    from bot.report.sessions import summarise
    from bot.report.source import SourceError, read_sessions, source_from_endpoints, source_from_url

    if args.format == "yaml" and not args.unanswered:
        parser.error("--format yaml writes the not-understood messages: use it with --unanswered")
    if args.language and not args.unanswered:
        parser.error("--language selects the not-understood messages: use it with --unanswered")
    tz = args.timezone
    first, last = period_days(args.since, args.until, datetime.now(tz).date())
    if first > last:
        parser.error(f"the period starts ({first}) after it ends ({last})")
    previous_first = first - (last - first + timedelta(days=1))
    end = _midnight(last + timedelta(days=1), tz)
    try:
        source = source_from_url(args.db_url) if args.db_url else source_from_endpoints(args.endpoints)
        current, previous = [], []
        now = time.time()
        for events in read_sessions(source, since=_midnight(previous_first, tz), until=end):
            summary = summarise(events, tz, now=now)
            if summary is None:
                continue
            if first <= summary.day <= last:
                current.append(summary)
            elif previous_first <= summary.day < first:
                previous.append(summary)
    except SourceError as error:
        print(f"report: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - e.g. a RasaException from the endpoints file
        if type(error).__module__.startswith("rasa"):
            print(f"report: {error}", file=sys.stderr)
            return 1
        raise
    period = figures.Period(first, last, str(getattr(tz, "key", tz)))

    if args.unanswered:
        from bot.report.groups import group_messages

        messages = [m for m in figures.unanswered_messages(current)
                    if args.language is None or m.language == args.language]
        groups = group_messages(messages)
        text = {
            "yaml": lambda: formats.groups_to_nlu_yaml(groups, first.isoformat(), last.isoformat()),
            "md": lambda: formats.groups_to_markdown(groups, first.isoformat(), last.isoformat()),
            "json": lambda: formats.to_json([g.to_dict() for g in groups]),
            "csv": lambda: formats.groups_to_csv(groups),
        }[args.format]()
    else:
        from bot.knowledge import get_knowledge

        report = figures.build_report(current, period, topic_ids=get_knowledge().topics.keys(),
                                      previous=previous, generated=datetime.now(tz).date(), database=source.label)
        text = {"md": formats.to_markdown, "json": formats.to_json, "csv": formats.to_csv}[args.format](report)
        if args.plot:
            from bot.report.plots import write_plots

            for path in write_plots(report, args.plot):
                print(f"chart: {path}", file=sys.stderr)
    _write(text, args.out)
    return 0


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"report: wrote {out}", file=sys.stderr)
