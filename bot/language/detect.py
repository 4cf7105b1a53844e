"""Language detection for short fi/sv/en chat messages.

Residents write "joo", "hej", "I'm 45" or "asun Espoossa". On such inputs the
statistical detectors guess: lingua gives "Hej" sv 0.61 / fi 0.34 and "I am 45" a
near-uniform split; langdetect answers "see you" with fi 1.0 and raises on "45".
So :func:`detect` combines

* a lexicon of frequent, unambiguous words (``lexicon.yml``), which decides short
  messages,
* lingua and langdetect, both restricted to fi/sv/en, which decide the words the
  lexicon does not know; their weight grows with the number of words,

after removing tokens that carry no language (numbers, emoji, place names, agency
acronyms, "ok", e-mail addresses, URLs). With nothing left, or when the best language
does not lead clearly, the answer is ``None``: the caller keeps the language it had.

:func:`explicit_request` recognises an explicit language choice ("på svenska",
"in English please", a ``/set_language{"language":"sv"}`` button payload).
"""
from __future__ import annotations

import json
import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .tags import LANGUAGES, normalise_language_tag

SUPPORTED = LANGUAGES

LEXICON_PATH = Path(__file__).with_name("lexicon.yml")

# --- Combining the signals -------------------------------------------------------
# Evidence a lexicon word adds to its language(s); a "strong" word has weight 1.0.
LEXICON_WEIGHT = 1.0
# Evidence the statistical detectors add per language-bearing word. Below 1.0 so one
# known word outweighs the detectors' guess on the same word, while on longer messages
# (mostly words outside the lexicon) the detectors dominate.
STAT_WEIGHT_PER_WORD = 0.6
# lingua is more accurate than langdetect and ~10x faster, so langdetect only breaks
# ties: it is consulted when lexicon + lingua leave the message undecided, and then
# gets this share of the statistical evidence.
LINGUA_SHARE = 0.6
# langdetect samples character n-grams at random and reports near-certain
# probabilities even for one or two words ("see you" -> fi 1.0), so it is only
# consulted from this many language-bearing words on.
LANGDETECT_MIN_WORDS = 3
# Minimum lead of the best language over the second, as a share of all evidence.
# Below it the message is treated as having no language signal.
MIN_MARGIN = 0.2
# A single word the lexicon has no opinion on ("Matti", "Nurmijärvi" if it were not
# listed, or a 50/50 word like "ja") is decided by the detectors alone; demand a
# clearer lead before trusting them.
MIN_MARGIN_UNKNOWN_SINGLE_WORD = 0.5

# Lexicon words at least this long also match tokens one typo away, with this weight.
# Shorter words would match too much ("bor" / "for", "hej" / "hei").
TYPO_MIN_LENGTH = 5
TYPO_WEIGHT = 0.5

# An upper-case "I" is English; a lower-case "i" is also Swedish "in".
_ENGLISH_I = {"en": 0.8, "sv": 0.2}

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"\S+@\S+")
# Letters only (numbers, emoji and punctuation carry no language); apostrophes inside
# words are kept for "I'm", "don't".
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_STRETCHED = re.compile(r"(.)\1{2,}")
# A doubled final consonant is a typing stretch ("hejj", "heyy", "kiitoss"); doubled
# vowels are real spelling in all three languages ("see", "joo", "saa").
_DOUBLED_FINAL_CONSONANT = re.compile(r"([^\W\daeiouäöå])\1$")
# Laughter and hesitation in any of the languages: "hahaha", "xDD", "mmm", "okok".
_FILLER = re.compile(r"(?:(?:ha|he|hi)h?){2,}|x+d+|l+o+l+|h?m{2,}|hm+|(?:o+k+)+")


@dataclass(frozen=True)
class Detection:
    """Result of :func:`detect`.

    ``language`` is None when the message has too little signal to decide.
    ``scores`` are the combined per-language shares (summing to 1 when any
    language-bearing word was found). ``words`` counts those words.
    """

    language: str | None
    confidence: float
    scores: dict[str, float]
    words: int = 0


# --- Lexicon ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Lexicon:
    weights: Mapping[str, Mapping[str, float]]
    neutral: frozenset[str]
    # single-deletion key -> lexicon words it comes from, for typo look-up
    typo_keys: Mapping[str, frozenset[str]]


def fold(text: str) -> str:
    """Lower-case and drop diacritics (ä -> a, ö -> o, å -> a)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(value: Iterable[str] | None) -> list[str]:
    return [str(word).lower() for word in value or ()]


class _WordLoader(yaml.SafeLoader):
    """YAML loader that keeps words as strings: YAML 1.1 would read "no", "on" and
    "yes" as booleans."""


_WordLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_lexicon_file(path: Path = LEXICON_PATH) -> dict:
    """The raw contents of the lexicon file."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_WordLoader)


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = read_lexicon_file()
    levels = data["weights"]
    explicit: dict[str, dict[str, float]] = {}
    for lang in SUPPORTED:
        for level, weight in levels.items():
            for word in _words(data[lang].get(level)):
                explicit.setdefault(word, {})[lang] = float(weight)
    for word, shares in (data.get("ambiguous") or {}).items():
        explicit[str(word).lower()] = {lang: float(share) for lang, share in shares.items()}

    # Residents often type without diacritics ("tyoton", "ar det gratis"). Folded
    # forms inherit their source's weights; forms folded from several languages'
    # words share the evidence, and an explicit entry always wins.
    folded: dict[str, dict[str, float]] = {}
    for word, shares in explicit.items():
        plain = fold(word)
        if plain != word and plain not in explicit:
            target = folded.setdefault(plain, {})
            for lang, share in shares.items():
                target[lang] = max(target.get(lang, 0.0), share)
    for plain, shares in folded.items():
        total = sum(shares.values())
        folded[plain] = {lang: share / total for lang, share in shares.items()} if len(shares) > 1 else shares

    weights = {**folded, **explicit}
    typo_keys: dict[str, set[str]] = {}
    for word in weights:
        if len(word) >= TYPO_MIN_LENGTH:
            for key in _deletions(word):
                typo_keys.setdefault(key, set()).add(word)
    neutral = {word for group in (data.get("neutral") or {}).values() for word in _words(group)}
    # Place names typed without diacritics ("Jyvaskyla") are neutral too, unless the
    # folded form is a word ("öö" -> fi "oo").
    neutral |= {fold(word) for word in neutral} - weights.keys()
    return _Lexicon(
        weights=weights,
        neutral=frozenset(neutral),
        typo_keys={key: frozenset(words) for key, words in typo_keys.items()},
    )


def _spelling_variants(token: str) -> list[str]:
    """The token, then stretched forms shortened: "jooo" -> "joo", "moiii" -> "moi"."""
    variants = [token]
    if _STRETCHED.search(token):
        variants += [_STRETCHED.sub(r"\1\1", token), _STRETCHED.sub(r"\1", token)]
    if _DOUBLED_FINAL_CONSONANT.search(token):
        variants.append(token[:-1])
    return variants


def _edit_distance_at_most_one(a: str, b: str) -> bool:
    """True when a and b differ by at most one edit (incl. swapping two neighbours)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        i, j = diffs[0], diffs[-1]
        return len(diffs) == 2 and j == i + 1 and a[i] == b[j] and a[j] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    for i in range(len(long_)):
        if long_[:i] + long_[i + 1 :] == short:
            return True
    return False


def _deletions(word: str) -> set[str]:
    """The word and every form of it with one letter removed."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _typo_lookup(token: str, lexicon: _Lexicon) -> dict[str, float] | None:
    """Evidence from lexicon words one typo away ("helo", "thnks", "refferal").

    Words sharing a single-deletion form with the token are candidates (symmetric
    deletion); the edit-distance check keeps those really one edit away. The
    evidence is scaled down by TYPO_WEIGHT.
    """
    if len(token) < TYPO_MIN_LENGTH - 1:
        return None
    candidates = set().union(*(lexicon.typo_keys.get(key, ()) for key in _deletions(token)))
    words = [word for word in candidates if _edit_distance_at_most_one(token, word)]
    if not words:
        return None
    shares: dict[str, float] = {}
    for word in words:
        for lang, share in lexicon.weights[word].items():
            shares[lang] = max(shares.get(lang, 0.0), share)
    return {lang: TYPO_WEIGHT * share for lang, share in shares.items()}


def _lookup(raw: str, lexicon: _Lexicon) -> Mapping[str, float] | None:
    if raw == "I":
        return _ENGLISH_I
    token = raw.lower().replace("’", "'")
    for variant in _spelling_variants(token):
        shares = lexicon.weights.get(variant)
        if shares is not None:
            return shares
    return _typo_lookup(token, lexicon)


def _is_neutral(token: str, lexicon: _Lexicon) -> bool:
    lower = token.lower()
    if lower in lexicon.neutral or _FILLER.fullmatch(lower):
        return True
    # Single letters ("v" in "45v", "D" in ":D") carry nothing unless listed ("i", "a").
    return len(lower) == 1 and lower not in lexicon.weights


def language_tokens(text: str) -> list[str]:
    """Tokens of ``text`` that carry language, in their original case."""
    lexicon = _lexicon()
    stripped = _EMAIL.sub(" ", _URL.sub(" ", text or ""))
    return [tok for tok in _WORD.findall(stripped) if not _is_neutral(tok, lexicon)]


def _leans(shares: Mapping[str, float]) -> bool:
    """Whether a lexicon entry favours one language (not a 50/50 word like "ja")."""
    ranked = sorted(shares.values(), reverse=True)
    return len(ranked) == 1 or ranked[0] > ranked[1]


def _lexicon_scores(tokens: list[str]) -> tuple[dict[str, float], int]:
    """Per-language lexicon evidence and how many tokens the lexicon has an opinion on."""
    lexicon = _lexicon()
    scores = dict.fromkeys(SUPPORTED, 0.0)
    known = 0
    for token in tokens:
        shares = _lookup(token, lexicon)
        if shares is None:
            continue
        known += _leans(shares)
        for lang, share in shares.items():
            scores[lang] += share
    return scores, known


# --- Statistical detectors ---------------------------------------------------------

# lingua's confidences differ between identical calls in the last bits (floating-point
# summation order); rounding makes detection reproducible.
LINGUA_DECIMALS = 6

_build_lock = threading.Lock()
_lingua_detector = None
_langdetect_factory = None


def _lingua():
    """The lingua detector for fi/sv/en, built once (it takes ~0.5 s)."""
    global _lingua_detector
    if _lingua_detector is None:
        with _build_lock:
            if _lingua_detector is None:
                from lingua import Language, LanguageDetectorBuilder

                _lingua_detector = (
                    LanguageDetectorBuilder.from_languages(Language.FINNISH, Language.SWEDISH, Language.ENGLISH)
                    .with_preloaded_language_models()
                    .build()
                )
    return _lingua_detector


def _langdetect():
    """A langdetect factory holding only the fi/sv/en profiles, built once."""
    global _langdetect_factory
    if _langdetect_factory is None:
        with _build_lock:
            if _langdetect_factory is None:
                from langdetect import DetectorFactory
                from langdetect.detector_factory import PROFILES_DIRECTORY

                factory = DetectorFactory()
                profiles = [Path(PROFILES_DIRECTORY, lang).read_text(encoding="utf-8") for lang in SUPPORTED]
                factory.load_json_profile(profiles)
                # langdetect samples n-grams at random; a fixed seed makes it deterministic.
                # Set on this factory only, not on the library-wide DetectorFactory class.
                factory.seed = 0
                _langdetect_factory = factory
    return _langdetect_factory


def preload() -> None:
    """Build the detectors and load the lexicon now (e.g. at server start)."""
    _lexicon()
    _lingua()
    _langdetect()


def lingua_scores(text: str) -> dict[str, float]:
    """lingua's confidences for fi/sv/en (all zero when it finds no letters)."""
    scores = dict.fromkeys(SUPPORTED, 0.0)
    for value in _lingua().compute_language_confidence_values(text):
        code = value.language.iso_code_639_1.name.lower()
        if code in scores:
            scores[code] = round(float(value.value), LINGUA_DECIMALS)
    return scores


def langdetect_scores(text: str) -> dict[str, float]:
    """langdetect's probabilities for fi/sv/en (all zero when it finds no letters)."""
    from langdetect.lang_detect_exception import LangDetectException

    scores = dict.fromkeys(SUPPORTED, 0.0)
    detector = _langdetect().create()
    detector.append(text)
    try:
        for result in detector.get_probabilities():
            if result.lang in scores:
                scores[result.lang] = float(result.prob)
    except LangDetectException:  # no letters at all ("45", "👍")
        pass
    return scores


def _with_langdetect(lingua: dict[str, float], text: str) -> dict[str, float]:
    langdetect = langdetect_scores(text)
    return {lang: LINGUA_SHARE * lingua[lang] + (1 - LINGUA_SHARE) * langdetect[lang] for lang in SUPPORTED}


# --- Detection -----------------------------------------------------------------------


def _no_signal(words: int = 0, scores: dict[str, float] | None = None) -> Detection:
    return Detection(None, 0.0, scores or dict.fromkeys(SUPPORTED, 0.0), words)


def _decide(lexical: dict[str, float], stat: dict[str, float], words: int, required: float) -> Detection:
    """Weigh lexicon and statistical evidence; None unless the best leads by ``required``."""
    stat_weight = STAT_WEIGHT_PER_WORD * words
    evidence = {lang: LEXICON_WEIGHT * lexical[lang] + stat_weight * stat[lang] for lang in SUPPORTED}
    total = sum(evidence.values())
    if total <= 0:
        return _no_signal(words)
    scores = {lang: evidence[lang] / total for lang in SUPPORTED}
    best, second = sorted(SUPPORTED, key=lambda lang: (-scores[lang], SUPPORTED.index(lang)))[:2]
    if scores[best] - scores[second] < required:
        return _no_signal(words, scores)
    return Detection(best, scores[best], scores, words)


def detect(text: str) -> Detection:
    """Detect fi/sv/en in a chat message, or None when it has too little signal."""
    tokens = language_tokens(text)
    if not tokens:
        return _no_signal()

    words = len(tokens)
    lexical, known = _lexicon_scores(tokens)
    required = MIN_MARGIN_UNKNOWN_SINGLE_WORD if (words == 1 and known == 0) else MIN_MARGIN
    plain = " ".join(tokens).lower()
    lingua = lingua_scores(plain)
    detection = _decide(lexical, lingua, words, required)
    if detection.language is None and words >= LANGDETECT_MIN_WORDS:
        detection = _decide(lexical, _with_langdetect(lingua, plain), words, required)
    return detection


# --- Explicit language requests --------------------------------------------------------

# A request is a short message: "kan vi prata svenska", "in English please".
MAX_REQUEST_WORDS = 6
# Language names (folded) in the forms a request uses, per language asked for.
_REQUEST_TARGETS = {
    "fi": ("suomi", "suomeksi", "suomeks", "suomea", "suomee", "suomen", "finska", "finsk", "finnish"),
    "sv": ("ruotsi", "ruotsiksi", "ruotsiks", "ruotsia", "ruotsin", "svenska", "svensk", "swedish"),
    "en": ("englanti", "englanniksi", "englanniks", "englantia", "englannin", "engelska", "engelsk", "english"),
}
_TARGET_TO_CODE = {word: code for code, words in _REQUEST_TARGETS.items() for word in words}
# Words that may surround the language name in a request; any other word means the
# message is about something else ("onko palvelu suomeksi", "I'm Finnish").
_REQUEST_WORDS = frozenset(
    """
    puhu puhua puhutaan puhutko puhuisitko puhuuko voidaanko voitko voisitko voiko voinko
    kirjoita kirjoittaa kirjoitatko kirjoitetaan vastaa vastaatko vastaisitko kiitos kiitti
    haluan haluun haluaisin haluisin mieluummin mielummin kielella kieli kieleksi vaihda
    vaihdetaan vaihtaa osaatko osaaksa ma mina sa sina jooko pliis okei hei moi kanssa
    pa kan vi du ni prata pratar tala talar skriva skriv skriver svara svarar tack garna
    hellre jag vill byt byta till sprak spraket istallet snalla hej okej kunde ska kor
    in please pls plz can could we you speak talk write answer reply switch change to
    language i want prefer would like do rather thanks thank hi hello ok okay instead me
    us lets let's use continue go on only just
    """.split()
)
# A negation in the same clause turns "I don't speak Finnish" into a statement.
_NEGATIONS = frozenset("not dont don't cant can't cannot no ei en et emme inte int nej ala utan ilman".split())
_CLAUSE_BREAK = re.compile(r"[,.;:!?]+")
# Button payload: /intent or /intent{"language": "sv"}
_PAYLOAD = re.compile(r"^\s*/(?P<intent>[\w.-]+)\s*(?P<entities>\{.*\})?\s*$", re.DOTALL)
_PAYLOAD_KEYS = ("language", "lang", "code", "locale")


def _payload_language(text: str) -> str | None:
    match = _PAYLOAD.match(text)
    if not match:
        return None
    if match.group("entities"):
        try:
            entities = json.loads(match.group("entities"))
        except ValueError:
            entities = None
        if isinstance(entities, dict):
            for key in _PAYLOAD_KEYS:
                code = normalise_language_tag(entities.get(key))
                if code:
                    return code
    # "/set_language_sv", "/svenska"
    intent = match.group("intent").lower()
    if "lang" in intent or normalise_language_tag(intent):
        return normalise_language_tag(intent.rsplit("_", 1)[-1])
    return None


# Typo tolerance only for long names: "svenka", "englsih", but not "suomi" vs "suomu".
_MIN_FUZZY_LENGTH = 6


def _target_language(word: str) -> str | None:
    code = _TARGET_TO_CODE.get(word)
    if code or len(word) < _MIN_FUZZY_LENGTH:
        return code
    matches = {code for target, code in _TARGET_TO_CODE.items() if _edit_distance_at_most_one(word, target)}
    return matches.pop() if len(matches) == 1 else None


def _free_text_language(text: str) -> str | None:
    plain = fold(text)
    if len(plain.split()) > MAX_REQUEST_WORDS:
        return None
    requested: set[str] = set()
    for clause in _CLAUSE_BREAK.split(plain):
        words = _WORD.findall(clause.replace("’", "'"))
        targets = {code for code in map(_target_language, words) if code}
        if not targets:
            continue
        if any(word in _NEGATIONS for word in words):
            return None
        if any(not _target_language(word) and word not in _REQUEST_WORDS for word in words):
            return None
        requested |= targets
    return requested.pop() if len(requested) == 1 else None


def explicit_request(text: str) -> str | None:
    """The language the resident explicitly asks for in this message, if any."""
    if not text or not text.strip():
        return None
    return _payload_language(text) or _free_text_language(text)
