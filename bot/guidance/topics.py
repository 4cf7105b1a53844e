"""Which knowledge-base topic answers which question (NLU intent).

Pure data shared by the Rasa actions and the content contract: every topic named here must
exist in ``topics.yml``. Where the answer depends on the resident's municipality, the
municipality-specific topic is used when it is known.
"""
from __future__ import annotations

TOPIC_OF_INTENT: dict[str, str] = {
    "ask_rehabilitative_work_activity": "rehabilitative_work_activity",
    "ask_goals": "goals",
    "ask_what_participants_do": "what_participants_do",
    "ask_who_is_it_for": "who_is_it_for",
    "ask_refusal": "refusal",
    "ask_cost": "expense_compensation",
    "ask_travel_costs": "travel_costs",
    "ask_absences": "absences",
    "ask_duration": "duration_and_hours",
    "ask_activation_plan": "plan_requirement",
    "ask_client_rights": "client_rights",
    "ask_accident_insurance": "accident_insurance",
    "ask_health_information": "health_information",
    "ask_reform": "rules_changing",
    "ask_health_and_pension": "health_and_pension",
    "ask_b_statement": "b_statement",
    "ask_how_to_apply": "how_to_apply",
    "ask_locations": "helsinki_workplaces",
    "ask_typ": "typ",
    "ask_duuri": "duuri",
    "ask_te_services": "employment_services_reform",
    "ask_work_ability_support": "work_ability_support",
    "ask_social_rehabilitation": "social_rehabilitation",
    # With the person's permission, or together (hel.fi, turku.fi); not one city's service.
    "ask_contact_for_someone_else": "contact_for_someone_else",
    "ask_corona": "corona_arrangements_2021",
    "ask_disability_work_activity": "work_activity_for_people_with_disabilities",
    "ask_service_path": "helsinki_service_path",
}
#: (intent, municipality) -> topic, where the answer depends on where the resident lives.
TOPIC_FOR_MUNICIPALITY: dict[tuple[str, str], str] = {
    ("ask_locations", "Helsinki"): "helsinki_workplaces",
    ("ask_locations", "Kempele"): "kempele",
    # Kempele's page tells where its activity takes place (municipal and state workplaces,
    # associations); the general answer would name Helsinki's work centres' kind of places.
    ("ask_what_participants_do", "Kempele"): "kempele",
    ("ask_how_to_apply", "Helsinki"): "how_to_apply_helsinki",
    ("ask_how_to_apply", "Kempele"): "kempele",
}


#: intent -> topic for a known municipality that has no topic of its own above.
#: Helsinki's work centres are no answer to "where is it?" from Tampere: whom to ask there is.
TOPIC_ELSEWHERE: dict[str, str] = {"ask_how_to_apply": "how_to_apply_elsewhere",
                                   "ask_locations": "how_to_apply_elsewhere"}


def topic_for(intent: str, municipality: str | None) -> str | None:
    """The topic answering ``intent`` for a resident of ``municipality`` (None: not a topic)."""
    if municipality is not None:
        if (intent, municipality) in TOPIC_FOR_MUNICIPALITY:
            return TOPIC_FOR_MUNICIPALITY[(intent, municipality)]
        if intent in TOPIC_ELSEWHERE:
            return TOPIC_ELSEWHERE[intent]
    return TOPIC_OF_INTENT.get(intent)


def topic_ids() -> set:
    return set(TOPIC_OF_INTENT.values()) | set(TOPIC_FOR_MUNICIPALITY.values()) | set(TOPIC_ELSEWHERE.values())
