"""The extractor's word files (bot/nlu/words/<lang>.yml): valid, and broken ones are
refused with a message that names the file and the key."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.nlu.extract.words import LANGUAGES, WORD_FLAGS, WORDS_DIR, WordListError, load_all, load_words

FILES = [WORDS_DIR / f"{lang}.yml" for lang in LANGUAGES]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_word_file_loads(path):
    words = load_words(path)
    assert words.language == path.stem
    assert words.kinds and set(words.flags) == set(WORD_FLAGS)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_word_file_tells_staff_how_to_add_a_word(path):
    head = path.read_text(encoding="utf-8").split("\nlanguage:")[0]
    assert "How to add a word" in head
    assert "tests/test_extract.py" in head


def test_yes_no_and_on_stay_words():
    # YAML 1.1 would read these as booleans
    assert "no" in load_words(WORDS_DIR / "en.yml").flags["NEG_DET"]
    assert "on" in load_words(WORDS_DIR / "en.yml").flags["RECEIVE"]


def broken(tmp_path: Path, lang: str, old: str, new: str) -> Path:
    text = (WORDS_DIR / f"{lang}.yml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{lang}.yml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "lang,old,new,expected",
    [
        ("fi", "  - REF_ABESS: [lähetteettä]", "  - REF_ABESS: ['lähetteet(tä']",
         r"kinds\[\d+\] \(REF_ABESS\)\[0\]: invalid pattern"),
        ("fi", "  - TE: [te]", "  - te: [te]", r"kinds\[\d+\] \(te\): a kind name is written in capitals"),
        ("sv", "  NEG: [inte,", "  NEG: [Inte,", r"flags\.NEG\[0\]: 'Inte': write words in lower case"),
        ("sv", "  NEG: [inte,", "  NEGATION: [inte,", r"flags\.NEGATION: unknown key"),
        ("en", "  SCOPE_LONG: [long]\n", "", r"flags\.SCOPE_LONG: missing"),
        ("en", "language: en", "language: sv", r"language: 'sv' does not match the file name"),
        ("fi", "  copula: [olen, oon, oun]", "  copula: olen", r"age\.copula: expected a list of words"),
        ("en", "  not_other: [thank you]", "  not_other: [thanks]",
         r"clauses\.not_other\[0\]: 'thanks': expected two words"),
        ("fi", "  demonym: 'l[aä]i(nen|s\\w*|se\\w*)'", "  demonym: 'l[aä'", r"municipality\.demonym: invalid pattern"),
        ("fi", "    50: ['(viis", "    60: ['(viis", r"age\.decades\.60: not allowed here"),
        ("sv", "  dont_know: [vet inte,", "  dont_know: [Vet inte,",
         r"replies\.dont_know\[0\]: 'Vet inte': write words in lower"),
    ],
)
def test_mistakes_name_the_file_and_the_key(tmp_path, lang, old, new, expected):
    path = broken(tmp_path, lang, old, new)
    with pytest.raises(WordListError) as error:
        load_words(path)
    message = str(error.value)
    assert message.startswith(f"{path}: ")
    assert re.search(expected, message), message


def test_every_problem_is_reported_at_once(tmp_path):
    text = (WORDS_DIR / "sv.yml").read_text(encoding="utf-8")
    text = text.replace("  NEG: [inte,", "  NEG: [Inte,").replace("  - REF: [remiss,", "  - REF: ['remiss(',")
    (tmp_path / "sv.yml").write_text(text, encoding="utf-8")
    for lang in ("fi", "en"):
        (tmp_path / f"{lang}.yml").write_text((WORDS_DIR / f"{lang}.yml").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    with pytest.raises(WordListError) as error:
        load_all(tmp_path)
    assert "flags.NEG[0]" in str(error.value) and "(REF)[0]: invalid pattern" in str(error.value)


def test_not_yaml_is_refused_with_the_file_name(tmp_path):
    path = tmp_path / "fi.yml"
    path.write_text("kinds: [unclosed\n", encoding="utf-8")
    with pytest.raises(WordListError, match=rf"^{re.escape(str(path))}: not valid YAML"):
        load_words(path)
