"""Spoken and chat forms get the lemma of their written form (bot/nlu/spoken.py)."""
from __future__ import annotations

import pytest

from bot.nlu.lemmas import lemma
from bot.nlu.spoken import SPOKEN_FILE, SpokenFormsError, load, parse, spoken_lemma, written_form


@pytest.mark.parametrize("language, spoken, written", [
    ("fi", "pitäis", "pitäisi"),          # the conditional without its last vowel
    ("fi", "ottanu", "ottanut"),          # the past participle without its t
    ("fi", "kipee", "kipea"),             # ea/eä spoken as ee (the dictionary knows both spellings)
    ("fi", "ilmottaa", "ilmoittaa"),      # oi spoken as o
    ("fi", "voiks", "voiko"),             # the question clitic -ks
    ("fi", "paikas", "paikassa"),         # a lost ending
    ("fi", "kuntsarissa", "kuntouttavassa"),  # listed slang
    ("fi", "sossu", "sosiaalityöntekijä"),    # listed although the dictionary knows the word
    ("en", "wanna", "want"),
])
def test_a_spoken_form_gets_its_written_form(language, spoken, written):
    assert written_form(spoken, language) == written


def test_the_lemma_is_the_written_forms():
    assert spoken_lemma("pitäis", "fi") == lemma("pitäisi", "fi") == "pitää"
    assert spoken_lemma("kuntsariin", "fi") == lemma("kuntouttavaan", "fi")


@pytest.mark.parametrize("language, word", [
    ("fi", "työttömänä"),   # the dictionary knows it: its own lemma
    ("fi", "lähetteen"),
    ("fi", "xyzzyis"),      # a rewrite that gives no known word invents nothing
    ("fi", "040"),          # not a word
    ("sv", "arbetslös"),
    ("en", "unemployed"),
    ("de", "pitäis"),       # a language without forms
])
def test_other_words_keep_their_lemma(language, word):
    assert written_form(word, language) is None
    assert spoken_lemma(word, language) == lemma(word, language)


def test_the_file_loads_with_every_language():
    assert set(load(SPOKEN_FILE)) == {"fi", "sv", "en"}


@pytest.mark.parametrize("data, problem", [
    ({"fi": {"words": {}, "rewrites": []}}, "expected exactly the languages"),
    ({lang: {"words": {}, "rewrites": []} for lang in ("fi", "sv")} | {"en": {"words": {}}}, "en: expected `words`"),
    ({lang: {"words": {"Oon": "olen"}, "rewrites": []} for lang in ("fi", "sv", "en")}, "write one word in lower case"),
    ({lang: {"words": {}, "rewrites": [["(x", "y"]]} for lang in ("fi", "sv", "en")}, "rewrites: '(x'"),
    ({lang: {"words": {}, "rewrites": ["x"]} for lang in ("fi", "sv", "en")}, "expected [pattern, replacement]"),
])
def test_a_broken_file_names_the_problem(data, problem):
    with pytest.raises(SpokenFormsError, match=problem.replace("[", r"\[").replace("(", r"\(")):
        parse(data)
