"""'I don't know' answers (bot/nlu/replies.py), in fi/sv/en and as residents type them."""
from __future__ import annotations

import pytest

from bot.nlu.replies import is_dont_know

DONT_KNOW = [
    ("fi", "en tiedä"), ("fi", "En tiiä"), ("fi", "emmä tiiä"), ("fi", "en oo varma"), ("fi", "en muista"),
    ("fi", "hmm ei hajuakaan"), ("fi", "en osaa sanoa"), ("fi", "eos"), ("fi", "en tiedä vielä"),
    ("fi", "en tiedä onko mulla lähetettä"), ("fi", "en ole ihan varma"), ("fi", "en tieda"),
    ("sv", "vet inte"), ("sv", "Vet ej"), ("sv", "ingen aning"), ("sv", "jag är inte säker"),
    ("sv", "nja, vet inte riktigt"), ("sv", "kommer inte ihåg"), ("sv", "vet inte om jag har en remiss"),
    ("en", "I don't know"), ("en", "dunno"), ("en", "idk"), ("en", "not sure"), ("en", "no idea"),
    ("en", "hmm no clue"), ("en", "I’m not sure if I have a plan"), ("en", "can't remember"),
    ("en", "not sure yet"),
    # residents mix languages
    ("fi", "idk"), ("en", "en tiedä"),
]

NOT_DONT_KNOW = [
    # a question about a concept
    ("fi", "en tiedä mitä kuntouttava työtoiminta on"), ("sv", "vet inte vad TYP är"),
    ("en", "I don't know what TYP is"), ("en", "not sure how this works"),
    # other answers
    ("fi", "ei"), ("fi", "en halua kertoa"), ("fi", "tiedän"), ("sv", "nej"), ("en", "no"),
    ("en", "I know"), ("fi", "olen 45"), ("en", ""),
    # too long to be a plain answer
    ("en", "I don't know if I have a plan because my social worker changed and nobody told me anything"),
]


@pytest.mark.parametrize("language, text", DONT_KNOW)
def test_dont_know(language, text):
    assert is_dont_know(text, language)


@pytest.mark.parametrize("language, text", NOT_DONT_KNOW)
def test_not_dont_know(language, text):
    assert not is_dont_know(text, language)


def test_without_language():
    assert is_dont_know("vet inte", None)
    assert not is_dont_know(None, "fi")  # type: ignore[arg-type]
