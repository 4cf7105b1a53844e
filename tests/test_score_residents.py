"""The residents' scorer (tests/eval/score_residents.py) leaves out the privacy line that opens
a conversation, but not the privacy answer to "is this chat saved?". Fast: no servers."""
from __future__ import annotations

from bot.knowledge import get_knowledge
from tests.eval import score_residents


def test_the_opening_privacy_line_is_left_out_and_the_privacy_answer_kept():
    kb = get_knowledge()
    line = kb.text("dialogue.privacy_line", "en", days=30)
    notice = kb.text("dialogue.privacy_notice", "en", days=30)
    opening = [{"text": line}, {"text": "Hi! I help you find a service."}]
    assert score_residents.without_notices(opening) == opening[1:]
    answer = [{"text": line}, {"text": notice}, {"custom": {"answer": "privacy"}}]
    assert score_residents.without_notices(answer) == answer[1:]


def test_a_places_variant_of_a_topic_counts_as_the_topic_and_another_topic_does_not():
    item = {"id": "x", "language": "en", "text": "How do I apply in Vantaa?", "expect": ["how_to_apply"],
            "key_patterns": ["vantaa|contact"]}
    reply = [{"text": "In Vantaa, contact the social services of your wellbeing services county."},
             {"custom": {"answer": "how_to_apply_elsewhere"}}]
    assert score_residents.classify(item, reply, None)["class"] == "correct"
    other = [{"text": "Contact the social services."}, {"custom": {"answer": "who_is_it_for"}}]
    assert score_residents.classify(item, other, None)["class"] == "wrong"
    # the variant is not the topic when the label does not name it
    typ = {**item, "expect": ["typ"]}
    assert score_residents.classify(typ, reply, None)["class"] == "wrong"
    # a label that names the variant itself is answered right by it, whatever it relates
    close = {**item, "expect": ["contact_for_someone_else"], "related": ["how_to_apply"], "key_patterns": []}
    for_her = [{"text": "A relative can contact social services."}, {"custom": {"answer": "contact_for_someone_else"}}]
    assert score_residents.classify(close, for_her, None)["class"] == "correct"


def test_only_the_facts_the_profile_holds_are_checked():
    given = {"municipality": "Helsinki", "age": 47, "housing": "supported_housing"}
    assert score_residents.facts_understood(given, {"municipality": "Helsinki", "age": "47"}, []) == (True, "")
    understood, detail = score_residents.facts_understood(given, {"municipality": None, "age": "47"}, [])
    assert not understood and "municipality" in detail and "housing" not in detail
    assert score_residents.facts_understood({"education": "vocational"}, {}, []) == (True, "")
