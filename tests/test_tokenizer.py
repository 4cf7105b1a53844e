"""The tokenizer's question focus (bot/rasa_components/tokenizer.py): in a longer message
the question sentences are weighed more than the story around them."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_components.tokenizer import MultilingualSpacyTokenizer, question_spans

STORY = ("Mä oon yksinhuoltaja ja lapset pitää hakea päiväkodista neljältä. Sossu puhu että "
         "kuntouttava alkais ensi kuussa. Kuinka monta tuntia päivässä työtoiminta on?")


def test_the_question_of_a_story_is_found():
    assert [STORY[a:b].strip() for a, b in question_spans(STORY)] == ["Kuinka monta tuntia päivässä työtoiminta on?"]


def test_without_a_question_mark_the_last_sentence_is_the_question():
    text = ("Oon ollu kotona yli vuoden ja nyt haluisin jotain rytmiä päiviin. Kaveri kävi "
            "puutyöpajassa kuntouttavan kautta ja tykkäs. Miten mä pääsen sinne mukaan itse")
    found = [text[a:b].strip() for a, b in question_spans(text)]
    assert found == ["Miten mä pääsen sinne mukaan itse"]


def test_a_question_that_names_its_subject_with_a_pronoun_brings_the_sentence_before_it():
    text = ("Jag har gått mellan olika kontor i två år och ingen hjälper. En vän berättade om TYP. "
            "Vad är det och kan jag också få det?")
    assert [text[a:b].strip() for a, b in question_spans(text)] == [
        "En vän berättade om TYP.", "Vad är det och kan jag också få det?"]


def test_a_short_question_brings_the_sentence_it_refers_to():
    text = ("I have been unemployed for two years and I live alone. My social worker asked me to get "
            "a B statement from a doctor. What is it for?")
    assert [text[a:b].strip() for a, b in question_spans(text)] == [
        "My social worker asked me to get a B statement from a doctor.", "What is it for?"]


@pytest.mark.parametrize("text, expected", [
    ("Sain kirjeen että mun pitää mennä palaveriin. Siellä on kuulemma monta ihmistä. "
     "Mitä siellä tapahtuu kun menen sinne? voinko ottaa siskon mukaan sinne",
     ["Mitä siellä tapahtuu kun menen sinne?", "voinko ottaa siskon mukaan sinne"]),
    ("Jag har varit arbetslös i tre år och socialen ringde igår. Hur gör man då för att komma med. "
     "Jag vet inte vad jag ska säga.",
     ["Hur gör man då för att komma med."]),
    ("I moved here last year and I have been out of work since spring. Is there something in the city for me. "
     "My friend goes to a workshop.", ["Is there something in the city for me."]),
])
def test_a_sentence_that_begins_with_a_question_word_is_a_question(text, expected):
    assert [text[a:b].strip() for a, b in question_spans(text)] == expected


@pytest.mark.parametrize("text", [
    "kuinka monta tuntia päivässä?",                      # short
    "Olen ollut työtön pitkään ja haluaisin tietää kuinka monta tuntia päivässä työtoiminta kestää?",
    "Kauanko se kestää? Saako siitä rahaa? Entä matkat, korvataanko ne jotenkin minulle kun asun kaukana?",
])
def test_short_single_sentence_and_all_question_messages_have_no_focus(text):
    assert question_spans(text) == []


def _tokens(text: str, copies: int) -> list[str]:
    config = {**MultilingualSpacyTokenizer.get_default_config(), "question_focus": copies}
    tokenizer = MultilingualSpacyTokenizer(config)
    message = Message(data={"text": text, "language": {"code": "fi"}})
    return [t.text for t in tokenizer.tokenize(message, "text")]


def test_the_question_tokens_are_repeated_after_the_message():
    plain, focused = _tokens(STORY, 0), _tokens(STORY, 2)
    question = ["Kuinka", "monta", "tuntia", "päivässä", "työtoiminta", "on", "?"]
    assert focused[:len(plain)] == plain
    assert focused[len(plain):] == question * 2


def test_a_short_message_is_tokenised_as_it_is():
    assert _tokens("kuinka monta tuntia?", 4) == _tokens("kuinka monta tuntia?", 0)


def _lemmas(text: str, language: str) -> dict[str, str]:
    tokenizer = MultilingualSpacyTokenizer(MultilingualSpacyTokenizer.get_default_config())
    message = Message(data={"text": text, "language": {"code": language}})
    return {t.text: t.lemma for t in tokenizer.tokenize(message, "text")}


def test_the_swedish_filler_typ_is_read_as_what_it_means_not_as_the_service():
    assert _lemmas("vi jobbar typ 45h i veckan", "sv")["typ"] == "ungefär"
    assert _lemmas("vad är TYP", "sv")["TYP"] != "ungefär"  # the service, in capitals
    assert _lemmas("mikä on typ", "fi")["typ"] != "ungefär"  # Finnish has no such filler
