"""The Rasa wrapper around bot.nlu.extract (bot/rasa_components/profile_extractor.py)."""
from __future__ import annotations

import pytest
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.rasa_components.profile_extractor import ProfileEntityExtractor

EXTRACTOR = "ProfileEntityExtractor"


@pytest.fixture(scope="module")
def component() -> ProfileEntityExtractor:
    return ProfileEntityExtractor.create({}, None, None, None)


def message(text: str, language: str | None = None, **data) -> Message:
    msg = Message(data={TEXT: text, **data})
    if language is not None:
        msg.set("language", {"code": language, "source": "detected", "detected": language, "confidence": 0.9},
                add_to_output=True)
    return msg


def entity(name: str, value: str, start: int, end: int) -> dict:
    return {"entity": name, "value": value, "start": start, "end": end, "confidence": 1.0, "extractor": EXTRACTOR}


def test_is_a_registered_untrainable_entity_extractor():
    assert issubclass(ProfileEntityExtractor, EntityExtractorMixin)
    registered = DefaultV1Recipe._registered_components[ProfileEntityExtractor.__name__]
    assert registered.clazz is ProfileEntityExtractor
    assert DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR in registered.types
    assert registered.is_trainable is False


def test_adds_entities_in_rasa_format(component):
    text = "olen 45v helsinkiläinen ja minulla on lähete"
    msg = message(text, "fi")
    component.process([msg])
    assert msg.get(ENTITIES) == [
        entity("age", "45", 5, 8),
        entity("municipality", "Helsinki", 9, 23),
        entity("referral", "social_welfare", 38, 44),
    ]
    assert ENTITIES in msg.as_dict(only_output_properties=True)


@pytest.mark.parametrize(
    "text, language, expected",
    [
        ("mä oon 52 ja työtön", "fi", [("age", "52"), ("unemployed", "yes")]),
        ("jag är 30 år och bor i Esbo", "sv", [("age", "30"), ("municipality", "Espoo")]),
        ("I don't have a referral", "en", [("referral", "none")]),
        ("I'm a TYP client", "en", [("client_of", "typ")]),
        ("Rikosseuraamuslaitoksen työntekijä teki lähetteen", "fi", [("referral", "criminal_sanctions")]),
        ("jag har en aktiveringsplan", "sv", [("plan", "activation_plan")]),
        ("terveys vaikuttaa työkykyyni", "fi", [("health_affects_work_ability", "yes")]),
        ("I have a disability", "en", [("disability", "yes")]),
        # no language from the resolver: all three languages are tried
        ("I'm 45, unemployed, live in Kempele", None,
         [("age", "45"), ("unemployed", "yes"), ("municipality", "Kempele")]),
        ("mikä on aktivointisuunnitelma?", "fi", []),
    ],
)
def test_values_per_language(component, text, language, expected):
    msg = message(text, language)
    component.process([msg])
    found = msg.get(ENTITIES)
    assert [(e["entity"], e["value"]) for e in found] == expected
    for e in found:
        assert text[e["start"]:e["end"]]
        assert e["confidence"] == 1.0 and e["extractor"] == EXTRACTOR


def test_uses_the_language_set_by_the_resolver(component):
    # a long English message read as Swedish finds nothing: only the given language's rules run
    text = "I have been looking for work for a long time and I am unemployed now, what should I do next"
    as_english, as_swedish = message(text, "en"), message(text, "sv")
    component.process([as_english, as_swedish])
    assert [e["entity"] for e in as_english.get(ENTITIES)] == ["unemployed"]
    assert as_swedish.get(ENTITIES) == []


def test_appends_to_entities_of_earlier_extractors(component):
    earlier = {"entity": "service", "value": "pakila", "start": 0, "end": 6, "extractor": "RegexEntityExtractor"}
    msg = message("Pakila, olen 45", "fi", entities=[earlier])
    component.process([msg])
    assert msg.get(ENTITIES) == [earlier, entity("age", "45", 13, 15)]


def test_button_payloads_are_left_alone(component):
    msg = message('/inform{"age": "45"}', "fi")
    component.process([msg])
    assert msg.get(ENTITIES) is None
    padded = message("  /affirm", "fi")
    component.process([padded])
    assert padded.get(ENTITIES) is None


def test_empty_text_is_left_alone(component):
    for text in ("", "   "):
        msg = message(text, "fi")
        component.process([msg])
        assert msg.get(ENTITIES) is None


def test_message_without_anything_to_extract_gets_an_empty_list(component):
    msg = message("kiitos", "fi")
    component.process([msg])
    assert msg.get(ENTITIES) == []


def test_processes_several_messages(component):
    messages = [message("olen 45", "fi"), message("jag är arbetslös", "sv"), message("/greet", "en")]
    assert component.process(messages) is messages
    assert [e["entity"] for e in messages[0].get(ENTITIES)] == ["age"]
    assert [e["entity"] for e in messages[1].get(ENTITIES)] == ["unemployed"]
    assert messages[2].get(ENTITIES) is None


def test_process_training_data_passes_through(component):
    example = Message(data={TEXT: "olen 45", "intent": "inform",
                            ENTITIES: [{"entity": "age", "value": "45", "start": 5, "end": 7}]})
    training_data = TrainingData(training_examples=[example])
    assert component.process_training_data(training_data) is training_data
    assert example.get(ENTITIES) == [{"entity": "age", "value": "45", "start": 5, "end": 7}]


def test_entities_can_be_restricted_by_config():
    only_age = ProfileEntityExtractor.create({"entities": ["age"], "warm_up": False}, None, None, None)
    msg = message("mä oon 52 ja työtön", "fi")
    only_age.process([msg])
    assert [e["entity"] for e in msg.get(ENTITIES)] == ["age"]
    with pytest.raises(ValueError):
        ProfileEntityExtractor.create({"entities": ["shoe_size"]}, None, None, None)


def test_a_message_written_for_someone_else_gives_their_facts_and_says_so(component):
    written_for = message("Min son är 22 och sitter mest hemma i Ekenäs. Vart kan vi vända oss?", "sv")
    own = message("Jag är 45 och bor i Vasa. Min son är 20.", "sv")
    component.process([written_for, own])
    assert {e["entity"]: e["value"] for e in written_for.get(ENTITIES)} == {"age": "22", "municipality": "Raasepori"}
    assert written_for.get("about_someone_else") is True
    assert written_for.as_dict(only_output_properties=True).get("about_someone_else") is True  # reaches the actions
    assert {e["entity"]: e["value"] for e in own.get(ENTITIES)} == {"age": "45", "municipality": "Vaasa"}
    assert own.get("about_someone_else") is None



def test_written_for_someone_outright_their_facts_win_over_the_writers_own_reading(component):
    # "Han är 36, bor med mig i Borgå och har varit deprimerad och utan jobb": the subjectless
    # clauses had been read as the writer's own, and the interview asked the writer's age
    written_for = message("Skriver för min sambo. Han är 36, bor med mig i Borgå och har varit deprimerad "
                          "och utan jobb i tre år. Vad kan han göra?", "sv")
    component.process([written_for])
    assert {e["entity"]: e["value"] for e in written_for.get(ENTITIES)} == {
        "age": "36", "municipality": "Porvoo", "unemployed": "yes", "health_affects_work_ability": "yes"}
    assert written_for.get("about_someone_else") is True


def test_written_for_someone_outright_without_their_facts_still_says_so(component):
    # "kysyn veljen puolesta... voinko mä hakee sille": nothing of the brother's was read, but the
    # interview is for him ("Missä kunnassa asut?" had asked the writer)
    for_brother = message("kysyn veljen puolesta, voinko mä hakea sille kuntouttavaa työtoimintaa", "fi")
    own = message("voinko mä hakea kuntouttavaa työtoimintaa", "fi")
    component.process([for_brother, own])
    assert for_brother.get(ENTITIES) == [] and for_brother.get("about_someone_else") is True
    assert own.get("about_someone_else") is None
