"""simplemma lemmas without loading simplemma's whole dictionaries into every process.

``lemma(word, language)`` is the cached, lower-case lemma that the profile extractor and
the Rasa tokenizer share (one cache per process). ``lemmatize(word, lang)`` and
``is_known(word, lang)`` return exactly what
``simplemma.lemmatize`` / ``simplemma.is_known`` return (same strategies, same
dictionaries, same order of languages); only the dictionary storage differs.

simplemma's default backend decodes the Finnish dictionary (3.5 million forms) into a
Python dict: about 9 s and 450 MB in *each* process that lemmatises (Rasa's tokenizer and
profile extractor, the gateway's and the action server's municipality matcher). Its
low-memory backend (``StreamMap``) keeps the compressed-order byte stream instead and
bisects a sparse index: about 35 MB for Finnish, a few tens of microseconds per lookup
(every lemma is cached by the callers anyway), but building the index is one pass over
the 3.5 million records, about 5 s. That index is saved once per machine in
``KO_CACHE_DIR`` (default ``.data/cache``) as a marshal file keyed by simplemma's
version, the dictionary file and the Python version, so later processes load it in a
fraction of a second. When the folder cannot be written the index is simply rebuilt in
memory each time.
"""
from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
import threading
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

import simplemma
from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy
from simplemma.strategies.dictionaries import dictionary_factory as _factory_module
from simplemma.strategies.dictionaries.dictionary_factory import CachingDictionaryFactory
from simplemma.strategies.dictionaries.stream_dictionary_factory import StreamMap
from simplemma.utils import normalize_token, validate_lang_input

from bot.language.tags import LANGUAGES

logger = logging.getLogger(__name__)

Langs = str | tuple
SUPPORTED = LANGUAGES
# When a word's language is unknown (e.g. a training example with too little signal),
# simplemma tries the languages in this order.
FALLBACK_LANGS = LANGUAGES
_FORMAT = 1
_ROOT = Path(__file__).resolve().parents[2]


def cache_dir() -> Path:
    return Path(os.environ.get("KO_CACHE_DIR") or _ROOT / ".data" / "cache")


def _cache_path(lang: str) -> Path:
    source = _factory_module.DATA_FOLDER / f"{lang}.plzma"
    stat = source.stat()
    key = f"{_FORMAT}|{simplemma.__version__}|{lang}|{stat.st_size}|{stat.st_mtime_ns}|{sys.version_info[:2]}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return cache_dir() / f"simplemma-{simplemma.__version__}-{lang}-{digest}.idx"


class _IndexedStreamMap(StreamMap):
    """simplemma's StreamMap whose block index comes from the cache file when there is one."""

    __slots__ = ()

    def __init__(self, lang: str) -> None:  # noqa: D107 - see class doc
        path = _cache_path(lang)
        try:
            state = marshal.loads(path.read_bytes())
            if state[0] != _FORMAT or len(state) != 7:
                raise ValueError("unexpected cache format")
            _, self._data, self._rev, self._count, self._pos, self._firsts, self._blocks = state
            return
        except FileNotFoundError:
            pass
        except Exception as error:  # a damaged or foreign file: rebuild it
            logger.warning("simplemma index cache %s unusable (%s); rebuilding", path, error)
        StreamMap.__init__(self, lang)
        state = (_FORMAT, self._data, self._rev, self._count, self._pos, self._firsts, self._blocks)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps(state))
            os.replace(tmp, path)
        except OSError as error:
            logger.info("simplemma index not cached (%s): it is rebuilt at each start", error)


class _CachedStreamFactory(CachingDictionaryFactory):
    __slots__ = ()

    def _get_dictionary_uncached(self, lang: str) -> _IndexedStreamMap:
        if lang not in _factory_module.SUPPORTED_LANGUAGES:
            raise ValueError(f"Unsupported language: {lang}")
        return _IndexedStreamMap(lang)


_FACTORY = _CachedStreamFactory()
# Same as simplemma.lemmatize(..., greedy=False): DefaultStrategy over our dictionaries.
_LEMMATIZER = Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=_FACTORY))
_LOOKUP = DictionaryLookupStrategy(_FACTORY)
_LOCK = threading.Lock()


def lemmatize(word: str, lang: Langs) -> str:
    """``simplemma.lemmatize(word, lang)``."""
    return _LEMMATIZER.lemmatize(word, lang)


@lru_cache(maxsize=100_000)
def lemma(word: str, language: str | None) -> str:
    """The lower-case lemma of ``word`` in ``language`` (fi/sv/en; otherwise fi, sv and en
    are tried in turn), cached. A word without letters is returned lower-cased."""
    lower = word.lower()
    if not any(ch.isalpha() for ch in lower):
        return lower
    langs = (language,) if language in SUPPORTED else FALLBACK_LANGS
    return lemmatize(lower, langs).lower()


def is_known(word: str, lang: Langs) -> bool:
    """``simplemma.is_known(word, lang)``."""
    if not isinstance(word, str):
        raise TypeError(f"Wrong input type, expected string, got {type(word)}")
    if word == "":
        raise ValueError("Wrong input value: empty string")
    token = normalize_token(word)
    return any(_LOOKUP.get_lemma(token, code) is not None for code in validate_lang_input(lang))


@cache
def _preload(lang: str) -> None:
    _FACTORY.get_dictionary(lang)


def preload(langs: Iterable[str] = LANGUAGES) -> None:
    """Load (or build and cache) the dictionaries now rather than on the first word."""
    with _LOCK:
        for lang in langs:
            _preload(lang)
