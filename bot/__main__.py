"""Command line: ``python -m bot <command> ...``.

Commands (add new ones to ``COMMANDS``: name -> (help, add_arguments, handler)):

* ``check-content [--path DIR] [--today DATE]`` validate the knowledge files (exit 0 ok, 1 errors)
* ``route --age 45 --municipality Helsingissä ... [--json]`` suggest routes for a situation
* ``topic ID [--language sv]``                  show one topic answer (``topic --list`` for ids)
* ``retention [--days N] [--dry-run]``          delete conversations older than the retention period
* ``report [--since 7d] [--format md|json|csv] [--plot DIR]``  staff report over the tracker store
  (``--unanswered --format yaml``: the messages not understood as NLU training data to label)

Invalid flags or values exit with code 2 (argparse convention).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date

from bot.clock import parse_iso_date
from bot.knowledge.formats import display_date
from bot.language.tags import LANGUAGES

EXIT_OK, EXIT_CONTENT_ERROR, EXIT_USAGE = 0, 1, 2


def _iso_date(text: str) -> date:
    try:
        return parse_iso_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _today(args: argparse.Namespace) -> date:
    from bot import clock

    return args.today or clock.today()


# --------------------------------------------------------------------------- check-content


def _add_check_content(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--path", help="knowledge directory (default: bot/knowledge)")
    parser.add_argument("--today", type=_iso_date, help="check validity as of this date (YYYY-MM-DD)")
    parser.add_argument("--within-days", type=int, default=60,
                        help="report items expiring within this many days (default 60)")


def _check_content(args: argparse.Namespace) -> int:
    # The contract (bot/contract.py) says which ids the code needs; load_knowledge checks it.
    from bot.guidance import asking
    from bot.knowledge import ContentError, areas, load_knowledge, resolve_path

    day = _today(args)
    try:
        kb = load_knowledge(args.path)
    except ContentError as exc:
        print(f"Knowledge files in {resolve_path(args.path)}: NOT OK", file=sys.stderr)
        print(str(exc), file=sys.stderr)
        return EXIT_CONTENT_ERROR
    problems = asking.check(kb) + areas.check()
    if problems:
        print(f"Knowledge files in {kb.path}: NOT OK", file=sys.stderr)
        print(str(ContentError(problems)), file=sys.stderr)
        return EXIT_CONTENT_ERROR
    uncertain = [e for e in kb.dated_items() if e[2].certainty == "uncertain"]
    print(f"Knowledge files in {kb.path}: OK (checked for {display_date(day)})")
    print(f"  services: {len(kb.services)}  contacts: {len(kb.contacts)}  topics: {len(kb.topics)}  "
          f"notices: {len(kb.notices_by_id)}  messages: {len(kb.messages)}  sources: {len(kb.sources)}  "
          f"parameters: {len(kb.parameters)}")
    print(f"  current notices: {len(kb.notices(day))}  uncertain items: {len(uncertain)}")
    expired = kb.expired(day)
    print(f"  ended (told only as history): {len(expired)}")
    for kind, item_id, item in expired:
        until = display_date(item.valid_until) if item.valid_until else "historical"
        print(f"    - {kind} {item_id} (until {until})")
    expiring = kb.expiring(day, args.within_days)
    print(f"  expiring within {args.within_days} days: {len(expiring)}")
    for kind, item_id, item in expiring:
        assert item.valid_until is not None  # kb.expiring() lists only items with an end date
        print(f"    - {kind} {item_id} (until {display_date(item.valid_until)})")
    return EXIT_OK


# --------------------------------------------------------------------------- route

ROUTE_FLAGS: tuple[tuple[str, str], ...] = (
    ("age", "age in years"),
    ("municipality", "home municipality in any form: Helsinki, Helsingissä, Helsingfors, Kempele, ..."),
    ("unemployed", "yes | no"),
    ("health_affects_work_ability", "yes | no"),
    ("disability", "yes | no"),
    ("disability_pension", "yes | no (receives a disability pension or rehabilitation support)"),
    ("referral", "none | social_welfare | criminal_sanctions"),
    ("plan", "none | activation_plan | multisectoral_plan"),
    ("client_of", "social_services | typ | employment_services | none"),
)


def _add_route(parser: argparse.ArgumentParser) -> None:
    from bot.profile import FIELD_ORDER

    for name, help_text in ROUTE_FLAGS:
        parser.add_argument("--" + name.replace("_", "-"), dest=name, help=help_text)
    parser.add_argument("--skip", action="append", default=[], choices=FIELD_ORDER, metavar="FIELD",
                        help="a question the resident declined to answer (repeatable)")
    parser.add_argument("--language", choices=LANGUAGES, default="fi")
    parser.add_argument("--today", type=_iso_date, help="answer as of this date (YYYY-MM-DD)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--chat", action="store_true", help="print the short answer a resident reads first")
    parser.add_argument("--path", help="knowledge directory (default: bot/knowledge)")


def _route(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from bot.guidance.advice import decide
    from bot.guidance.chat import first_reply
    from bot.guidance.views import advice_to_dict, render_advice
    from bot.knowledge import get_knowledge
    from bot.profile import Profile, ProfileError

    raw = {name: getattr(args, name) for name, _ in ROUTE_FLAGS if getattr(args, name) is not None}
    raw["skipped"] = args.skip
    try:
        profile = Profile.from_mapping(raw)
    except ProfileError as exc:
        flag = "--" + exc.field.replace("_", "-")
        parser.error(f"argument {flag}: {exc}")  # exits with code 2
    kb = get_knowledge(args.path)
    if _today(args) < kb.rules_since():
        parser.error(f"argument --today: the guide has no rules before {kb.rules_since().isoformat()}")
    advice = decide(profile, today=_today(args), knowledge=kb)
    if args.json:
        print(json.dumps(advice_to_dict(advice, args.language, kb), ensure_ascii=False, indent=2))
    elif args.chat:
        print(first_reply(advice, args.language, kb).text)
    else:
        print(render_advice(advice, args.language, knowledge=kb), end="")
    return EXIT_OK


# --------------------------------------------------------------------------- topic


def _add_topic(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("topic_id", nargs="?", help="topic id (see --list)")
    parser.add_argument("--list", action="store_true", help="list topic ids")
    parser.add_argument("--language", choices=LANGUAGES, default="fi")
    parser.add_argument("--today", type=_iso_date, help="answer as of this date (YYYY-MM-DD)")
    parser.add_argument("--path", help="knowledge directory (default: bot/knowledge)")


def _topic(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from bot.guidance.views import render_topic_full
    from bot.knowledge import get_knowledge

    kb = get_knowledge(args.path)
    if args.list or not args.topic_id:
        for topic in kb.topics.values():
            print(f"{topic.id}\t{topic.title.get(args.language)}")
        return EXIT_OK
    if args.topic_id not in kb.topics:
        parser.error(f"unknown topic id {args.topic_id!r} (see: python -m bot topic --list)")
    print(render_topic_full(args.topic_id, args.language, _today(args), knowledge=kb), end="")
    return EXIT_OK


# --------------------------------------------------------------------------- retention


def _add_retention(parser: argparse.ArgumentParser) -> None:
    from bot.privacy.retention import add_arguments

    add_arguments(parser)


def _retention(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from bot.privacy.retention import run

    return run(args)


# --------------------------------------------------------------------------- report


def _add_report(parser: argparse.ArgumentParser) -> None:
    from bot.report.cli import add_arguments

    add_arguments(parser)


def _report(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from bot.report.cli import run

    return run(args, parser)


# --------------------------------------------------------------------------- dispatch

Handler = Callable[[argparse.Namespace, argparse.ArgumentParser], int]

#: name -> (help, add_arguments, handler). Other modules' commands can be added here.
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Handler]] = {
    "check-content": ("validate the knowledge files (bot/knowledge/*.yml)", _add_check_content,
                      lambda args, parser: _check_content(args)),
    "route": ("suggest routes for a resident's situation", _add_route, _route),
    "topic": ("show the answer to one topic", _add_topic, _topic),
    "retention": ("delete conversations with no activity for the retention period "
                  "(bot/privacy/retention.py)", _add_retention, _retention),
    "report": ("staff report over the stored conversations: use, interview, routes, topics, "
               "not understood, feedback (bot/report/)", _add_report, _report),
}


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Kuntoutusopas command line")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    subparsers = {}
    for name, (help_text, add_arguments, _) in COMMANDS.items():
        subparser = sub.add_parser(name, help=help_text, description=help_text)
        add_arguments(subparser)
        subparsers[name] = subparser
    return parser, subparsers


def main(argv: Sequence[str] | None = None) -> int:
    parser, subparsers = build_parser()
    args = parser.parse_args(argv)
    _, _, handler = COMMANDS[args.command]
    return handler(args, subparsers[args.command])


if __name__ == "__main__":
    sys.exit(main())
