"""Judging a match: is it a statement the writer makes about themselves, and is it negated?

A rule's match (bot/nlu/extract/rules.py) becomes a fact only if the clause is not a
question or a hypothetical, no hedge ("ehkä", "en tiedä", "I think") or wish/need
("haluan", "I need", "jag behöver") and no past tense ("olin", "I was", "minulla oli")
comes before it, and it is about the writer (a first-person word in the sentence, or a
short reply of at most ``SHORT_MESSAGE_WORDS`` words) and not about someone else
("poikani", "my son", "hon") or people in general ("ihmiset", "people", "man").
Possession facts (referral, plan) need a possession cue near the word ("minulla on", "I
have", "jag har", "sain", "teki", "my ...", "lähetteeni") unless negated; ``client_of``
needs a cue anywhere in the clause ("olen ... asiakas", "my social worker", "ohjasi
minut", "I see"). Negation: a negative verb or adverb up to ``NEG_WINDOW`` tokens before
the match (en/ei/inte/not/n't/never), a negative determiner or "without" right before it
(ilman/ingen/utan/no/without), or, for a topicalised word at the start of the clause,
right after it ("lähetettä ei ole"). Finnish abessive forms ("lähetteettä") are their
own kind.

Precision comes before recall: a wrong fact is worse than a missing one, because the
assistant asks anyway when it does not know. So when in doubt a rule says nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlu.extract.analysis import Analysis, Clause, Sentence
from bot.nlu.extract.patterns import BIT as _BIT
from bot.nlu.extract.rules import ATTR, CLIENT, CRIME_MENTION, REFERRAL_SOURCE, RULE_INDEX, CompiledRule

NEG_WINDOW = 6  # tokens before a match in which "en/ei/not/inte" negates it
NEG_DET_WINDOW = 2  # "ilman lähetettä", "no activation plan", "ingen remiss"


@dataclass
class Candidate:
    entity: str
    value: str | None
    start: int
    end: int
    rank: int  # language rank; lower wins overlaps
    order: int  # rule order; lower wins ties
    priority: int = 1  # municipality: residence 2, neutral 1, work/birth 0
    negated: bool = False  # the language read a negation here (see _select)

    @property
    def length(self) -> int:
        return self.end - self.start


def is_negated(a: Analysis, clause: Clause, h0: int, h1: int) -> bool:
    toks = a.tokens
    for i in range(max(clause.start, h0 - NEG_WINDOW), h1):
        if toks[i].flags & _BIT["NEG"]:
            return True
    for i in range(max(clause.start, h0 - NEG_DET_WINDOW), h0):
        f = toks[i].flags
        if f & _BIT["NEG_DET"] and not (f & _BIT["CONTRAST_IF_NEG"] and clause.neg and _neg_before(a, clause, i)):
            return True
    # a topicalised word: "lähetettä ei ole", "remiss har jag inte"; a number between is a
    # fact of its own, and the negation is about what follows it ("kuopio 23v en oo opiskelija")
    lead = clause.start + (1 if toks[clause.start].flags & (_BIT["AND"] | _BIT["BUT"]) else 0)
    if h0 <= lead:
        for i in range(h1, min(clause.end, h1 + 3)):
            if any(ch.isdigit() for ch in toks[i].text):
                break
            if toks[i].flags & _BIT["NEG"]:
                return True
    # Swedish verb-second: "jag jobbar inte"
    if a.lang == "sv" and h1 < clause.end and toks[h1].flags & _BIT["NEG"]:
        return True
    return False


def _negates_how_long(a: Analysis, clause: Clause, h1: int) -> bool:
    """A negation that is about how long, not about the fact: "en ole ollut työtön kauan"
    (unemployed, but not for long). Not when the clause has no negation word, only a
    negative fact ("utan jobb länge", "ilman töitä pitkään": for a long time without a job),
    nor when the long word says since when: "en ole ollut töissä pitkään aikaan", "jag har
    inte jobbat på länge", "I haven't worked in a long time" (SCOPE_SINCE: the word before
    "länge" in Swedish, the word after the long word in Finnish and English)."""
    toks = a.tokens
    if not any(t.flags & _BIT["NEG"] for t in toks[clause.start:clause.end]):
        return False
    for i in range(h1, clause.end):
        if toks[i].flags & _BIT["SCOPE_LONG"]:
            since = i - 1 if a.lang == "sv" else i + 1
            if not (clause.start <= since < clause.end and toks[since].flags & _BIT["SCOPE_SINCE"]):
                return True
    return False


def _neg_before(a: Analysis, clause: Clause, index: int) -> bool:
    return any(t.flags & _BIT["NEG"] for t in a.tokens[a.sentences[clause.sentence].start:index])


def _has_cue(a: Analysis, clause: Clause, h0: int, h1: int, mask: int, window: int) -> bool:
    toks = a.tokens
    for i in range(h0 - 1, max(clause.start, h0 - 1 - window) - 1, -1):
        if toks[i].flags & _BIT["BLOCK"]:
            break
        if toks[i].flags & mask:
            return True
    for i in range(h0, h1):
        if toks[i].flags & mask:
            return True
    for i in range(h1, min(clause.end, h1 + 3)):
        if toks[i].flags & _BIT["BLOCK"]:
            break
        if toks[i].flags & mask:
            return True
    return clause.inherited_have and bool(mask & _BIT["HAVE"])


def _modal_before(a: Analysis, clause: Clause, h0: int) -> bool:
    """A wish, need or hedge before the match: "haluan lähetteen", "I think I have a
    referral", "en tiedä onko...". After it, it is about something else: "my social
    worker said I could apply"."""
    if clause.inherited_modal:
        return True
    flags = 0
    for t in a.tokens[clause.start:h0]:
        flags |= t.flags
    return bool(flags & (_BIT["MODAL"] | _BIT["HEDGE"])) or bool(
        flags & _BIT["HEDGE_IF_NEG"] and flags & _BIT["NEG"]
    )


def suppressed(a: Analysis, clause: Clause, h0: int, scope: str) -> bool:
    """Context in which nothing said is a statement about the writer."""
    if clause.question or clause.hypothetical or clause.generic:
        return True
    if _modal_before(a, clause, h0):
        return True
    sentence = a.sentences[clause.sentence]
    # someone else mentioned in or before this sentence: "Poikani. 22v, työtön" is the son's
    # list, but in "34v mies, työttömänä pari vuotta. Kaveri sano et..." the list comes first
    others_so_far = a.first_other is not None and a.first_other < sentence.end
    if not (sentence.has_fp or a.short or _introduces_the_writer(a, sentence, others_so_far)
            or (sentence.short and not others_so_far)
            or (sentence.fact_list and not others_so_far)):
        # a longer message must say "I"; a short sentence in it ("52 years old, Lahti, no
        # job") or a list of short facts ("Oulu, 58, unemployed long time, bad knees") is
        # a reply too unless someone else is mentioned before or in it
        return True
    if clause.other and (scope == ATTR or not clause.self_subject):
        # "poikani on työtön"; but "hän teki minulle lähetteen" is about the writer
        return True
    return False


#: How writers introduce themselves without "I": "34v mies, työtön...", "46-vuotias nainen",
#: "kvinna 52", "male, 40", "Kotkassa asuva 29v mies": an age next to "man" or "woman"
#: (``self_nouns`` in the language's word file) among the first words of a sentence; the
#: forum shorthand "29F", "M35" is both at once.
_SELF_INTRO_AGE = re.compile(r"\d{2}(-?v\.?|-?vuotias|-?åring|-?aring|yo)?", re.IGNORECASE)
_SELF_INTRO_SHORTHAND = re.compile(r"\d{2}[fm]|[fm]\d{2}", re.IGNORECASE)
#: How many words at a sentence's start may hold the introduction ("Kotkassa asuva 29v mies").
SELF_INTRO_WORDS = 4


def _introduces_the_writer(a: Analysis, sentence: Sentence, others_so_far: bool) -> bool:
    """Does the sentence begin with the writer's own age and "man" or "woman", or with an age
    cue and the number ("Ikää 38, masennus on parempi kuin vuosi sitten", "Age 52, ..."), before
    anyone else is mentioned? It is the writer's description of themselves."""
    if others_so_far:
        return False
    tokens = [t for t in a.tokens[sentence.start:sentence.end] if t.is_word][:SELF_INTRO_WORDS]
    words = [t.low for t in tokens]
    if len(tokens) >= 2 and tokens[0].flags & _BIT["AGE_PRE"] and _SELF_INTRO_AGE.fullmatch(words[1]):
        return True
    if any(_SELF_INTRO_SHORTHAND.fullmatch(w) for w in words):
        return True
    return any(_SELF_INTRO_AGE.fullmatch(w) for w in words) and any(w in a.vocab.self_nouns for w in words)


#: How many tokens before a word a negation denies it ("en oo opiskelija", "inte student").
DENIAL_WINDOW = 2


def _denied(toks: list, index: int, start: int) -> bool:
    """Is the token at ``index`` denied by a negation just before it (``DENIAL_WINDOW``)?"""
    return any(toks[i].flags & _BIT["NEG"] for i in range(max(start, index - DENIAL_WINDOW), index))


def past_before(a: Analysis, clause: Clause, h0: int) -> bool:
    return any(t.flags & _BIT["PAST"] for t in a.tokens[clause.start:h0])


def _referral_source(a: Analysis, clause: Clause, mentions: set[str]) -> str | None:
    """Who made the referral: social welfare unless the Criminal Sanctions Agency is named.

    A referral to these services is made by a social welfare professional, so a plain
    "I have a referral" means social welfare. A referral from employment services is
    none of the values, so it gives no fact.
    """
    sentence = a.sentences[clause.sentence]
    kinds = "".join(t.kind for t in a.tokens[sentence.start:sentence.end])
    crime = bool(CRIME_MENTION.search(kinds))
    social = "social_services" in mentions
    if crime:
        return None if social else "criminal_sanctions"
    if "employment_services" in mentions and not social:
        return None
    return "social_welfare"


def rule_candidates(a: Analysis, rank: int) -> list[Candidate]:
    out: list[Candidate] = []
    index = RULE_INDEX[a.lang]
    toks = a.tokens
    for clause in a.clauses:
        matches = []
        mentions: set[str] = set()
        rules = {compiled for char in set(clause.kinds) for compiled in index.get(char, ())}
        for compiled in sorted(rules, key=lambda r: r.order):
            for m in compiled.regex.finditer(clause.kinds):
                if m.end("head") == m.start("head"):
                    continue
                matches.append((compiled, m.start("head") + clause.start, m.end("head") + clause.start))
                if compiled.rule.entity == "client_of" and compiled.rule.value:
                    mentions.add(compiled.rule.value)
        for compiled, h0, h1 in matches:
            value, negated = _judge(a, clause, compiled, h0, h1, mentions)
            if value is None and not negated and not compiled.rule.claims:
                continue  # e.g. a plain "plan" that only says something when negated ("no plan")
            out.append(Candidate(compiled.rule.entity, value, toks[h0].start, toks[h1 - 1].end, rank,
                                  compiled.order, negated=negated))
    return out


def _judge(a: Analysis, clause: Clause, compiled: CompiledRule, h0: int, h1: int,
           mentions: set[str]) -> tuple[str | None, bool]:
    """(value or None, whether a negation was read) for one match."""
    rule = compiled.rule
    toks = a.tokens
    if h1 < clause.end and toks[h1].flags & _BIT["BLOCK_AFTER"]:
        return None, False  # "I'm sick of", "job interview"
    if suppressed(a, clause, h0, rule.scope):
        return None, False
    sentence = a.sentences[clause.sentence]
    if compiled.context and not any(t.kind in compiled.context for t in toks[sentence.start:h0]):
        return None, False
    if compiled.unless and any(t.kind in compiled.unless and not _denied(toks, i, sentence.start)
                               for i, t in enumerate(toks[sentence.start:sentence.end], sentence.start)):
        # "en ole töissä, opiskelen": not working, but not unemployed either; "en oo opiskelija enkä
        # oo töissä" denies the studies, and says the writer is unemployed
        return None, False
    if not rule.past_ok and past_before(a, clause, h0) and not (
        rule.scope == CLIENT and any(t.flags & _BIT["POSS"] for t in toks[max(clause.start, h0 - 1):h1])
    ):
        return None, False  # "olin työtön", "I was unemployed"; but "...by my social worker" is still mine
    if rule.entity == "unemployed" and any(t.flags & _BIT["FUTURE"] for t in toks[clause.start:h0]):
        # "olen jäämässä työttömäksi", "jag blir arbetslös i maj": not yet. Only unemployment:
        # "jag blir lätt sjuk" is how the writer's health is now.
        return None, False
    negated = rule.negatable and is_negated(a, clause, h0, h1)
    if negated:
        if _negates_how_long(a, clause, h1):
            return None, True  # "en ole ollut työtön kauan"
        if compiled.neg_cue_mask and not _has_cue(a, clause, h0, h1, compiled.neg_cue_mask, rule.window):
            return None, True  # "enkä jaksa töitä" is not "I have no job"
        value = rule.negated
    else:
        if rule.negatable and clause.inherited_neg:
            return None, True  # "en ole työtön ja vammainen": ambiguous
        if compiled.cue_mask or rule.cue:
            if not _has_cue(a, clause, h0, h1, compiled.cue_mask, rule.window):
                return None, False
        value = rule.value
    if value == REFERRAL_SOURCE:
        value = _referral_source(a, clause, mentions)
    return value, negated
