"""Bad input against the NLU (issue 7): the pure functions and the Rasa components that run
on every message never raise and stay fast on arbitrary text.

* bot.language.detect / explicit_request / resolve_language, bot.nlu.extract.extract_facts,
  bot.municipalities.find_municipalities, bot.privacy.redact.redact, bot.safety.is_emergency;
* LanguageResolver, MultilingualSpacyTokenizer, ProfileEntityExtractor and
  EmergencySafetyNet ``process`` on ``rasa.shared.nlu.training_data.message.Message``.

Inputs: arbitrary unicode (controls, emoji, right-to-left text and bidi controls, combining
marks, HTML/script, SQL-looking strings, button payloads), up to the 2000 characters the
gateway lets through (slow-marked), and conversation state with arbitrary channel metadata.
The outputs must also make sense: offsets inside the text, values from the known sets.

Two problems found this way are fixed in bot/nlu/spacy_text.py and kept as tests: spaCy's
tokenizer is quadratic in a run of punctuation/symbols without spaces (the gateway refuses
such runs, channel webhooks do not), and lone surrogates made spaCy raise.
"""
from __future__ import annotations

import contextlib
import gc
import time
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rasa.shared.core.events import UserUttered
from rasa.shared.core.slots import AnySlot
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.gateway.validation import MAX_SYMBOL_RUN, has_control_characters, longest_symbol_run
from bot.language import SUPPORTED, Detection, detect, explicit_request, preload, resolve_language
from bot.municipalities import all_municipalities, find_municipalities
from bot.nlu.extract import ENTITIES as PROFILE_ENTITIES
from bot.nlu.extract import extract_facts
from bot.nlu.extract import warm_up as warm_up_extract
from bot.privacy.redact import redact
from bot.rasa_components.language_resolver import LanguageResolver
from bot.rasa_components.profile_extractor import ProfileEntityExtractor
from bot.rasa_components.safety_net import EmergencySafetyNet
from bot.rasa_components.tokenizer import MultilingualSpacyTokenizer
from bot.safety import is_emergency

HEALTH = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]
# Bounds per call in CPU time of the calling thread (typical calls take < 5 ms): pathological
# work (regex backtracking, quadratic scans) fails them, other work on a busy shared machine
# cannot (wall-clock bounds failed when the machine was loaded).
SHORT_TEXT_SECONDS = 1.0
# The whole NLU front (resolver, tokenizer, extractor, safety net) on a 2000-character
# message the gateway accepts; measured worst cases are ~0.5 s.
LONG_TEXT_SECONDS = 2.5

MUNICIPALITY_NAMES = {m.name_fi for m in all_municipalities()}
LANGUAGES = (None, "fi", "sv", "en")

# --------------------------------------------------------------------------- strategies

NO_SURROGATES = st.characters(codec="utf-8")  # what JSON from the gateway can carry
EMOJI = st.sampled_from(["😀", "👩🏽‍⚕️", "🇫🇮", "❤️", "🧑‍🤝‍🧑", "\uFE0F", "🏳️‍🌈", "🤔🤔🤔"])
RTL = st.text(st.characters(min_codepoint=0x0590, max_codepoint=0x08FF), min_size=1, max_size=30)
BIDI = st.sampled_from(["\u202E", "\u202D", "\u2066", "\u2067", "\u2069", "\u200F", "\u200E", "\u061C"])
CONTROL = st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs"])
HOSTILE = st.sampled_from([
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "'; DROP TABLE events; --", "\" OR 1=1 --",
    "{{7*7}}", "${jndi:ldap://127.0.0.1/a}", "%s%n", "{0}", "\\", "\\\\n", "(?:)", "(a+)+$", ".*" * 20,
    "/inform", "/inform{", '/inform{"age": "x"}', "/set_language{\"language\":\"xx\"}", "/", "//", "EXTERNAL_",
    "010190-123M", "FI21 1234 5600 0007 85", "+358 40 123 4567", "matti@example.fi", "Mannerheimintie 12 B 34",
    "Z̸̛͍̞͙̭̊a̶̢̧͈͍̓l̵̢̛g̷o̴", "ﷺ", "𒐫", "\u00ad", "\ufeff", "\U0010FFFF", "ǅ", "İ", "ß", "ﬁ", "Ⅻ", "①", "٣", "१२",
])
REAL = st.sampled_from([
    "olen 45v työtön ja asun Helsingissä", "mulla on lähete sosiaalityöntekijältä", "jag är 30 år och bor i Esbo",
    "I'm 29, unemployed and live in Kempele", "haluan kuolla", "en halua vastata", "börja om", "unohda minut",
    "45", "kyllä", "nej", "Helsingfors", "Vaasa Vasa", "Pedersören kunta", "Koski Tl", "Maarianhamina", "?",
])
PIECE = st.one_of(st.text(max_size=20), st.text(NO_SURROGATES, max_size=10), EMOJI, RTL, BIDI, CONTROL, HOSTILE, REAL,
                  st.integers(-10 ** 6, 10 ** 12).map(str))
SEPARATOR = st.sampled_from(["", " ", "  ", "\n", ", ", ".", "\t", "\u00a0", "-"])
TEXTS = st.one_of(
    st.text(NO_SURROGATES, max_size=200),
    st.lists(st.tuples(PIECE, SEPARATOR).map("".join), max_size=12).map("".join),
)


def gateway_accepts(text: str) -> bool:
    """What bot.gateway.validation lets through to Rasa (besides length and emptiness)."""
    return not has_control_characters(text) and longest_symbol_run(text) <= MAX_SYMBOL_RUN


LONG_UNIT = st.one_of(PIECE, st.tuples(st.sampled_from("(?)'\"€😀…!.,-°؟"), st.integers(1, MAX_SYMBOL_RUN))
                      .map(lambda t: t[0] * t[1]))
def acceptable(text: str) -> str:
    """``text`` with what the gateway would refuse made acceptable: other controls become
    spaces, and a space breaks every run of MAX_SYMBOL_RUN punctuation/symbol characters."""
    out, run = [], 0
    for ch in text:
        if has_control_characters(ch):
            ch = " "
        if longest_symbol_run(ch):
            if run == MAX_SYMBOL_RUN:
                out.append(" ")
                run = 0
            run += 1
        elif not ch.isspace() and unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            pass
        else:
            run = 0
        out.append(ch)
    return "".join(out)[:2000]


LONG_TEXTS = st.lists(st.tuples(LONG_UNIT, SEPARATOR).map("".join), min_size=60, max_size=400).map(
    lambda parts: acceptable("".join(parts))).filter(gateway_accepts)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module", autouse=True)
def _warm():
    """Dictionaries, spaCy pipelines and the statistical detectors load once (seconds)."""
    preload()
    warm_up_extract()
    detect("hei olen työtön")


@pytest.fixture(scope="module")
def components():
    return (
        LanguageResolver.create(LanguageResolver.get_default_config(), None, None, None),
        MultilingualSpacyTokenizer.create(dict(MultilingualSpacyTokenizer.get_default_config()), None, None, None),
        ProfileEntityExtractor.create(ProfileEntityExtractor.get_default_config(), None, None, None),
        EmergencySafetyNet.create({}, None, None, None),
    )


@contextlib.contextmanager
def cpu_seconds():
    """The calling thread's CPU time of the block, without the garbage collector's: a full
    collection of this test process's heap (trained pipelines are loaded) once fell into a
    0.015 s call and made it 1.11 s, and the bound is for the function's own work."""
    enabled = gc.isenabled()
    gc.disable()
    spent = [0.0]
    started = time.thread_time()
    try:
        yield spent
    finally:
        spent[0] = time.thread_time() - started
        if enabled:
            gc.enable()


def timed(function, *args, **kwargs):
    with cpu_seconds() as spent:
        result = function(*args, **kwargs)
    return result, spent[0]


# --------------------------------------------------------------------------- invariants


def check_pure_functions(text: str, language: str | None, bound: float) -> None:
    detection, seconds = timed(detect, text)
    assert isinstance(detection, Detection) and seconds < bound, seconds
    assert detection.language in SUPPORTED + (None,)
    assert 0.0 <= detection.confidence <= 1.0

    requested, seconds = timed(explicit_request, text)
    assert requested in SUPPORTED + (None,) and seconds < bound

    resolution, seconds = timed(resolve_language, text, metadata_language=language,
                                previous_metadata_language=None, current_language=language)
    assert resolution.language in SUPPORTED and seconds < bound, seconds

    facts, seconds = timed(extract_facts, text, language)
    assert seconds < bound, f"extract_facts {seconds:.2f} s"
    assert len({f.entity for f in facts}) == len(facts)
    for fact in facts:
        assert fact.entity in PROFILE_ENTITIES and isinstance(fact.value, str) and fact.value
        assert 0 <= fact.start < fact.end <= len(text) and text[fact.start:fact.end] == fact.text
        if fact.entity == "municipality":
            assert fact.value in MUNICIPALITY_NAMES
        if fact.entity == "age":
            assert 0 <= int(fact.value) <= 120

    matches, seconds = timed(find_municipalities, text)
    assert seconds < bound, f"find_municipalities {seconds:.2f} s"
    previous_end = 0
    for match in matches:
        assert previous_end <= match.start < match.end <= len(text)
        assert text[match.start:match.end] == match.text and match.name_fi in MUNICIPALITY_NAMES
        previous_end = match.end

    redacted, seconds = timed(redact, text)
    assert isinstance(redacted, str) and seconds < bound

    emergency, seconds = timed(is_emergency, text)
    assert isinstance(emergency, bool) and seconds < bound


def run_components(components, text: str, metadata, tracker, bound: float) -> Message:
    resolver, tokenizer, extractor, safety_net = components
    message = Message(data={TEXT: text, INTENT: {"name": "greet", "confidence": 0.5}, "metadata": metadata})
    with cpu_seconds() as spent:
        resolver.process([message], tracker)
        tokenizer.process([message])
        extractor.process([message])
        safety_net.process([message])
    seconds = spent[0]
    assert seconds < bound, f"NLU components took {seconds:.2f} s on {len(text)} characters"

    language = message.get("language")
    assert (language["code"] in SUPPORTED
            and language["source"] in ("explicit", "metadata", "detected", "current", "default"))
    for token in message.get("text_tokens") or []:
        assert 0 <= token.start < token.end <= len(text) and text[token.start:token.end] == token.text
    for entity in message.get(ENTITIES) or []:
        assert entity["entity"] in PROFILE_ENTITIES
        assert text[entity["start"]:entity["end"]]
    intent = message.get(INTENT)
    assert intent["name"] in ("greet", "emergency")
    assert (intent["name"] == "emergency") == is_emergency(text)
    return message


METADATA = st.one_of(
    st.none(), st.text(max_size=5), st.integers(), st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.sampled_from(["language", "lang", "locale", "language_code", "client", "x"]),
                    st.one_of(st.none(), st.integers(), st.text(max_size=12),
                              st.sampled_from(["sv-FI", "EN", "fi_FI.UTF-8"]),
                              st.lists(st.text(max_size=3), max_size=2),
                              st.dictionaries(st.text(max_size=3), st.text(max_size=3))),
                    max_size=4),
)


def tracker_with(previous: list[tuple[str, object]], slot_language) -> DialogueStateTracker:
    """A conversation with earlier messages (arbitrary channel metadata) and any value in
    the language slot."""
    events = [UserUttered(text, metadata=meta if isinstance(meta, dict) else None) for text, meta in previous]
    slot = AnySlot("language", mappings=[{"type": "custom"}], initial_value=slot_language)
    return DialogueStateTracker.from_events("fuzz", events, slots=[slot])


# --------------------------------------------------------------------------- fast properties


@settings(max_examples=250, deadline=None, suppress_health_check=HEALTH)
@given(text=TEXTS, language=st.sampled_from(LANGUAGES))
@example(text="", language=None)
@example(text=" \n\t ", language="fi")
@example(text="\u202Eolen 45v\u202C ja asun <b>Helsingissä</b>", language=None)
@example(text="'; DROP TABLE events; -- olen 45", language="en")
@example(text="olen ١٢٣ vuotta", language="fi")  # Arabic-Indic digits
@example(text="olen 4\u200b5 vuotta", language="fi")
@example(text="x\x00y\x1b[31m", language="sv")
@example(text="/inform{\"age\": 45}", language="fi")
@example(text="99999999999999999999999 vuotta", language="fi")
def test_pure_functions_never_raise_and_are_fast(text, language):
    check_pure_functions(text, language, SHORT_TEXT_SECONDS)


@settings(max_examples=150, deadline=None, suppress_health_check=HEALTH)
@given(text=TEXTS, metadata=METADATA,
       previous=st.lists(st.tuples(st.text(max_size=20), METADATA), max_size=3),
       slot_language=st.one_of(st.sampled_from(["fi", "sv", "en", "de", "", None]), st.integers(), st.text(max_size=5)))
@example(text="hej", metadata={"language": "sv-FI"}, previous=[("hei", {"language": ["fi"]})], slot_language="fi")
@example(text="", metadata=[1, 2], previous=[], slot_language=None)
@example(text="/greet", metadata={"language": 5, "locale": "en-GB"}, previous=[("x", "not a dict")], slot_language=3)
def test_rasa_components_never_raise_and_are_fast(components, text, metadata, previous, slot_language):
    tracker = tracker_with(previous, slot_language) if previous else None
    run_components(components, text, metadata, tracker, SHORT_TEXT_SECONDS)


def test_components_leave_messages_without_text_alone(components):
    resolver, tokenizer, extractor, safety_net = components
    for data in ({}, {TEXT: None}, {TEXT: ""}, {TEXT: "   "}):
        message = Message(data=dict(data))
        resolver.process([message])
        tokenizer.process([message])
        extractor.process([message])
        safety_net.process([message])
        assert not message.get(ENTITIES)
        assert message.get("language")["code"] in SUPPORTED


# --------------------------------------------------------------------------- long messages


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=HEALTH)
@given(text=LONG_TEXTS, language=st.sampled_from(LANGUAGES))
@example(text="a" * 1900 + "€" * 100, language=None)
@example(text=("?" * 100 + "a") * 19, language="fi")
@example(text=("(" * 99 + "a€") * 19, language=None)
@example(text=(("👩🏽‍⚕️" * 30 + " ") * 20)[:2000], language="en")
@example(text=("olen 45v työtön ja asun Helsingissä " * 60)[:2000], language=None)
@example(text=("1 " * 1000), language="fi")
@example(text=("Helsingissä " * 181)[:2000], language="fi")
@example(text="a" * 2000, language=None)
@example(text=("jag bor i Esbo och " * 110)[:2000], language="sv")
def test_longest_messages_the_gateway_accepts_stay_fast(components, text, language):
    assert gateway_accepts(text) and len(text) <= 2000
    check_pure_functions(text, language, LONG_TEXT_SECONDS)
    run_components(components, text, {"language": language} if language else None, None, LONG_TEXT_SECONDS)


@pytest.mark.slow
@pytest.mark.parametrize("unit", ["€", "(", "😀", "?", "'"])
def test_any_2000_character_message_stays_fast(components, unit):
    # Channel webhooks reach Rasa without the gateway's symbol-run check. Linear work on
    # 2000 characters takes tens of milliseconds; spaCy's quadratic path took 2-5 s.
    run_components(components, unit * 2000, None, None, 1.0)


def test_lone_surrogates_do_not_raise(components):
    # The gateway refuses them (400); a channel webhook can still deliver one to Rasa.
    run_components(components, "olen 45 \ud800 vuotta", None, None, SHORT_TEXT_SECONDS)
