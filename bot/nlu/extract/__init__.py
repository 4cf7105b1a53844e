"""Rule-based extraction of what a resident tells about themselves.

``extract_facts("olen 45v helsinkiläinen ja minulla on lähete", "fi")`` returns
``age=45``, ``municipality=Helsinki`` and ``referral=social_welfare``, each with its
character span in the text. Pure Python (spaCy's tokenizer, simplemma, the municipality
gazetteer); the Rasa wrapper is ``bot/rasa_components/profile_extractor.py``.

Precision comes before recall: a wrong fact is worse than a missing one, because the
assistant asks anyway when it does not know. So when in doubt a rule says nothing.

The package, in the order a message is read:

* ``words.py`` - loads and checks the word files ``bot/nlu/words/<lang>.yml`` (kinds,
  flags, other-person words, age and municipality cues). Staff add words there.
* ``patterns.py`` - kinds become characters, flags bits; the pattern compiler.
* ``analysis.py`` - tokens with their kinds and flags, sentences, clauses.
* ``rules.py`` - the rule table (entity, value, value when negated, pattern over kinds).
* ``judge.py`` - whether a match is the writer's own, present, affirmed or negated fact.
* ``age.py``, ``municipality.py`` - the two readers that are not rule rows.
* this module - runs them per language and chooses among overlapping readings.

Choosing: overlapping matches - the longer one wins (also when it yields no fact, so
"disability pension" negated cannot fall back to "disability" negated). Then, per entity,
the **last** mention wins, because residents correct themselves ("I was 45, now I'm 46",
"not in Espoo but in Helsinki"). For municipalities a mention with a residence cue
("asun", "bor", "live", "-lainen") beats one without, and one with a work/origin cue
("töissä", "work in", "kotoisin") loses to both.

Questions about a concept are not statements about oneself: a clause starting with an
interrogative word (mikä/mitä/miten/kuka/vad/hur/vem/what/how/who...), a Finnish -ko/-kö
question word ("onko", "tarvitsenko"), an en/sv sentence starting with an auxiliary and
ending with "?" ("Do I need a referral?"), or any sentence ending with "?" that has no
first-person word gives no facts. A statement before the question still counts:
"Minulla on lähete, mitä seuraavaksi?".

Written for someone else: a parent, partner or friend often writes for a close person ("Min
son är 22 och sitter mest hemma i Ekenäs"). When the message tells nothing of the writer's own
(but perhaps the home they share) and names such a person by a noun early on,
``facts_about_someone_else`` reads it again with that person in the writer's place: the
person's words count as "I" (``Analysis(..., about_the_person=True)``), the writer's as someone
else's, a sentence without a subject goes on about the person, and "on"/"är"/"is" before a
number give the person's age (``copula_person`` in the word files).

Languages: with a known language only its rules run, except for messages of at most
``SHORT_MESSAGE_WORDS`` words, where the other two languages are tried at lower priority
(the language resolver keeps the conversation's language for short replies). Without a
language all three run. When two languages read the same words differently (Swedish has
no "no", so "no depression" is affirmative to it), nothing is kept.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlu.extract.age import age_candidates
from bot.nlu.extract.analysis import SHORT_MESSAGE_WORDS, Analysis
from bot.nlu.extract.judge import Candidate, rule_candidates
from bot.nlu.extract.municipality import municipality_candidates
from bot.nlu.extract.patterns import BIT, tolerant
from bot.nlu.extract.words import LANGUAGES, WORDS
from bot.profile import FIELD_ORDER

# One entity per profile field, named like it (the slots and the route engine use the names).
ENTITIES = FIELD_ORDER

__all__ = ["ABOUT_SOMEONE_ELSE", "ENTITIES", "LANGUAGES", "SHORT_MESSAGE_WORDS", "Fact", "extract_facts",
           "facts_about_someone_else", "warm_up", "written_for_someone_else"]

# Function words that tell the languages apart when no language is given.
_HINTS = {lang: WORDS[lang].language_hints for lang in LANGUAGES}


@dataclass(frozen=True)
class Fact:
    entity: str  # one of ENTITIES
    value: str
    start: int  # character offsets into the original text
    end: int
    text: str  # text[start:end]


def _language_order(text: str, language: str | None) -> list[str]:
    """Languages whose rules to run, best first.

    With a known language only its rules run, except for short messages: the language
    resolver keeps the conversation's language for short replies, so "unemployed" in a
    Finnish conversation is also tried with the English rules (at lower priority).
    Without a language all three run, ordered by common function words.
    """
    words = re.findall(r"[^\W\d_]+|'m|n't", text.lower())
    if language in LANGUAGES:
        if len(words) > SHORT_MESSAGE_WORDS:
            return [language]
        return [language] + [lang for lang in LANGUAGES if lang != language]
    scores = {lang: sum(1 for w in words if w in _HINTS[lang]) for lang in LANGUAGES}
    return sorted(LANGUAGES, key=lambda lang: (-scores[lang], LANGUAGES.index(lang)))


def _overlap(a: Candidate, b: Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def _select(candidates: list[Candidate]) -> list[Candidate]:
    """Resolve overlapping matches.

    The best-ranked language wins, then the longer match, then the earlier rule. A match
    without a value still blocks what it overlaps ("I don't get disability pension"
    must not fall back to "disability" negated). When several languages read the same
    words and another one reads them differently - another value, or a negation the
    winner did not see ("no depression": Swedish has no "no") - nothing is kept.
    """
    kept: list[Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.rank, -c.length, c.order, c.start)):
        if all(not _overlap(cand, k) for k in kept):
            kept.append(cand)
    chosen = []
    for k in kept:
        if k.value is None:
            continue
        rivals = (c for c in candidates if c.rank != k.rank and c.entity == k.entity and _overlap(c, k))
        if any((c.value is not None and c.value != k.value) or (c.negated and not k.negated) for c in rivals):
            continue
        chosen.append(k)
    return chosen


_BRACKETS = str.maketrans("()[]", ",,,,")


def extract_facts(text: str, language: str | None = None, about_the_person: bool = False) -> list[Fact]:
    """Facts the writer states about themselves, one per entity, in text order.

    ``language`` is "fi", "sv" or "en" (as set by the LanguageResolver); None tries all
    three. When an entity is mentioned more than once the last mention wins (residents
    correct themselves); for municipalities a mention with a residence cue wins first.
    ``about_the_person``: the facts of the close person the message is written for instead
    (see ``facts_about_someone_else``).
    """
    if not text or not text.strip():
        return []
    # "My brother (35) has been unemployed": an aside in brackets is read like one between
    # commas, so it does not cut the brother off from his clause (same length: the
    # entities' offsets stay those of the message).
    text = text.translate(_BRACKETS)
    order = _language_order(text, language)
    candidates: list[Candidate] = []
    for rank, lang in enumerate(order):
        analysis = Analysis(text, lang, about_the_person)
        candidates += rule_candidates(analysis, rank)
        candidates += age_candidates(analysis, rank)
        if rank == 0:
            candidates += municipality_candidates(analysis, text, rank)
    best: dict[str, Candidate] = {}
    for cand in _select(candidates):
        current = best.get(cand.entity)
        if current is None or (cand.priority, cand.start) > (current.priority, current.start):
            best[cand.entity] = cand
    facts = []
    for c in best.values():
        assert c.value is not None  # _select keeps only candidates with a value
        facts.append(Fact(c.entity, c.value, c.start, c.end, text[c.start:c.end]))
    pension = best.get("disability_pension")
    if pension is not None and pension.value == "yes":
        # A disability pension or rehabilitation support means a long-term disability or
        # illness that reduces the ability to work: it is granted "jos työkykysi on heikentynyt
        # sairauden, vian tai vamman vuoksi" (Keva, "Työkyvyttömyyseläke ja kuntoutustuki",
        # https://kevatyonantajalle.keva.fi/henkiloasiakkaalle/tietoa-elakkeista/elakevaihtoehdot/tyokyvyttomyyselake-ja-kuntoutustuki).
        span = text[pension.start:pension.end]
        for implied in ("disability", "health_affects_work_ability"):
            if implied not in best:
                facts.append(Fact(implied, "yes", pension.start, pension.end, span))
    return sorted(facts, key=lambda f: (f.start, f.entity))


#: The parse data's key (set by bot/rasa_components/profile_extractor.py) saying that a
#: message's facts are those of the close person it is written for.
ABOUT_SOMEONE_ELSE = "about_someone_else"
#: How far into a message the close person it is written for must be named (sentences).
PERSON_WITHIN_SENTENCES = 2
#: Without the person's age or municipality, this many facts make a message about them.
PERSON_MIN_FACTS = 2


def written_for_someone_else(text: str, language: str | None = None) -> bool:
    """Does the message say outright that it is written for someone else ("kysyn veljen
    puolesta", "Skriver för min sambo", "asking for a friend")? Then the interview's questions
    are about that person even when the message tells none of their facts."""
    if not text or not text.strip():
        return False
    return _says_written_for_someone_else(text, _language_order(text.translate(_BRACKETS), language))


def _says_written_for_someone_else(text: str, order: list[str]) -> bool:
    return any(WORDS[lang].behalf_pattern and re.search(tolerant(WORDS[lang].behalf_pattern), text, re.IGNORECASE)
               for lang in order)


def facts_about_someone_else(text: str, language: str | None = None,
                             own: list[Fact] | None = None) -> list[Fact]:
    """The facts of the close person a message is written for, when it tells none of the
    writer's own: "Min son är 22 och sitter mest hemma i Ekenäs", "Kirjoitan poikani
    puolesta. Hän on 22 ja asuu Tampereella", "My partner has been unemployed for ages".
    A parent, partner or friend asking for someone gets the guidance for that person, so the
    interview need not ask again what the message told.

    A short reply with "he", "she" or "hän" as its subject ("hän on työtön", "han bor i Esbo")
    is an answer to the interview's question for that person.

    Otherwise only when the message names the person by a noun (a relative, partner or friend:
    "poika", "son", "partner"; not only "he" or "people") within its first two sentences, the writer's
    own reading gives nothing but perhaps the home they share ("Vi bor i Vasa", which then
    counts for the person too unless the message says where the person lives), and the
    person's reading gives the age or the municipality, or two facts: "olen 50 ja poikani on
    22" is the writer's own, and "my friend is unemployed and says it pays 9 euros" is hearsay
    in a question about the money. Empty otherwise. ``own``: the writer's own facts, when the
    caller has read them already (``extract_facts(text, language)``)."""
    if not text or not text.strip():
        return []
    own = extract_facts(text, language) if own is None else own
    order = _language_order(text.translate(_BRACKETS), language)
    # "Kirjoitan poikani puolesta", "asking for a friend": said outright, one fact is enough,
    # and the writer's own reading is the person's too ("Skriver för min sambo... Han är 36,
    # bor med mig i Borgå och har varit deprimerad och utan jobb": the clauses after "Han" have
    # no subject of their own, and the own reading had taken them for the writer's)
    behalf = _says_written_for_someone_else(text, order)
    if not behalf and any(fact.entity != "municipality" for fact in own):
        return []
    analysis = Analysis(text.translate(_BRACKETS), order[0])
    early = analysis.sentences[PERSON_WITHIN_SENTENCES - 1].end if len(analysis.sentences) >= PERSON_WITHIN_SENTENCES \
        else len(analysis.tokens)
    named = any(t.flags & BIT["PERSON"] for t in analysis.tokens[:early])
    # a short answer to the interview's question for them: "hän on 22", "han bor i Esbo"
    answered_for = analysis.short and any(t.flags & BIT["OTHER"] for t in analysis.tokens)
    if not (named or answered_for or behalf):
        return []
    facts = extract_facts(text, language, about_the_person=True)
    if not facts:
        return []
    if behalf:
        # what only the writer's own reading found (the subjectless clauses, the home they share)
        facts += [fact for fact in own if fact.entity not in {f.entity for f in facts}]
    elif "municipality" not in {fact.entity for fact in facts}:
        facts += own  # the home they share
    told = {fact.entity for fact in facts}
    if not answered_for and not behalf and not told & {"age", "municipality"} and len(told) < PERSON_MIN_FACTS:
        return []
    return sorted(facts, key=lambda f: (f.start, f.entity))


def asks_something(text: str, language: str, inversions: bool = False) -> bool:
    """Does ``text`` ask a question (a question mark, a question word or a Finnish -ko/-kö
    question, read as the extractor reads clauses)? "saan työmarkkinatukea kelalta" tells a
    fact; "paljonko työmarkkinatuki on" asks one.

    With ``inversions``, a Swedish or English yes/no question written without a question mark
    counts too: a clause that begins (after "och"/"and") with an auxiliary and its subject
    ("Jag får bara utkomststöd, får jag något extra för dagarna jag är där", "is it legal to make
    me work for 9 euros a day"). The extractor reads such an inversion as a question only with
    "?" ("är 45 år" tells an age), so this is only for telling whether a message asks anything."""
    if not text or not text.strip():
        return False
    analysis = Analysis(text.translate(_BRACKETS), language if language in WORDS else "fi")
    return (any(s.question_mark for s in analysis.sentences) or any(c.question for c in analysis.clauses)
            or (inversions and _inverted_question(analysis)))


#: A message of at least this many words that asks nothing tells something; a shorter one
#: without a question mark is still a query ("koulukuljetus nurmijärvi", "bussikortti?").
STATEMENT_MIN_WORDS = 8


def tells_something(text: str, language: str) -> bool:
    """Does the resident tell something without asking anything ("Kuntsarissa taas koko päivä
    lajiteltiin ruuveja pusseihin. 9 euroa päivä. Tällästä tää on.")? At least
    ``STATEMENT_MIN_WORDS`` words, no button payload, no question (``asks_something`` with
    the inversions)."""
    return (not text.startswith("/") and len(text.split()) >= STATEMENT_MIN_WORDS
            and not asks_something(text, language, inversions=True))


def _inverted_question(analysis: Analysis) -> bool:
    """A clause that begins with an auxiliary (AUX_Q) and its subject (AUX_SUBJECT)."""
    tokens = analysis.tokens
    for clause in analysis.clauses:
        lead = clause.start
        if tokens[lead].flags & BIT["AND"] and lead + 1 < clause.end:
            lead += 1
        if (lead + 1 < clause.end and tokens[lead].flags & BIT["AUX_Q"]
                and tokens[lead + 1].flags & BIT["AUX_SUBJECT"]):
            return True
    return False


def warm_up() -> None:
    """Load spaCy tokenizers, simplemma dictionaries and municipality tables now
    (the first call otherwise takes seconds)."""
    for lang, sample in (("fi", "olen 45v työtön ja asun Helsingissä"), ("sv", "jag är arbetslös"),
                         ("en", "I am unemployed")):
        extract_facts(sample, lang)
