"""Reading the writer's home municipality.

The gazetteer (:func:`bot.municipalities.find_municipalities`) finds every municipality
name in the text in any inflected, Swedish or demonym form; this module decides which
mention is the writer's home using the clause analysis: a residence cue ("asun", "bor",
"live", "-lainen") makes it a strong candidate, a work or origin cue ("töissä", "work
in", "kotoisin") a weak one, and a negated, past, questioned or someone else's mention
("en asu Espoossa", "asuin Espoossa", "onko Espoossa...?") gives no fact.
"""
from __future__ import annotations

import re
from typing import Optional

from bot.municipalities import find_municipalities
from bot.nlu.extract.analysis import Analysis
from bot.nlu.extract.judge import Candidate, is_negated, past_before, suppressed
from bot.nlu.extract.patterns import BIT as _BIT
from bot.nlu.extract.rules import ATTR
from bot.nlu.extract.words import LANGUAGES, WORDS

# Names that are also everyday words ("salo" grove, "lahti" bay, "sund" healthy): written
# in lower case they count only with a residence cue or as a short reply.
_WORDLIKE_MUNICIPALITIES = frozenset(name for lang in LANGUAGES for name in WORDS[lang].wordlike_municipalities)
# "helsinkiläinen", "esbobo": an inhabitant name is a residence cue
_DEMONYM = re.compile("|".join(f"(?:{WORDS[lang].demonym})" for lang in LANGUAGES if WORDS[lang].demonym),
                      re.IGNORECASE)


def municipality_candidates(a: Analysis, text: str, rank: int) -> list[Candidate]:
    out = []
    for match in find_municipalities(text):
        t0, t1 = a.token_range(match.start, match.end)
        if t0 < 0:
            continue
        clause = a.clause_at(t0)
        if clause is None:
            continue
        toks = a.tokens[clause.start:clause.end]
        residence = any(t.flags & _BIT["RESIDENCE"] for t in toks) or bool(_DEMONYM.search(match.text))
        work = any(t.flags & _BIT["ELSEWHERE"] for t in toks)
        priority = 2 if residence else (0 if work else 1)
        value: Optional[str] = match.name_fi
        if suppressed(a, clause, t0, ATTR) or past_before(a, clause, t0) or is_negated(a, clause, t0, t1):
            value = None  # "en asu Espoossa", "not in Espoo", "Onko Espoossa ...?"
        elif match.name_fi in _WORDLIKE_MUNICIPALITIES and match.text[:1].islower() and not (
            residence or a.words <= 2
        ):
            value = None  # "jag är frisk och sund"
        # municipality spans lose overlaps against rule matches (order 1000)
        out.append(Candidate("municipality", value, match.start, match.end, rank, 1000, priority))
    return out
