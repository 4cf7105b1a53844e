"""Reading a message in one language: tokens, their kinds and flags, sentences, clauses.

1. **Tokens.** spaCy's blank pipeline for the language splits the text (its tokenizer
   exceptions keep "esim.", "t.ex.", "TYP:n" whole and split "I'm", "don't"); token
   offsets give the facts' spans (bot/nlu/spacy_text.py, cached per chunk).
2. **Word classes.** Each token gets at most one *kind* and a set of *flags* from the
   language's word file (bot/nlu/words/<lang>.yml): kinds are regular expressions tried on
   the lower-case surface form first and then on its simplemma lemma (so "lähetteen",
   "työttömänä", "remissen" match their base forms); flags are word lists. Results are
   cached per word.
3. **Clauses.** Sentences (. ! ? and line breaks) are split into clauses at commas and at
   conjunctions (ja/mutta/vaan/koska, och/men, and/but/because...). Negation, questions
   and hypotheticals are judged per clause. An interrogative word (mikä, vad, what...), a
   condition word (jos, om, if...) or a Finnish -ko question word starts a new clause, so
   "I don't know what a referral is" keeps "what a referral is" apart. A clause without a
   predicate of its own after "ja"/"and"/a comma ("mä oon 52 ja työtön", "I'm 45,
   unemployed") shares the previous clause's negation, mood and subject.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from bot.nlu import spacy_text
from bot.nlu.extract.patterns import BIT as _BIT
from bot.nlu.extract.patterns import CASED_RE, FLAG_TABLES, KIND_CHAR, KIND_RE, fold, kind_group, kind_of
from bot.nlu.extract.words import LANGUAGES, WORDS
from bot.nlu.lemmas import lemma as _lemma

# A message with at most this many words counts as a reply to the assistant's question
# ("Helsinki", "ei oo lähetettä", "terveys ei vaikuta työkykyyn"): it is about the writer
# even without "minä"/"jag"/"I". Longer messages need a first-person word.
SHORT_MESSAGE_WORDS = 6
#: The longest item of a list of facts ("utan jobb i fyra år" is five words).
FACT_ITEM_WORDS = 5

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "´": "'", "`": "'"})
_SENTENCE_END = re.compile(r"[.!?…]+")  # line breaks end sentences too (see _spacy_tokens)
_CLAUSE_PUNCT = frozenset(",;:()\"“”«»–—/")
_QUESTION_WORD = {lang: re.compile(WORDS[lang].question_pattern) if WORDS[lang].question_pattern else None
                  for lang in LANGUAGES}

# Kinds that make a clause a predicate of its own (see Clause.elliptic).
_PREDICATE_KINDS = frozenset(
    KIND_CHAR[k] for k in ("BE", "FP_SUBJECT", "AFFECT", "WORK_VERB", "EMPLOYED") if k in KIND_CHAR
)
_PREDICATE_FLAGS = 0
for _name in ("FP", "HAVE", "NEG", "NEG_DET", "CLIENT_CUE", "MODAL", "RECEIVE", "RESIDENCE", "PAST", "HYPO",
              "QWORD", "HEDGE"):
    _PREDICATE_FLAGS |= _BIT[_name]
SELF_FLAGS = _BIT["FP"] | _BIT["FP_OBJ"] | _BIT["POSS"]
_SUBJECT_KINDS = frozenset(KIND_CHAR[k] for k in ("FP_SUBJECT", "IT"))
_BE = KIND_CHAR["BE"]
_CHUNK = re.compile(r"\S+")


def _spacy_tokens(text: str, lang: str) -> Iterable[tuple[str, int, bool]]:
    """(token text, offset, starts a new line) for a message."""
    previous_end = 0
    for chunk in _CHUNK.finditer(text):
        newline = "\n" in text[previous_end:chunk.start()] and previous_end > 0
        for i, (token, offset) in enumerate(spacy_text.split_chunk_cached(chunk.group(), lang)):
            yield token, chunk.start() + offset, newline and i == 0
        previous_end = chunk.end()


@lru_cache(maxsize=100_000)
def _annotate(surface: str, lang: str) -> tuple[str, int, str, bool]:
    """(kind character, flag bits, lower-case form, is a word) of one token in one language."""
    words = WORDS[lang]
    low = surface.translate(_APOSTROPHES).lower()
    lemma = _lemma(low, lang)
    kind = "."
    cased = CASED_RE[lang]
    match = cased.fullmatch(surface) if cased else None
    if match is None:
        match = KIND_RE[lang].fullmatch(low)
        if match is None and lemma != low:
            match = KIND_RE[lang].fullmatch(lemma)
    if match is not None:
        kind = KIND_CHAR[kind_of(match)]

    exact, folded, lemma_flags = FLAG_TABLES[lang]
    flags = exact.get(low)
    if flags is None:
        flags = folded.get(low, 0) if fold(low) == low else 0
    flags |= lemma_flags.get(lemma, 0)
    if lang == "fi" and len(low) > 4 and low.endswith("ni"):
        # possessive suffix: "lähetteeni" (my referral), "poikani" (my son, which
        # simplemma leaves unlemmatised)
        stem = low[:-2]
        stem_lemma = _lemma(stem, lang)
        spouse = stem_lemma in words.spouse_stems or stem in words.spouse_stems
        if lemma_flags.get(stem) or lemma_flags.get(stem_lemma) or spouse:
            flags |= _BIT["OTHER"] | _BIT["PERSON"]  # "mieheni" = my husband, though "mies" alone is just "a man"
        elif lemma != low and not lemma.endswith("ni"):
            flags |= _BIT["POSS"] | _BIT["FP"]
    if kind == KIND_CHAR["CLIENT"]:
        flags |= _BIT["CLIENT_CUE"]
    elif "-" in low.strip("-"):
        # "TYP-asiakas", "TYP-kund": the compound's last part says "client"
        last = KIND_RE[lang].fullmatch(low.rsplit("-", 1)[1])
        if last is not None and kind_group(last).endswith("_CLIENT"):
            flags |= _BIT["CLIENT_CUE"]
    if _SENTENCE_END.fullmatch(surface):
        flags |= _BIT["SENTENCE_END"]
    elif surface in _CLAUSE_PUNCT:
        flags |= _BIT["CLAUSE_PUNCT"]
    question_word = _QUESTION_WORD[lang]
    if question_word is not None and question_word.fullmatch(low) and low not in words.not_question:
        flags |= _BIT["FI_QUESTION"]  # "onko", "tarvitsenko", "voiks"
    if lang == "fi" and flags & _BIT["NEG"] and low.endswith(("kä", "ka")):
        flags |= _BIT["NEG_AND"]  # "enkä", "eikä": "and not" begins a new clause
    if flags & (_BIT["FP"] | _BIT["FP_OBJ"]) and not flags & _BIT["POSS"] or kind == KIND_CHAR["FP_SUBJECT"]:
        flags |= _BIT["SELF"]  # the writer as subject or object (not just "my")
    if flags & _PREDICATE_FLAGS or kind in _PREDICATE_KINDS:
        flags |= _BIT["PREDICATE"]
    return kind, flags, low, any(ch.isalnum() for ch in low)


class Token:
    __slots__ = ("text", "low", "start", "end", "kind", "flags", "index", "is_word")

    def __init__(self, text: str, start: int, index: int, lang: str) -> None:
        self.kind, self.flags, self.low, self.is_word = _annotate(text, lang)
        self.text = text
        self.start = start
        self.end = start + len(text)
        self.index = index


class Clause:
    __slots__ = ("start", "end", "sentence", "kinds", "flags", "question", "hypothetical", "other",
                 "generic", "neg", "elliptic", "inherited_neg", "inherited_have", "inherited_modal",
                 "self_subject")

    def __init__(self, start: int, end: int, sentence: int) -> None:
        self.start, self.end, self.sentence = start, end, sentence
        self.question = self.hypothetical = False
        self.other = self.generic = self.neg = self.elliptic = False
        self.inherited_neg = self.inherited_have = self.inherited_modal = False
        self.self_subject = False
        self.kinds = ""
        self.flags = 0


class Sentence:
    __slots__ = ("start", "end", "has_fp", "question_mark", "short", "fact_list")

    def __init__(self, start: int, end: int, has_fp: bool, question_mark: bool, short: bool = False) -> None:
        self.start, self.end, self.has_fp, self.question_mark = start, end, has_fp, question_mark
        self.short = short  # at most SHORT_MESSAGE_WORDS words
        # at least three comma-separated items of at most FACT_ITEM_WORDS words each ("Oulu,
        # 58, unemployed long time, bad knees"; "helsingfors, 58 år, utan jobb i fyra år,
        # hälsan e ok"): a reply listing facts, like a short sentence
        self.fact_list = False


_WRITER_FLAGS = _BIT["FP"] | _BIT["FP_OBJ"] | _BIT["POSS"] | _BIT["SELF"]


def _as_the_person(flags: int) -> int:
    """A token's flags when the message is read as about the person it is written for: that
    person ("poikani", "hän", "my son", "he") is the one the facts are about, and the writer
    ("minä", "I") someone else; the writer's "my" ("min son") is neither."""
    if flags & _BIT["OTHER"]:
        return (flags & ~(_BIT["OTHER"] | _BIT["PERSON"])) | _BIT["FP"] | _BIT["SELF"]
    if flags & _WRITER_FLAGS:
        return (flags & ~_WRITER_FLAGS) | (0 if flags & _BIT["POSS"] else _BIT["OTHER"])
    return flags


class Analysis:
    """One message read in one language: tokens, sentences, clauses. ``about_the_person``:
    read it as about the close person it is written for (bot.nlu.extract.facts_about_someone_else)."""

    def __init__(self, text: str, lang: str, about_the_person: bool = False) -> None:
        self.lang = lang
        self.vocab = WORDS[lang]  # the language's word lists
        self.tokens: list[Token] = []
        self.breaks: set[int] = set()  # token indices that start a sentence (a new line)
        for token, offset, newline in _spacy_tokens(text, lang):
            if newline:
                self.breaks.add(len(self.tokens))
            self.tokens.append(Token(token, offset, len(self.tokens), lang))
        # "mun mies", "min man": after "my", the word for a man or a woman is a spouse, a
        # close person (spouse_stems in the word files), not the writer or people in general
        for prev, tok in zip(self.tokens, self.tokens[1:]):
            if prev.flags & _BIT["POSS"] and tok.low in self.vocab.spouse_stems:
                tok.flags = (tok.flags & ~_BIT["GENERIC"]) | _BIT["OTHER"] | _BIT["PERSON"]
        # "ja han är arbetslös": before "he" or "she", Finland-Swedish "ja" is "yes", not "I"
        for prev, tok in zip(self.tokens, self.tokens[1:]):
            if prev.low in self.vocab.yes_before_other and tok.flags & _BIT["OTHER"]:
                prev.flags &= ~_WRITER_FLAGS
        self.about_the_person = about_the_person
        if about_the_person:
            for tok in self.tokens:
                tok.flags = _as_the_person(tok.flags)
        # "I haven't had a job": a past form after "have"/"has" (perhaps with a negation
        # between) is a present perfect, a state that still holds, not a past one
        past, perfect = _BIT["PAST"], _BIT["PERFECT_AUX"]
        for i, tok in enumerate(self.tokens):
            if tok.flags & past and any(t.flags & perfect for t in self.tokens[max(0, i - 2):i]):
                tok.flags &= ~past
        self.words = sum(1 for t in self.tokens if t.is_word)
        self.short = self.words <= SHORT_MESSAGE_WORDS
        # someone else or people in general anywhere in the message, and where first (see
        # judge.suppressed)
        self.first_other = next((t.index for t in self.tokens if t.flags & (_BIT["OTHER"] | _BIT["GENERIC"])), None)
        self.mentions_others = self.first_other is not None
        self.sentences: list[Sentence] = []
        self.clauses: list[Clause] = []
        self._segment()

    # --- segmentation ---------------------------------------------------------------

    def _segment(self) -> None:
        toks = self.tokens
        start = 0
        for i, tok in enumerate(toks):
            if i in self.breaks and i > start:
                self._sentence(start, i)
                start = i
            if tok.flags & _BIT["SENTENCE_END"]:
                self._sentence(start, i + 1)
                start = i + 1
        if start < len(toks):
            self._sentence(start, len(toks))

    def _sentence(self, start: int, end: int) -> None:
        toks = self.tokens
        s_index = len(self.sentences)
        all_flags = 0
        for t in toks[start:end]:
            all_flags |= t.flags
        has_fp = bool(all_flags & (SELF_FLAGS | _BIT["SELF"]))
        if (self.about_the_person and not has_fp and not all_flags & (_BIT["OTHER"] | _BIT["GENERIC"])
                and any(s.has_fp for s in self.sentences)):
            # "Poikani on 22. Jäi koulusta pois ja on ollut työttömänä vuoden.": a sentence with
            # no subject of its own goes on about the person named before
            has_fp = True
        question_mark = any("?" in t.text for t in toks[start:end] if t.flags & _BIT["SENTENCE_END"])
        short = sum(1 for t in toks[start:end] if t.is_word) <= SHORT_MESSAGE_WORDS
        sentence = Sentence(start, end, has_fp, question_mark, short)
        self.sentences.append(sentence)

        # clause boundaries
        bounds = [start]
        seen_neg = False
        for i in range(start, end):
            tok = toks[i]
            f = tok.flags
            prev_hyphen = i > start and toks[i - 1].text.endswith("-") and len(toks[i - 1].text) > 1
            starts = False
            if f & (_BIT["CLAUSE_PUNCT"] | _BIT["SENTENCE_END"]):
                bounds.append(i + 1)
                continue
            if f & (_BIT["AND"] | _BIT["BUT"]) and not prev_hyphen:
                # "because of" is a preposition; "sick and tired" an idiom
                starts = not (i + 1 < end and (tok.low, toks[i + 1].low) in self.vocab.not_a_conjunction)
            elif f & _BIT["CONTRAST_IF_NEG"] and seen_neg:
                starts = True
            elif f & (_BIT["QWORD"] | _BIT["HYPO"]):
                starts = True
            elif f & (_BIT["FI_QUESTION"] | _BIT["NEG_AND"]):
                starts = True
            if starts and i > bounds[-1]:
                bounds.append(i)
            if f & _BIT["NEG"]:
                seen_neg = True
        bounds.append(end)
        bounds = sorted(set(b for b in bounds if start <= b <= end))

        ranges = []
        for a, b in zip(bounds, bounds[1:]):
            # drop punctuation at the edges
            while a < b and toks[a].flags & _BIT["CLAUSE_PUNCT"]:
                a += 1
            while b > a and toks[b - 1].flags & (_BIT["CLAUSE_PUNCT"] | _BIT["SENTENCE_END"]):
                b -= 1
            if a < b:
                ranges.append((a, b, self._subjectless_first_person(a, b)))
        # "bor i Esbo, är 45 och arbetslös", "live in Espoo": the writer without "jag"/"I"
        sentence.has_fp = sentence.has_fp or any(fp for _, _, fp in ranges)
        previous: Clause | None = None
        for a, b, fp in ranges:
            clause = Clause(a, b, s_index)
            self._describe(clause, sentence, previous, first=previous is None)
            clause.self_subject |= fp
            self.clauses.append(clause)
            previous = clause
        sentence.fact_list = len(ranges) >= 3 and all(
            sum(1 for t in toks[a:b] if t.is_word) <= FACT_ITEM_WORDS for a, b, _ in ranges)

    def _subjectless_first_person(self, a: int, b: int) -> bool:
        """A clause that starts (after "och"/"and") with a verb of the FP_VERB list and has no
        subject of its own: chat style leaves out "jag"/"I" ("bor i Esbo", "är 45 år")."""
        toks = self.tokens
        lead = a + 1 if toks[a].flags & (_BIT["AND"] | _BIT["BUT"]) and a + 1 < b else a
        if not toks[lead].flags & _BIT["FP_VERB"]:
            return False
        # a subject right after the verb is a question or inversion: "är han arbetslös", "have you"
        after = toks[lead + 1] if lead + 1 < b else None
        if after is None:
            return True
        if after.flags & (_BIT["SELF"] | _BIT["OTHER"] | _BIT["GENERIC"]) or after.kind in _SUBJECT_KINDS:
            return False
        if toks[lead].kind == _BE:
            # "är 45", "är arbetslös", "är inte sjuk"; but "är stödet bara för..." asks
            return bool(after.kind != "." or after.flags & _BIT["NEG"] or any(ch.isdigit() for ch in after.text))
        return True

    def _describe(self, clause: Clause, sentence: Sentence, previous: Clause | None, first: bool) -> None:
        toks = self.tokens[clause.start:clause.end]
        clause.kinds = "".join(t.kind for t in toks)
        flags = 0
        for t in toks:
            flags |= t.flags
        clause.flags = flags
        head = toks[0]
        lead = head
        if head.flags & (_BIT["AND"] | _BIT["BUT"]) and len(toks) > 1:
            lead = toks[1]  # "and what is...", "mutta mikä..."
        clause.question = bool(lead.flags & _BIT["QWORD"] or head.flags & _BIT["QWORD"])
        if self.lang == "fi":
            clause.question |= any(t.flags & _BIT["FI_QUESTION"] for t in toks[:2])
        elif first and sentence.question_mark and head.flags & _BIT["AUX_Q"]:
            clause.question = True  # "Do I need a referral?", "Har jag rätt till ...?"
        if sentence.question_mark and not sentence.has_fp:
            clause.question = True
        clause.hypothetical = bool(lead.flags & _BIT["HYPO"] or head.flags & _BIT["HYPO"])
        clause.neg = bool(flags & (_BIT["NEG"] | _BIT["NEG_DET"]))
        clause.other = bool(flags & _BIT["OTHER"]) and any(
            t.flags & _BIT["OTHER"]
            and not (t.index and (self.tokens[t.index - 1].low, t.low) in self.vocab.not_other)
            for t in toks
        )  # "thank you" is not about someone else
        clause.generic = bool(flags & _BIT["GENERIC"])
        clause.self_subject = bool(flags & _BIT["SELF"])
        own = bool(flags & _BIT["PREDICATE"])
        joined = previous is not None and (
            head.flags & _BIT["AND"] or self.tokens[clause.start - 1].text in (",", ";", "/")
        )
        if previous is not None and not own and joined:
            # an elliptic continuation ("mä oon 52 ja työtön", "I'm 45, unemployed")
            # shares the previous clause's subject, verb, negation and mood
            clause.elliptic = True
            clause.inherited_neg = previous.neg or previous.inherited_neg
            clause.inherited_have = previous.inherited_have or bool(previous.flags & _BIT["HAVE"])
            clause.inherited_modal = previous.inherited_modal or bool(
                previous.flags & (_BIT["MODAL"] | _BIT["HEDGE"])
            )
            clause.question |= previous.question
            clause.hypothetical |= previous.hypothetical
        if previous is not None and joined and not flags & (_BIT["SELF"] | _BIT["OTHER"] | _BIT["GENERIC"]):
            # no subject of its own: "my daughter is 20 and has a disability"
            clause.other |= previous.other
            clause.generic |= previous.generic

    def clause_at(self, token_index: int) -> Clause | None:
        for clause in self.clauses:
            if clause.start <= token_index < clause.end:
                return clause
        return None

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        first = last = None
        for t in self.tokens:
            if t.end > start and t.start < end:
                if first is None:
                    first = t.index
                last = t.index
        if first is None or last is None:
            return -1, -1
        return first, last + 1
