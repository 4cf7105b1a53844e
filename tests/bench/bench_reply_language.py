"""Reply-language accuracy over whole conversations (issue 4 target: ≥ 99.5 % of bot replies
in the resident's language). Not part of the test suite; run by run_all.py on its stack,
or on its own:

    .venv/bin/python tests/bench/bench_reply_language.py [--model PATH] [--gateway URL]

Scripted conversations through the gateway (what residents use), each turn labelled with
the language the resident is using at that point: the three guidance interviews, residents
who write in another language than the page's, short messages that carry no language
("45", "ok", "Kempele", "👍"), explicit switches ("in English please", "på svenska tack"),
the language buttons, and no page language at all. Every bot message is classified by
lingua restricted to fi/sv/en (independent of the assistant's own lexicon-based detector);
messages with fewer than three words (a phone number, "112") cannot be classified and are
counted apart. Writes results/reply_language.json and .md.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import RESULTS, ROOT, SCRIPTS, BenchStack, async_client, bench_settings, log, write_json  # noqa: E402

from tests.reply_language import reply_language  # noqa: E402

# (page language or None, [(resident's message, language the replies must be in)])
Conversation = tuple[str | None, list[tuple[str, str]]]

CONVERSATIONS: dict[str, Conversation] = {
    **{f"interview_{s.language}": (s.language, [(t, s.language) for t in s.turns]) for s in SCRIPTS},
    "fi_page_english_writer": ("fi", [("hi, which service would suit me?", "en"), ("I live in Kempele", "en"),
                                      ("34", "en"), ("yes", "en"), ("no", "en"), ("no plan", "en")]),
    "en_page_swedish_writer": ("en", [("hej, vilken tjänst passar mig?", "sv"), ("jag bor i Esbo", "sv"),
                                      ("45", "sv"), ("ja", "sv"), ("nej", "sv"), ("nej", "sv")]),
    "sv_short_messages": ("sv", [("hej, jag behöver hjälp med rehabiliterande arbetsverksamhet", "sv"),
                                 ("Kempele", "sv"), ("45", "sv"), ("ok", "sv"), ("👍", "sv"), ("ja", "sv")]),
    "fi_short_messages": ("fi", [("moi", "fi"), ("Oulu", "fi"), ("52", "fi"), ("ok", "fi"), ("👍", "fi"),
                                 ("joo", "fi")]),
    "explicit_switches": ("fi", [("moi", "fi"), ("asun Oulussa", "fi"), ("in English please", "en"),
                                 ("I'm 40", "en"), ("på svenska tack", "sv"), ("ja", "sv"),
                                 ("suomeksi kiitos", "fi"), ("ei", "fi")]),
    "language_buttons": ("en", [("hello", "en"), ('/set_language{"language":"fi"}', "fi"), ("45", "fi"),
                                ('/set_language{"language":"sv"}', "sv"), ("Helsingfors", "sv")]),
    "no_page_language_fi": (None, [("hei, olen 30-vuotias ja asun Vantaalla", "fi"), ("kyllä", "fi"),
                                   ("ei", "fi"), ("mitä kuntouttava työtoiminta on?", "fi")]),
    "no_page_language_sv": (None, [("hej, jag är arbetslös och bor i Vasa", "sv"), ("jag är 41 år", "sv"),
                                   ("ja", "sv"), ("vad är rehabiliterande arbetsverksamhet?", "sv")]),
    "side_question_other_language": ("en", [("hi", "en"), ("I live in Helsinki", "en"),
                                            ("what does it cost?", "en"), ("I'm 29", "en")]),
}



def message_text(message: dict) -> str:
    parts = [message.get("text") or ""]
    parts += [b.get("title") or "" for b in message.get("buttons") or [] if isinstance(b, dict)]
    return "\n".join(p for p in parts if p)


async def run_conversation(client, gateway: str, page: str | None, turns: list[tuple[str, str]]) -> list[dict]:
    session = None
    rows = []
    for text, expected in turns:
        body = {"message": text}
        if page:
            body["language"] = page
        if session:
            body["session"] = session
        response = await client.post(gateway.rstrip("/") + "/api/chat", json=body)
        data = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
        session = data.get("session") or session
        for message in data.get("messages") or []:
            shown = message_text(message)
            if shown:
                rows.append({"said": text, "expected": expected, "reply": shown[:160],
                             "detected": reply_language(shown)})
        if response.status_code != 200:
            rows.append({"said": text, "expected": expected, "reply": f"HTTP {response.status_code}", "detected": None,
                         "error": True})
    return rows


async def measure(gateway: str) -> dict:
    results = {}
    async with async_client(connections=4) as client:
        for name, (page, turns) in CONVERSATIONS.items():
            results[name] = await run_conversation(client, gateway, page, turns)
    rows = [r for conv in results.values() for r in conv]
    classified = [r for r in rows if r["detected"]]
    wrong = [dict(r, conversation=name) for name, conv in results.items() for r in conv
             if r["detected"] and r["detected"] != r["expected"]]
    per_language = {}
    for language in ("fi", "sv", "en"):
        mine = [r for r in classified if r["expected"] == language]
        per_language[language] = {"replies": len(mine), "correct": sum(r["detected"] == language for r in mine)}
    return {
        "conversations": len(results),
        "turns": sum(len(t) for _, t in CONVERSATIONS.values()),
        "bot_messages": len(rows),
        "classified": len(classified),
        "unclassifiable_short": len(rows) - len(classified) - sum(1 for r in rows if r.get("error")),
        "http_errors": sum(1 for r in rows if r.get("error")),
        "correct": len(classified) - len(wrong),
        "accuracy": round((len(classified) - len(wrong)) / len(classified), 4) if classified else None,
        "per_language": per_language,
        "wrong": wrong,
        "details": results,
    }


def write_markdown(result: dict, folder: Path = RESULTS) -> Path:
    lines = [
        "# Reply language over whole conversations",
        "",
        "Generated by `tests/bench/bench_reply_language.py`: scripted conversations through the gateway, "
        "every bot message classified by lingua (fi/sv/en only). Target (issue 4): ≥ 99.5 %.",
        "",
        f"{result['conversations']} conversations, {result['turns']} resident turns, {result['bot_messages']} bot "
        f"messages; {result['classified']} classified, {result['unclassifiable_short']} too short to classify, "
        f"{result['http_errors']} HTTP errors.",
        "",
        f"**Replies in the resident's language: {result['correct']} / {result['classified']} = "
        f"{100 * (result['accuracy'] or 0):.2f} %**",
        "",
        "| language | replies | correct |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {lang} | {v['replies']} | {v['correct']} |" for lang, v in result["per_language"].items()]
    lines += ["", "## Replies in another language", ""]
    lines += [f"- {w['conversation']}: after “{w['said']}” expected {w['expected']}, got {w['detected']}: "
              f"“{w['reply']}”" for w in result["wrong"]] or ["none"]
    path = folder / "reply_language.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gateway", help="a running gateway (default: start a stack)")
    parser.add_argument("--model", type=Path, help="model archive (default: the newest in models/)")
    args = parser.parse_args()
    if args.gateway:
        result = asyncio.run(measure(args.gateway))
    else:
        from bot.stack import latest_model
        model = args.model or latest_model(ROOT / "models")
        with tempfile.TemporaryDirectory(prefix="ko-reply-language-") as folder:
            tmp = Path(folder)
            stack = BenchStack(bench_settings(tmp), model, tmp / "logs")
            try:
                stack.start()
                result = asyncio.run(measure(f"http://127.0.0.1:{stack.settings.gateway_port}"))
            finally:
                stack.stop()
    write_json("reply_language.json", result)
    path = write_markdown(result)
    log(f"reply language: {result['correct']}/{result['classified']} = {result['accuracy']}; {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
