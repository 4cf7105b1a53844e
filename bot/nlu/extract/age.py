"""Reading the writer's age: a number with an age cue.

"olen 45v", "45-vuotias", "jag är 30 år", "I'm 45 years old", "ikäni on 63", or a bare
number as the whole reply ("45"). Numbers that are something else are left alone: phone
numbers and postcodes, ranges ("45 - 50"), times ("klo 9"), durations ("2 vuotta
sitten", "20 years of experience", "olen ollut työtön 3 vuotta"), other units ("24
kuukautta", "45 minutes") and past ages ("olin 45"). The words are in the word files
(``age:`` in bot/nlu/words/<lang>.yml); the strength of a cue decides the range accepted.
"""
from __future__ import annotations

import re
from functools import partial

from bot.nlu.extract.analysis import Analysis, Clause, Token
from bot.nlu.extract.judge import Candidate, suppressed
from bot.nlu.extract.patterns import BIT as _BIT
from bot.nlu.extract.patterns import KIND_CHAR, tolerant
from bot.nlu.extract.rules import ATTR
from bot.nlu.extract.words import LANGUAGES, WORDS

_AGE_NUMBER = re.compile(r"(\d{1,3})(?:-?([^\d\W]+[./]?[^\d\W]*\.?))?")


def _union(key: str) -> frozenset[str]:
    return frozenset(word for lang in LANGUAGES for word in WORDS[lang].age[key])


# Units and cues of any language count in every language: residents mix them ("45 år" in
# a Finnish conversation), and what they exclude is never an age in any of them.
_AGE_SUFFIX_STRONG = _union("glued_strong")  # "45-vuotias", "30-åring", "45yo"
# "45år", "45y" in any language; Finnish "45v" only when read as Finnish (v = vecka, week)
_AGE_SUFFIX_WEAK = {lang: frozenset(WORDS[lang].age["glued_weak"]) | frozenset(
    word for other in LANGUAGES if other != "fi" for word in WORDS[other].age["glued_weak"]) for lang in LANGUAGES}
_AGE_COPULA = {lang: WORDS[lang].age["copula"] for lang in LANGUAGES}
_AGE_COPULA_PERSON = {lang: WORDS[lang].age["copula_person"] for lang in LANGUAGES}
_AGE_YEARS = {lang: WORDS[lang].age["years"] for lang in LANGUAGES}
_AGE_YEARS_ABBREVIATED = {lang: WORDS[lang].age["years_abbreviated"] for lang in LANGUAGES}
_AGE_OLD = _union("old")
_AGE_STRONG_WORD = _union("strong_words")
_AGE_LINK = _union("link") | {":", "="}
_NON_AGE_UNITS = _union("non_age_units")
_AGE_AFTER_REJECT = _union("after_reject")
_AGE_PRE_REJECT = _union("pre_reject")
_ADV = KIND_CHAR["ADV"]
# "kolmekymppinen", "i trettioårsåldern", "in my thirties": the decade's first year
_DECADES = {lang: [(decade, re.compile(tolerant(pattern))) for decade, pattern in WORDS[lang].decades]
            for lang in LANGUAGES}
_DECADES_NEED = {lang: WORDS[lang].age["decades_need"] for lang in LANGUAGES}


def _decade_candidates(a: Analysis, rank: int) -> list[Candidate]:
    out = []
    need = _DECADES_NEED[a.lang]
    for i, tok in enumerate(a.tokens):
        for decade, pattern in _DECADES[a.lang]:
            if not pattern.fullmatch(tok.low):
                continue
            clause = a.clause_at(i)
            if clause is None or (need and not any(t.low in need for t in a.tokens[max(clause.start, i - 3):i])):
                break
            if any(t.flags & _BIT["PAST"] for t in a.tokens[clause.start:i]):
                break
            value = None if suppressed(a, clause, i, ATTR) else str(decade)
            out.append(Candidate("age", value, tok.start, tok.end, rank, -1))
            break
    return out


def _low_in(clause: Clause, toks: list[Token], k: int) -> str:
    """The lower-case word at ``k`` when it is in ``clause``, else ""."""
    return toks[k].low if clause.start <= k < clause.end else ""


def age_candidates(a: Analysis, rank: int) -> list[Candidate]:
    out = _decade_candidates(a, rank)
    toks = a.tokens
    lang = a.lang
    for i, tok in enumerate(toks):
        m = _AGE_NUMBER.fullmatch(tok.low)
        if not m:
            continue
        digits, suffix = m.group(1), (m.group(2) or "")
        if len(digits) > 1 and digits[0] == "0":
            continue  # postcodes, phone numbers
        clause = a.clause_at(i)
        if clause is None:
            continue
        n = int(digits)
        span_end = i + 1

        low = partial(_low_in, clause, toks)

        def is_number(k: int) -> bool:
            return 0 <= k < len(toks) and any(ch.isdigit() for ch in toks[k].text)

        if is_number(i - 1) or is_number(i + 1) or low(i - 1) in _AGE_PRE_REJECT:
            continue  # "040 123 4567", "45 - 50", "klo 9"
        strength = None  # "strong" (unit says age), "weak" (Nv), "years" (N years: age or span)
        if suffix:
            if suffix in _AGE_SUFFIX_STRONG:
                strength = "strong"
            elif suffix in _AGE_SUFFIX_WEAK[lang]:
                strength = "weak"
            else:
                continue  # "45-vuotiaana" (at 45), "3kk", "45min"
        nxt = low(i + 1)
        if not suffix:
            if nxt in _NON_AGE_UNITS:
                continue
            if nxt in _AGE_STRONG_WORD:
                strength, span_end = "strong", i + 2
            elif nxt == "-" and low(i + 2) == "year" and low(i + 3) == "-" and low(i + 4) == "old":
                strength, span_end = "strong", i + 5
            elif nxt in _AGE_YEARS[lang]:
                after = low(i + 2)
                if after in _AGE_OLD or (after == "-" and low(i + 3) in _AGE_OLD):
                    strength, span_end = "strong", i + (3 if after in _AGE_OLD else 4)
                elif nxt in _AGE_YEARS_ABBREVIATED[lang]:
                    strength, span_end = "weak", i + 2
                else:
                    strength, span_end = "years", i + 2
        if low(span_end) in _AGE_AFTER_REJECT:
            continue  # "2 vuotta sitten", "20 years of experience"
        # cues before the number (adverbs like "nyt", "now", "redan" may intervene)
        k = i - 1
        while k >= clause.start and toks[k].kind == _ADV:
            k -= 1
        before = low(k)
        copula = (before in _AGE_COPULA[lang] or (a.about_the_person and before in _AGE_COPULA_PERSON[lang])) \
            and (lang != "sv" or clause.self_subject)
        pre = clause.start <= k and bool(toks[k].flags & _BIT["AGE_PRE"])
        if not pre and before in _AGE_LINK and clause.start <= k - 1:
            pre = bool(toks[k - 1].flags & _BIT["AGE_PRE"])  # "ikäni on 45", "my age is 45"
        duration = any(t.flags & _BIT["DURATION"] for t in toks[max(clause.start, i - 3):i])
        past = any(t.flags & _BIT["PAST"] for t in toks[clause.start:i])
        if past:
            continue
        lone = a.words == 1 or (a.words == 2 and strength == "weak" and span_end == i + 2)
        # "Espoo, 27", "Helsinki, 45": a number that is a whole clause of a short reply
        listed = a.short and clause.end - clause.start == 1 and len(a.clauses) > 1
        # "Borgå, 55 år, arbetslös ...", "Oulu, 58, unemployed ...", "vantaa. 40. unemployed":
        # the number (with its unit) is a whole item of a list of facts separated by commas
        # or full stops, in a message of any length
        item = (clause.end - clause.start == span_end - i and len(a.clauses) > 1
                and any(0 <= k < len(toks) and toks[k].text in (",", ".")
                        for k in (clause.start - 1, clause.end)))
        if strength == "strong" or pre:
            ok = 0 < n <= 120
        elif copula:
            ok = 15 <= n <= 99
        elif strength == "weak":
            ok = 15 <= n <= 99 and not duration
        elif strength == "years":
            ok = 15 <= n <= 99 and not duration and (a.short or item)
        else:
            # the whole message is a number (a reply to "how old are you?"), or an item of a list
            ok = (lone or listed or item) and 15 <= n <= 99
        if not ok:
            continue
        value = None if suppressed(a, clause, i, ATTR) else str(n)
        out.append(Candidate("age", value, tok.start, toks[span_end - 1].end, rank, -1))
    return out
