"""Swedish "typ" (a filler: "like", "about") is not TYP, the multisectoral joint service."""
from __future__ import annotations

import pytest

from bot.nlu.fillers import filler_meaning, without_fillers
from bot.nlu.scope import names_our_subject


@pytest.mark.parametrize("text", ["vi jobbar typ 45h i veckan", "ja har typ inga pengar kvar, kan ja få stöd?"])
def test_the_swedish_filler_names_nothing_of_the_subject(text):
    assert names_our_subject(text)  # as the scope words read it without the language
    assert not names_our_subject(without_fillers(text, "sv"))


@pytest.mark.parametrize("text,language", [
    ("vad är TYP?", "sv"),  # the service, in capitals
    ("hur kommer man till TYP:s kontor?", "sv"),
    ("oon typ:n asiakas", "fi"),  # Finnish has no such filler
    ("mikä on typ", "fi"),
    ("va e skillnaden på typ å kommunen", "sv"),  # the name, joined to another
    ("vad är typ?", "sv"),
    ("what is typ", "en"),
])
def test_the_service_named_stays_named(text, language):
    assert without_fillers(text, language) == text
    assert names_our_subject(without_fillers(text, language))


def test_the_filler_is_read_as_its_meaning_case_language_and_place_counting():
    text = "ja har typ inga pengar"
    assert filler_meaning(text, 7, "typ", "sv") == "ungefär"
    assert filler_meaning("ja har TYP inga pengar", 7, "TYP", "sv") is None
    assert filler_meaning(text, 7, "typ", "fi") is None
    assert filler_meaning(text, 7, "typ", None) is None
    assert filler_meaning("vad är typ", 7, "typ", "sv") is None  # at the end: the name
