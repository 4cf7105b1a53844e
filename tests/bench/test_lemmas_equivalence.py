"""bot.nlu.lemmas gives exactly simplemma's own lemmas and dictionary membership.

Slow: it loads simplemma's full in-memory dictionaries (about 9 s and 450 MB) to compare
with. Words: every word of the training data, the held-out NLU sets, the knowledge base,
the municipality names, and a few thousand forms taken from the dictionaries themselves
(inflected, capitalised, with and without diacritics, and made-up ones).
"""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
import simplemma

from bot.nlu import lemmas

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)


def corpus_words() -> list[str]:
    words: set[str] = set()
    for pattern in ("data/nlu/**/*.yml", "tests/data/**/*.yml", "bot/knowledge/*.yml", "bot/reference/*.csv"):
        for path in ROOT.glob(pattern):
            words.update(WORD.findall(path.read_text(encoding="utf-8")))
    return sorted(words)


def dictionary_samples(lang: str, n: int, seed: int = 6) -> list[str]:
    keys = list(lemmas._FACTORY.get_dictionary(lang))
    rng = random.Random(seed)
    picked = rng.sample(keys, n)
    out = []
    for word in picked:
        out += [word, word.capitalize(), word + "lla", word[:-1] or word, word.replace("ä", "a")]
    return out


@pytest.fixture(scope="module")
def words() -> list[str]:
    found = corpus_words()
    assert len(found) > 3000
    return found


@pytest.mark.parametrize("lang", ["fi", "sv", "en", ("fi", "sv", "en")])
def test_lemmatize_matches_simplemma(words, lang):
    sample = words + (dictionary_samples(lang, 1500) if isinstance(lang, str) else [])
    differing = [(w, simplemma.lemmatize(w, lang=lang), lemmas.lemmatize(w, lang))
                 for w in sample if simplemma.lemmatize(w, lang=lang) != lemmas.lemmatize(w, lang)]
    assert not differing, differing[:20]


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_is_known_matches_simplemma(words, lang):
    sample = words + dictionary_samples(lang, 1500)
    differing = [w for w in sample if simplemma.is_known(w, lang=lang) != lemmas.is_known(w, lang)]
    assert not differing, differing[:20]


def test_index_cache_round_trip(tmp_path, monkeypatch):
    monkeypatch.setenv("KO_CACHE_DIR", str(tmp_path))
    built = lemmas._IndexedStreamMap("en")  # builds and writes the cache
    assert list(tmp_path.glob("simplemma-*-en-*.idx"))
    loaded = lemmas._IndexedStreamMap("en")  # reads it back
    for word in ("houses", "went", "unemployed", "xyzzy"):
        assert built.get(word) == loaded.get(word)
    assert len(built) == len(loaded)
