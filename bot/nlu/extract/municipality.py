"""Reading the writer's home municipality.

The gazetteer (:func:`bot.municipalities.find_municipalities`) finds every municipality
name in the text in any inflected, Swedish or demonym form; this module decides which
mention is the writer's home using the clause analysis: a residence cue ("asun", "bor",
"live", "-lainen") makes it a strong candidate, a work or origin cue ("töissä", "work
in", "kotoisin") a weak one, and a negated, past, questioned or someone else's mention
("en asu Espoossa", "asuin Espoossa", "onko Espoossa...?") gives no fact. Slang and
abbreviations from the word files ("Stadi", "Hesa", "Manse") and colloquial or mistyped
case endings the gazetteer leaves alone ("Turus", "Helsingisä") are read here too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from bot.municipalities import MunicipalityMatch, all_municipalities, find_municipalities, normalise_municipality
from bot.nlu.extract.analysis import Analysis
from bot.nlu.extract.judge import Candidate, is_negated, past_before, suppressed
from bot.nlu.extract.patterns import BIT as _BIT
from bot.nlu.extract.patterns import tolerant
from bot.nlu.extract.rules import PLACE
from bot.nlu.extract.words import LANGUAGES, WORDS, WORDS_DIR, WordListError

# Names that are also everyday words ("salo" grove, "lahti" bay, "sund" healthy): written
# in lower case they count only with a residence cue or as a short reply.
_WORDLIKE_MUNICIPALITIES = frozenset(name for lang in LANGUAGES for name in WORDS[lang].wordlike_municipalities)
# "helsinkiläinen", "esbobo": an inhabitant name is a residence cue
_DEMONYM = re.compile("|".join(f"(?:{WORDS[lang].demonym})" for lang in LANGUAGES if WORDS[lang].demonym),
                      re.IGNORECASE)


@dataclass(frozen=True)
class _Mention:
    """A municipality named in the text: like the gazetteer's MunicipalityMatch."""

    name_fi: str
    start: int
    end: int
    text: str


# Colloquial and mistyped case endings the gazetteer does not read, with the ending they
# stand for: "Turus"/"Helsingis" (-ssa), "Helsingisä" (-ssä), "Oulust" (-sta), "Vantaalt"
# (-lta). Tried only on a word that the gazetteer did not recognise.
_ENDINGS = (("sa", "ssa"), ("sä", "ssä"), ("s", "ssa"), ("s", "ssä"), ("st", "sta"), ("st", "stä"),
            ("lt", "lta"), ("lt", "ltä"), ("l", "lla"), ("l", "llä"))
_WORD = re.compile(r"[^\W\d_]{4,}")


def _nickname_patterns(lang: str) -> list[tuple[str, re.Pattern]]:
    out = []
    for name, pattern in WORDS[lang].nicknames:
        if normalise_municipality(name) != name:
            raise WordListError(f"{WORDS_DIR / (lang + '.yml')}: municipality.nicknames.{name}: "
                                f"not the Finnish name of a municipality")
        out.append((name, re.compile(tolerant(pattern))))
    return out


_NICKNAMES = {lang: _nickname_patterns(lang) for lang in LANGUAGES}
# Finnish "from" cases (elative -sta, ablative -lta): the place moved from
_FROM_CASE = re.compile(r"(st[aä]|lt[aä])$")
# Finnish place case endings (-ssa, -sta, -lla, -lta, -lle, illative -Vn / -iin)
_PLACE_ENDING = re.compile(r"(ss[aä]|st[aä]|ll[aä]|lt[aä]|lle|(a|e|i)an|iin|ään)$")


@cache
def _official_names() -> frozenset[str]:
    return frozenset(n.lower() for m in all_municipalities() for n in (m.name_fi, m.name_sv))


def _is_demonym(match) -> bool:
    """"helsinkiläinen", "esbobo": an inhabitant name; not a name that merely ends like one
    ("Esbo", "Borgå" are the towns themselves)."""
    return bool(_DEMONYM.search(match.text)) and match.text.lower() not in _official_names()


#: A bare nickname names the place in a reply of at most this many words ("no hesa sit").
NICKNAME_REPLY_WORDS = 4


def _nickname_counts(a: Analysis, tok) -> bool:
    """An inflected nickname or an inhabitant name names a place ("Stadissa", "Hesasta",
    "hesalainen"); a bare one ("Stadi") only with a residence cue or in a short reply ("hesa",
    "no hesa sit") whose word before it is no capitalised name: "Työkykyisempi Stadi" is a
    project's name."""
    if _PLACE_ENDING.search(tok.low) or _DEMONYM.search(tok.low):  # "Hesassa", "stadilainen"
        return True
    clause = a.clause_at(tok.index)
    residence = clause is not None and any(t.flags & _BIT["RESIDENCE"] for t in a.tokens[clause.start:clause.end])
    before = a.tokens[tok.index - 1] if tok.index > 0 else None
    part_of_a_name = before is not None and before.is_word and before.text[:1].isupper()
    return residence or a.words == 1 or (a.words <= NICKNAME_REPLY_WORDS and not part_of_a_name)


def _mentions(a: Analysis, text: str) -> list:
    """The gazetteer's matches, then nicknames ("Stadi") and colloquial or mistyped forms
    ("Turus", "Helsingisä") of words it left alone."""
    found: list[MunicipalityMatch | _Mention] = list(find_municipalities(text))
    taken = [(m.start, m.end) for m in found]

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for tok in a.tokens:
        if not tok.is_word or not free(tok.start, tok.end):
            continue
        name = next((n for n, pattern in _NICKNAMES[a.lang] if pattern.fullmatch(tok.low)), None)
        if name and not _nickname_counts(a, tok):
            continue
        if name is None and _WORD.fullmatch(tok.text):
            for typed, meant in _ENDINGS:
                if tok.low.endswith(typed):
                    name = normalise_municipality(tok.text[: len(tok.text) - len(typed)] + meant)
                    if name:
                        break
        if name:
            found.append(_Mention(name, tok.start, tok.end, tok.text))
            taken.append((tok.start, tok.end))
    return sorted(found, key=lambda m: m.start)


def municipality_candidates(a: Analysis, text: str, rank: int) -> list[Candidate]:
    out = []
    for match in _mentions(a, text):
        t0, t1 = a.token_range(match.start, match.end)
        if t0 < 0:
            continue
        clause = a.clause_at(t0)
        if clause is None:
            continue
        toks = a.tokens[clause.start:clause.end]
        residence = _names_residence(a, clause, match)
        work = any(t.flags & _BIT["ELSEWHERE"] for t in toks)
        moved_from = _moved_from(a, clause, t0, match.text)
        near = _near(a, t0, t1)
        priority = 2 if residence else (0 if work else 1)
        value: str | None = match.name_fi
        if suppressed(a, clause, t0, PLACE) or past_before(a, clause, t0) or is_negated(a, clause, t0, t1):
            value = None  # "en asu Espoossa", "not in Espoo", "Onko Espoossa ...?"
        elif _names_birthplace_only(a, clause, match):
            value = None  # "synnyin Oulussa"; but "olen syntynyt ja asunut Oulussa"
        elif moved_from:
            value = None  # "muutin Oulusta", "flyttade från Vasa", "moved from Vaasa (to Kempele)"
        elif near:
            value = None  # "Kempele near Oulu", "Oulun lähellä", "utanför Helsingfors"
        elif match.name_fi in _WORDLIKE_MUNICIPALITIES and match.text[:1].islower() and not (
            residence or a.words <= 2
        ):
            value = None  # "jag är frisk och sund"
        # municipality spans lose overlaps against rule matches (order 1000)
        out.append(Candidate("municipality", value, match.start, match.end, rank, 1000, priority))
    return out


def _names_residence(a: Analysis, clause, match) -> bool:
    """The clause says the writer lives in the municipality ("asun", "bor i", a demonym)."""
    return any(t.flags & _BIT["RESIDENCE"] for t in a.tokens[clause.start:clause.end]) or _is_demonym(match)


def _names_birthplace_only(a: Analysis, clause, match) -> bool:
    """The clause names the place the writer was born, not where they live ("synnyin Oulussa")."""
    return (any(t.flags & _BIT["BORN"] for t in a.tokens[clause.start:clause.end])
            and not _names_residence(a, clause, match))


def _near(a: Analysis, t0: int, t1: int) -> bool:
    """The municipality is named as a place near home: after "near" / "nära" or a direction
    ("just south of Oulu"), or in Finnish before or after "lähellä"."""
    before = t0 > 0 and a.tokens[t0 - 1].flags & _BIT["NEAR"]
    after = a.lang == "fi" and t1 < len(a.tokens) and a.tokens[t1].flags & _BIT["NEAR"]
    # "just south of Oulu", "söder om Uleåborg" (Finnish says it after the place: a NEAR word)
    direction = (t0 > 1 and a.tokens[t0 - 1].flags & _BIT["DIRECTION_OF"]
                 and a.tokens[t0 - 2].flags & _BIT["DIRECTION"])
    return bool(before or after or direction)


def _moves(a: Analysis, clause) -> bool:
    """The clause is about moving house ("muutin", "flyttade", "moved")."""
    return any(t.flags & _BIT["MOVE"] for t in a.tokens[clause.start:clause.end])


def _moved_from(a: Analysis, clause, t0: int, text: str) -> bool:
    """A clause about moving house names this municipality as the place moved from."""
    return _moves(a, clause) and _names_origin(a, t0, text)


def _names_origin(a: Analysis, t0: int, text: str) -> bool:
    """The municipality is the place moved from: after "från" / "from", or in Finnish in the
    elative or ablative case ("Oulusta", "Kempeleeltä")."""
    if t0 > 0 and a.tokens[t0 - 1].flags & _BIT["ORIGIN"]:
        return True
    return a.lang == "fi" and bool(_FROM_CASE.search(text.lower()))


def named_municipality(text: str, language: str) -> str | None:
    """The one municipality ``text`` names, whatever it says of it: the place a question is
    about ("Järjestetäänkö Kempeleessä kuntouttavaa työtoimintaa?", "Is there work activity
    in Tampere?"), which is not a statement of where the writer lives and so gives no fact.
    When several are named, the place moved to wins, else the one the (last) question names.
    None when no municipality is named, when several are and neither rule picks one, or when
    the only one is a lower-case everyday word ("lahti", "sund"), negated ("not in Espoo") or
    only the writer's birthplace ("synnyin Oulussa")."""
    a = Analysis(text, language)
    names: dict[str, int] = {}  # name -> the token where it is last named
    moved_to = set()
    for match in _mentions(a, text):
        if match.name_fi in _WORDLIKE_MUNICIPALITIES and match.text[:1].islower():
            continue
        t0, t1 = a.token_range(match.start, match.end)
        clause = a.clause_at(t0) if t0 >= 0 else None
        if clause is not None and is_negated(a, clause, t0, t1):
            continue
        if clause is not None and _moved_from(a, clause, t0, match.text):
            continue  # "flyttade från Vasa till Kempele": the question is about Kempele
        if clause is not None and _names_birthplace_only(a, clause, match):
            continue  # "synnyin Oulussa ja haluan kuntouttavaan": no question about Oulu
        if clause is not None and _moves(a, clause):
            moved_to.add(match.name_fi)
        names[match.name_fi] = t0
    if len(names) == 1:
        return next(iter(names))
    if len(moved_to) == 1:
        return moved_to.pop()  # the new home, whatever was done in the old one
    # Several places: the one the question itself names ("... Oulussa ... Kuka tätä Kempeleessä hoitaa?")
    if not a.sentences:
        return None
    question = next((s for s in reversed(a.sentences) if s.question_mark), a.sentences[-1])
    asked = {name for name, t0 in names.items() if question.start <= t0 < question.end}
    return asked.pop() if len(asked) == 1 else None
