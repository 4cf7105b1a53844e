"""Recognise Finnish municipalities in what residents type.

Residents name their home municipality in Finnish, Swedish or English, usually
inflected ("asun Kempeleessä", "bor i Esbo"), often without ä/ö/å, sometimes as
a demonym ("olen helsinkiläinen", "jag är esbobo") and now and then with a
typo.  This module maps such text to the canonical Finnish name in
``bot/reference/municipalities.csv`` (Statistics Finland, 1 January 2025).

How matching works
------------------
Keys are *folded*: lower case, diacritics removed, hyphens and spaces unified,
so "Järvenpää", "jarvenpaa" and "JÄRVENPÄÄ" share one key.  On first use
lookup tables are generated from the CSV (about 0.1 s):

``exact``
    Finnish and Swedish names, the alias "Pedersöre", Swedish genitive and
    demonym forms (``vasas``, ``esbobo``, ``helsingforsare``) and forms that
    inflect two parts ("Uudessakaupungissa", "Virtain").
``strong`` / ``weak`` stems
    Finnish inflection stems of every name, generated with ordinary Finnish
    morphology instead of a hand-written list of forms: consonant gradation
    (Helsinki -> helsingi-, Turku -> turu-, Lappeenranta -> lappeenranna-),
    old i-words (Seinäjoki -> seinäjoe-/seinäjoke-, Lahti -> lahde-/lahte-),
    e-words (Kempele -> kempelee-), -nen words (Kauniainen -> kauniaise-,
    kauniaisi-), -s words (Nurmes -> nurmekse-, Varkaus -> varkaude-), the
    plural Virrat (virroi-) and consonant-final Swedish names
    (Finström -> finströmi-).  Case endings that close the syllable (-n,
    -ssa, -lla, ...) take the weak stem, the others (-a, -na, illative) the
    strong one, which keeps "luotolla" (on credit) from matching Luoto.
``demonym`` stems
    Stems that take -lainen/-läinen (helsinki-, lahte-, kauniais-).

A token is resolved by: exact form; simplemma's Finnish lemma (it knows many
place names); every split into a generated stem plus a case ending (optionally
followed by -kin/-kaan/-ko) or a demonym suffix; and, for words of 7+ letters
that are not dictionary words, a single-edit typo against the base names.
Each step is a few dict lookups, so a sentence costs microseconds once the
tables exist.  simplemma's lemmas come through bot/nlu/lemmas.py, which keeps its
Finnish dictionary compact (tens of MB, loaded in well under a second once its
index is cached) instead of simplemma's own several seconds and ~450 MB.

Missing dots are forgiven, wrong dots are not: a typed "a" may stand for
"ä", but a typed "ä" must be an "ä" in the name.  So "lähden" (I leave) and
"lähteen" (of the source) do not match Lahti, while "lahden" still does.

Deliberate choices and limits
-----------------------------
* Names that are also ordinary words do match: Salo ("grove"; "salon" is
  also English), Lahti ("bay"), Kotka ("eagle"), Aura ("plough"), Nokia,
  Kolari ("car crash"), Luoto ("islet"), Pori (plural of "pora", drill),
  Kitee (forms of "kide", crystal: "kiteen"), Virrat ("currents"),
  Varkaus ("theft"), Vantaa (forms of "vannas"), Ii (the Roman numeral "II"),
  Simo/Salla/Kaarina (first names), Sund (Swedish "healthy"), Ingå (Swedish
  "to enter into").  The bot asks where people live, so there a hit is far
  more likely to be the place.  Only inflected forms that are much more
  often another word are blocked (``_BLOCKED_FORMS``).
* "Koski" alone is *not* matched (common surname, and "koski" = rapids);
  "Koski Tl", "Koski TL:ssä" and Swedish "Koskis" are.
* Names match as whole words only: "ii" inside "siisti" never matches.
* A form that fits two municipalities returns nothing rather than a guess.
* Not recognised: former municipalities (Jalasjärvi, Nastola, Pertunmaa...),
  villages and districts (Pakila, Hakaniemi), slang and abbreviations
  (Hesa, Stadi, Tre, Hki, Jkl), unofficial historical Swedish names (Ijo),
  one half of a double name ("Mänttä"), possessive suffixes
  ("Helsingissäni"), learner forms with the wrong stem ("Helsinkissä",
  unless simplemma knows them) and typos inside inflected forms
  ("Helsingisä").
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.language.tags import LANGUAGES
from bot.nlu import lemmas

CSV_PATH = Path(__file__).resolve().parent / "reference" / "municipalities.csv"

_VOWELS = frozenset("aeiouyäöå")

# Short names people use in running text for a longer official name.
_ALIASES: dict[str, tuple[str, ...]] = {
    "Pedersören kunta": ("Pedersöre",),  # Finnish text says "Pedersöressä".
    # Towns merged into Raasepori and Kemiönsaari in 2009 that residents still name as their home.
    "Raasepori": ("Tammisaari", "Karjaa"),
    "Kemiönsaari": ("Kemiö",),
}
# The same towns' Swedish names ("jag bor i Ekenäs", "jag skriver från Kimito").
_SWEDISH_ALIASES: dict[str, tuple[str, ...]] = {
    "Raasepori": ("Ekenäs", "Karis"),
    "Kemiönsaari": ("Kimito", "Dragsfjärd", "Västanfjärd"),
}

# Lexical exceptions no rule predicts; the regular forms match as well.
_IRREGULAR_FORMS: dict[str, tuple[str, ...]] = {
    "Kangasala": ("Kangasalla", "Kangasalle", "Kangasalta"),  # haplology
    "Isokyrö": ("Isossakyrössä", "Isostakyröstä", "Isollakyröllä", "Isoonkyröön", "Isonkyrön"),
}

# Folded Finnish case endings (-ssa also covers -ssä).  Endings that close the
# syllable take the weak grade (Helsingissä), the rest the strong grade
# (Helsinkiä, Helsinkinä).  The illative (Helsinkiin, Iihin, Espooseen)
# depends on the stem's last vowel and is handled in _illative_stem.
_WEAK_ENDINGS = ("n", "ssa", "sta", "lla", "lta", "lle", "ksi")
_STRONG_ENDINGS = ("a", "ta", "tta", "na", "ten")
_ENDINGS = tuple(
    sorted(
        [(ending, False) for ending in _WEAK_ENDINGS] + [(ending, True) for ending in _STRONG_ENDINGS],
        key=lambda item: (len(item[0]), item[0]),  # shortest ending = longest stem first
    )
)
_CLITICS = ("kin", "kaan", "ko")

# -lainen/-läinen and its inflected forms, folded.
_DEMONYM_SUFFIXES = tuple(
    "lai" + tail
    for tail in (
        "nen", "sen", "sena", "seksi", "sessa", "sesta", "seen", "selle",
        "sella", "selta", "sta", "set", "sten", "sia", "siin", "sille",
        "silla", "silta", "sissa", "sista", "sina", "siksi", "sineen",
    )
)

# Swedish genitive and demonym endings: Vasas, esbobo, helsingforsare.
_SWEDISH_SUFFIXES = ("s", "bo", "bon", "bor", "borna", "sbo", "sbor", "are", "aren", "arna")

# Old Finnish i-words decline with an e-stem (joki -> joen, jokeen).  A name
# ending in one of these words inherits its (strong, weak) stems.
_OLD_I_STEMS: dict[str, tuple[str, str]] = {
    "joki": ("joke", "joe"),
    "lahti": ("lahte", "lahde"),
    "niemi": ("nieme", "nieme"),
    "järvi": ("järve", "järve"),
    "lampi": ("lampe", "lamme"),
    "mäki": ("mäke", "mäe"),
    "saari": ("saare", "saare"),
    "vesi": ("vete", "vede"),
    "koski": ("koske", "koske"),
    "salmi": ("salme", "salme"),
    "nummi": ("numme", "numme"),
    "loppi": ("loppe", "lope"),
}

# Consonant gradation, strong -> weak, for the consonant(s) before a final
# short vowel: Helsinki -> helsingi-, Turku -> turu-, Lieto -> liedo-.
_WEAK_GRADE: dict[str, tuple[str, ...]] = {
    "kk": ("k",), "pp": ("p",), "tt": ("t",),
    "nk": ("ng",), "mp": ("mm",), "nt": ("nn",), "lt": ("ll",), "rt": ("rr",),
    "ht": ("hd",), "lk": ("l", "lj"), "rk": ("r", "rj"), "hk": ("h",),
    "lp": ("lv",), "rp": ("rv",),
    "k": ("", "v"), "t": ("d",), "p": ("v",),
}
# Weak -> strong, for names whose nominative is in the weak grade
# (Pihtipudas -> pihtiputaa-, Virrat -> virta-).
_STRONG_GRADE: dict[str, str] = {
    "ng": "nk", "mm": "mp", "nn": "nt", "ll": "lt", "rr": "rt", "hd": "ht",
    "d": "t", "v": "p", "k": "kk", "p": "pp", "t": "tt",
}

# Forms, exactly as typed (lower case, dots included), that are far more often
# another word than the municipality.  "kemiä" still matches Kemi, "kemia"
# (chemistry) does not.
_BLOCKED_FORMS = frozenset(
    {
        "iina",  # first name Iina, not the essive of Ii (Iinä)
        "simon",  # first name Simon, not the genitive of Simo
        "brandon",  # first name Brandon, not the genitive of Brändö
        "kemia",  # chemistry, not the partitive of Kemi (Kemiä)
        "porina",  # chatter; nobody uses the essive of Pori
        "stora",  # Swedish "big", not Storå (Isojoki)
        "kasko",  # car insurance, not Kaskö (Kaskinen)
        "pellolla", "pellolle", "pellolta",  # on the field (pelto); Pello says "Pellossa"
        "lopen",  # "utterly" (lopen uupunut), not the genitive of Loppi
        "inga", "ingas",  # Swedish "no/none", not Ingå typed without the ring
        "kokar",  # Swedish "boils", not Kökar
        "loppis",  # Swedish "flea market", not Loppi's
        "karjaan",  # into the cattle (karja), more often than Karjaa's
    }
)

# Letters (outside "ng") that mark a Swedish name: no consonant gradation (Getassa).
_FOREIGN_RE = re.compile(r"[bcdfgqwxzå]")

_TOKEN_RE = re.compile(r"[^\W\d_]+(?::[^\W\d_]+)?")  # "Tl:ssä" stays one token
_JOINER_RE = re.compile(r"[\s\-\u2010-\u2015.]{1,3}")  # what may separate words of one name
_SEPARATORS_RE = re.compile(r"[\s\-\u2010-\u2015]+")

_TYPO_MIN_LEN = 7

# (name_fi, reference): the reference is the lower-case spelling, with dots, of
# the part of the form that must agree with what was typed (see _same_letters).
_Entries = frozenset[tuple[str, str]]


@dataclass(frozen=True)
class Municipality:
    code: str
    name_fi: str
    name_sv: str


@dataclass(frozen=True)
class MunicipalityMatch:
    start: int  # char offsets into the input text
    end: int
    text: str  # the matched surface text
    name_fi: str  # canonical Finnish name


@dataclass(frozen=True)
class _Index:
    exact: dict[str, _Entries]
    strong: dict[str, _Entries]
    weak: dict[str, _Entries]
    demonym: dict[str, _Entries]
    lemmas: dict[str, str]  # folded official Finnish name -> name, for simplemma
    typo_variants: dict[str, frozenset[str]]  # one-deletion variant -> base keys
    typo_names: dict[str, frozenset[str]]  # base key -> names
    max_words: int


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def all_municipalities() -> list[Municipality]:
    """Every municipality of Finland (2025), in code order."""
    return list(_load())


def normalise_municipality(text: str) -> str | None:
    """Canonical Finnish name of the one municipality ``text`` refers to.

    ``text`` may be a bare name ("Esbo", "kempele") or a short sentence
    ("asun Iissä").  Returns None when no municipality, or more than one
    different municipality, is mentioned.
    """
    names = {match.name_fi for match in find_municipalities(text)}
    return names.pop() if len(names) == 1 else None


def find_municipalities(text: str) -> list[MunicipalityMatch]:
    """All municipality mentions in ``text``, left to right, with offsets."""
    if not text:
        return []
    max_words = _index().max_words
    tokens = list(_TOKEN_RE.finditer(text))
    matches: list[MunicipalityMatch] = []
    i = 0
    while i < len(tokens):
        for size in range(min(max_words, len(tokens) - i), 0, -1):
            group = tokens[i : i + size]
            if size > 1 and not _joinable(text, group):
                continue
            words = [token.group() for token in group]
            name = _resolve(" ".join(map(_fold, words)), " ".join(map(_lower, words)), size == 1)
            if name:
                start, end = group[0].start(), group[-1].end()
                matches.append(MunicipalityMatch(start, end, text[start:end], name))
                i += size
                break
        else:
            i += 1
    return matches


# --------------------------------------------------------------------------
# Lookup
# --------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _resolve(key: str, typed: str, single_word: bool) -> str | None:
    """Name for a folded ``key``; ``typed`` is the same text with its diacritics."""
    if len(key) < 2 or typed in _BLOCKED_FORMS:
        return None
    name = _pick(_index().exact.get(key, ()), typed)
    if name:
        return name
    if single_word:
        name = _via_simplemma(typed)
        if name:
            return name
    for length in _clitic_free_lengths(key):
        name = _via_case_ending(key[:length], typed) or _via_demonym(key[:length], typed)
        if name:
            return name
    return _via_typo(key, typed) if single_word else None


def _via_simplemma(typed: str) -> str | None:
    lemma = lemmas.lemmatize(typed, "fi")
    return _index().lemmas.get(_fold(lemma))


def _clitic_free_lengths(key: str) -> Iterator[int]:
    yield len(key)
    for clitic in _CLITICS:
        if key.endswith(clitic) and len(key) - len(clitic) >= 3:
            yield len(key) - len(clitic)


def _via_case_ending(key: str, typed: str) -> str | None:
    for table, stem in _case_splits(key):
        name = _pick(table.get(stem, ()), typed)
        if name:
            return name
    return None


def _case_splits(key: str) -> Iterator[tuple[dict[str, _Entries], str]]:
    """Every (stem table, stem) a known case ending leaves, longest stem first."""
    index = _index()
    for ending, strong in _ENDINGS:
        stem = key[: -len(ending)]
        if key.endswith(ending) and len(stem) >= 2 and _ending_fits(ending, stem):
            yield (index.strong if strong else index.weak), stem
    illative = _illative_stem(key)
    if illative:
        yield index.strong, illative


def _ending_fits(ending: str, stem: str) -> bool:
    """Partitive and plural genitive endings depend on how the stem ends."""
    last, before = stem[-1], stem[-2]
    if ending == "a":  # after one short vowel: Helsinki-ä, Turku-a, Lapua-a
        return last in _VOWELS and before != last
    if ending == "ta":  # after two vowels or a consonant: Espoo-ta, Kuopio-ta, Kannus-ta
        return last not in _VOWELS or before in _VOWELS
    if ending == "tta":  # after e: Tampere-tta, Kitee-ttä
        return last == "e"
    if ending == "ten":  # Kauniais-ten
        return last not in _VOWELS
    return True


def _illative_stem(key: str) -> str | None:
    """Stem of an illative: Helsinki-in, Ii-hin, Joensuu-hun, Espoo-seen."""
    if key.endswith("seen") and len(key) > 6 and key[-5] == key[-6] and key[-5] in _VOWELS:
        return key[:-4]  # long vowel: Espooseen, Kempeleeseen
    if len(key) < 4 or not key.endswith("n") or key[-2] not in _VOWELS:
        return None
    vowel = key[-2]
    if key[-3] == vowel:  # Helsinki-in, Turku-un
        return key[:-2]
    if key[-3] == "h" and key[-4] == vowel:  # Ii-hin, Joensuu-hun, Järvenpää-hän
        return key[:-3]
    return None


def _via_demonym(key: str, typed: str) -> str | None:
    if "lai" not in key:
        return None
    stems = _index().demonym
    for suffix in _DEMONYM_SUFFIXES:
        if key.endswith(suffix):
            name = _pick(stems.get(key[: -len(suffix)], ()), typed)
            if name:
                return name
    return None


def _via_typo(key: str, typed: str) -> str | None:
    """One insertion, deletion, substitution or swap in a long base name.

    Kept conservative: 7+ letters, same first letter, not a known Finnish,
    Swedish or English word, and only one municipality within one edit.
    """
    if len(key) < _TYPO_MIN_LEN or _is_dictionary_word(typed):
        return None
    index = _index()
    bases: set[str] = set()
    for variant in {key, *_deletions(key)}:
        bases.update(index.typo_variants.get(variant, ()))
    names: set[str] = set()
    for base in bases:
        if base[0] == key[0] and _within_one_edit(base, key):
            names.update(index.typo_names[base])
    return _unique(names)


def _is_dictionary_word(word: str) -> bool:
    return any(lemmas.is_known(word, lang) for lang in LANGUAGES)


def _pick(entries: Iterable[tuple[str, str]], typed: str) -> str | None:
    """The single name whose reference spelling agrees with what was typed."""
    return _unique(name for name, reference in entries if _same_letters(typed[: len(reference)], reference))


def _same_letters(typed: str, reference: str) -> bool:
    """Typed letters match the reference; a plain letter may stand for a dotted one."""
    return len(typed) == len(reference) and all(
        t == r or t == _fold_char(r) for t, r in zip(typed, reference)
    )


def _unique(names: Iterable[str]) -> str | None:
    distinct = set(names)
    return distinct.pop() if len(distinct) == 1 else None


def _joinable(text: str, group: list[re.Match]) -> bool:
    return all(
        _JOINER_RE.fullmatch(text[left.end() : right.start()]) for left, right in zip(group, group[1:])
    )


# --------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _lower(text: str) -> str:
    """Lower case with diacritics, separators unified: 'Koski Tl:ssä' -> 'koski tlssä'."""
    text = unicodedata.normalize("NFC", text).casefold().replace(":", "").replace(".", "")
    return " ".join(part for part in _SEPARATORS_RE.split(text) if part)


@lru_cache(maxsize=8192)
def _fold(text: str) -> str:
    """``_lower`` without diacritics; letter for letter the same length."""
    return "".join(map(_fold_char, _lower(text)))


@lru_cache(maxsize=512)
def _fold_char(char: str) -> str:
    base = [c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)]
    return base[0] if len(base) == 1 else char


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _within_one_edit(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance <= 1 (an adjacent swap counts as one edit)."""
    if a == b:
        return True
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if len(diff) == 1:
            return True
        if len(diff) != 2:
            return False
        i, j = diff
        return j == i + 1 and (a[i], a[j]) == (b[j], b[i])
    if abs(len(a) - len(b)) != 1:
        return False
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


# --------------------------------------------------------------------------
# Finnish morphology: stems of one lower-case word (with diacritics)
# --------------------------------------------------------------------------


def _inflection_stems(word: str) -> tuple[set[str], set[str]]:
    """(strong, weak) stems that Finnish case endings attach to."""
    for nominative, (strong, weak) in _OLD_I_STEMS.items():
        if word.endswith(nominative):  # Seinäjoki: Seinäjoella, Seinäjokeen
            head = word[: -len(nominative)]
            return {head + strong}, {head + weak}
    if word.endswith("nen") and len(word) > 4:  # Kauniainen: -isen, -isissa, -isten
        base = word[:-3]
        stems = {base + "se", base + "s", base + "si"}
        return stems, stems
    if word[-1] == "e":  # Kempele: Kempeleessä, Kempelettä; Raahe: Raahessa
        stems = {word, word + "e"}
        return stems, stems
    if word[-1] in _VOWELS:  # Helsinki: Helsinkiä / Helsingissä
        return {word}, _weak_grades(word) or {word}
    return _consonant_stems(word)


def _weak_grades(word: str) -> set[str]:
    """Weak-grade stems of a word ending in one short vowel: helsinki -> helsingi."""
    vowel, body = word[-1], word[:-1]
    if not body or body[-1] in _VOWELS:  # long vowel or diphthong: no gradation
        return set()
    if _FOREIGN_RE.search(word.replace("ng", "")):  # Swedish names keep their consonants
        return set()
    pair = body[-2:]
    if len(pair) == 2 and pair in _WEAK_GRADE:
        return {body[:-2] + weak + vowel for weak in _WEAK_GRADE[pair]}
    single = body[-1]
    if single in _WEAK_GRADE and len(body) >= 2 and body[-2] in _VOWELS:
        return {body[:-1] + weak + vowel for weak in _WEAK_GRADE[single]}
    return set()


def _strengthen(body: str) -> str:
    """Strong grade of a body ending in a weak consonant: 'virr' -> 'virt'."""
    for weak in sorted(_STRONG_GRADE, key=len, reverse=True):
        if body.endswith(weak):
            return body[: -len(weak)] + _STRONG_GRADE[weak]
    return body


def _consonant_stems(word: str) -> tuple[set[str], set[str]]:
    both = {word, word + "i"}  # Finström: Finströmissä; Koski Tl: Koski Tl:ssä
    strong, weak = set(), set()
    if word.endswith(("us", "ys")):  # Kannus: Kannuksessa; Varkaus: Varkaudessa, Varkauteen
        both.add(word[:-1] + "kse")
        strong.add(word[:-1] + "te")
        weak.add(word[:-1] + "de")
    elif word.endswith(("es", "os", "is")):  # Nurmes: Nurmeksessa; Muhos: Muhoksella
        both.add(word[:-1] + "kse")
    elif word[-2:] in ("as", "äs") and len(word) > 4:  # Pihtipudas: Pihtiputaalla
        both.add(_strengthen(word[:-2]) + word[-2] * 2)
    elif word[-2:] in ("at", "ät") and len(word) > 4:  # Virrat: Virroilla, Virtoihin
        strong.add(_strengthen(word[:-2]) + "oi")
        weak.add(word[:-2] + "oi")
    elif len(word) > 4 and word[-1] == "n" and word[-2] in _VOWELS and word[-3] == "d":
        both.add(word[:-3] + "t" + word[-2] + "me")  # Punkalaidun: Punkalaitumella
    return both | strong, both | weak


def _demonym_stems(word: str) -> set[str]:
    """Stems that take -lainen/-läinen: helsinki-, lahte-, kauniais-, virto-."""
    for nominative, (strong, _weak) in _OLD_I_STEMS.items():
        if word.endswith(nominative):  # lahtelainen, seinäjokelainen, loppilainen
            return {word, word[: -len(nominative)] + strong}
    if word.endswith("nen") and len(word) > 4:
        return {word[:-3] + "s"}  # kauniaislainen
    stems = {word}
    if word.endswith("us"):
        stems.add(word[:-1] + "te")  # varkautelainen
    elif word[-2:] in ("at", "ät") and len(word) > 4:
        stems.add(_strengthen(word[:-2]) + "o")  # virtolainen
    elif len(word) > 4 and word[-1] == "n" and word[-3] == "d":
        stems.add(word[:-3] + "t" + word[-2] + "me")  # punkalaitumelainen
    return stems


def _whole_forms(word: str) -> set[str]:
    """Inflected forms that are not stem + one ending, folded."""
    word = _fold(word)
    forms: set[str] = set()
    if word[-2:] == "at" and len(word) > 4:
        forms.add(_strengthen(word[:-2]) + "ain")  # Virrat: Virtain
    if word.startswith("uusi") and len(word) >= 8:  # both parts inflect: Uudessakaupungissa
        rest = word[4:]
        weak = _weak_grades(rest) or {rest}
        for ending in _WEAK_ENDINGS:
            forms |= {f"uude{ending}{stem}{ending}" for stem in weak}
        forms |= {f"uutena{rest}na", f"uuteen{rest}{rest[-1]}n"}
    return forms


# --------------------------------------------------------------------------
# Building the index
# --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _load() -> tuple[Municipality, ...]:
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        rows = [Municipality(r["code"], r["name_fi"], r["name_sv"]) for r in csv.DictReader(handle)]
    return tuple(sorted(rows, key=lambda m: m.code))


@lru_cache(maxsize=1)
def _index() -> _Index:
    tables: dict[str, dict[str, set]] = {t: defaultdict(set) for t in ("exact", "strong", "weak", "demonym")}
    lemmas: dict[str, str] = {}
    typo_names: dict[str, set[str]] = defaultdict(set)

    def add(table: str, form: str, name: str, reference: str | None = None) -> None:
        """Register ``form`` (lower case); ``reference`` is the part checked for dots."""
        tables[table][_fold(form)].add((name, form if reference is None else reference))

    for municipality in _load():
        name = municipality.name_fi
        finnish = [_lower(n) for n in (name, *_ALIASES.get(name, ()))]
        lemmas[_fold(name)] = name
        swedish = [_lower(n) for n in (municipality.name_sv, *_SWEDISH_ALIASES.get(name, ()))]
        for surface in {*finnish, *swedish}:
            add("exact", surface, name)
            add("exact", surface.replace(" ", ""), name)  # "manttavilppula"
            if " " in surface:
                continue
            if len(surface) >= 3:  # not "Ii": "iis", "iibo" would be noise
                for suffix in _SWEDISH_SUFFIXES:
                    if not (suffix == "s" and surface.endswith("s")):
                        add("exact", surface + suffix, name, surface)
            if len(surface) >= _TYPO_MIN_LEN:
                typo_names[_fold(surface)].add(name)
        for surface in finnish:
            head, _, last = surface.rpartition(" ")
            prefix = head + " " if head else ""
            strong, weak = _inflection_stems(last)
            for stem in strong:
                add("strong", prefix + stem, name)
            for stem in weak:
                add("weak", prefix + stem, name)
            for stem in _demonym_stems(last):
                add("demonym", prefix + stem, name)
            for form in _whole_forms(last):
                add("exact", _fold(prefix) + form, name, "")
        for form in _IRREGULAR_FORMS.get(name, ()):
            add("exact", _lower(form), name)

    typo_variants: dict[str, set[str]] = defaultdict(set)
    for base in typo_names:
        for variant in {base, *_deletions(base)}:
            typo_variants[variant].add(base)

    def freeze(table: dict[str, set]) -> dict[str, frozenset]:
        return {key: frozenset(value) for key, value in table.items()}

    return _Index(
        exact=freeze(tables["exact"]),
        strong=freeze(tables["strong"]),
        weak=freeze(tables["weak"]),
        demonym=freeze(tables["demonym"]),
        lemmas=lemmas,
        typo_variants=freeze(typo_variants),
        typo_names=freeze(typo_names),
        max_words=max(key.count(" ") + 1 for key in tables["exact"]),
    )
