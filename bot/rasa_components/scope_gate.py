"""NLU component after the classifier: a question about another service is answered honestly.

A question that names another service or benefit and nothing of the assistant's subject
(bot/nlu/scope.py) gets the intent ``ask_elsewhere`` (a question for another service) instead
of the nearest question intent, so the assistant says it does not know and names who does,
instead of answering another topic; in the middle of the interview it then asks its question
again (an ``nlu_fallback`` there would have been "I did not understand your answer"). So do
small talk naming something next to the subject, how much a benefit is and how long a
decision takes (below). The checks that find doubt rather than another service (unsure
questions) give ``nlu_fallback``. Only question intents are checked (``ask_*``,
``out_of_scope``, ``start_guidance``):
answers in the interview, greetings and feedback keep their intent.

A topic question that names nothing of the assistant's subject and that the classifier is
unsure of (top confidence below ``unsure_below``, at least ``min_words`` words) becomes a
fallback too: "Mikä on uusi asiakaspalvelumalli?" or "Vilka arbetslöshetsförmåner betalar
FPA ut?" were given Helsinki's work centres and the activity's money with 0.36 and 0.58.
A topic question that names something next to the subject (unemployment, Kela, benefits:
``near`` in scope.yml) and neither the subject itself nor points to it ("there", "it") needs
a surer classifier (``near_unsure_below``): "Hur påverkar arbetslöshet förmånerna från
FPA?" is most likely a question for Kela, not for the activity.
The classifier has an intent of its own for questions for another service (``ask_elsewhere``:
Kela's benefits, job seeking duties, housing, day care; data/nlu/*/elsewhere.yml), answered
with "I don't know, ask X". Long stories name benefits and services around a question about
the activity, and the classifier is then near certain of "elsewhere": one that names the
activity or points to it as a place ("sinne", "dit", "the whole thing": ``ours`` and
``going_there`` in scope.yml) gets the classifier's next question intent instead, with its
share of the confidence left, and the checks below then see that confidence.
A question the classifier takes for the activity's money that asks how much an unemployment
benefit itself is ("How much is unemployment benefit from Kela per month?") is for another service
too: Kela knows (``benefits``, ``amount`` and ``pointing`` in scope.yml).
A long topic question that names the subject and something next to it and that the classifier
is quite unsure of (``mixed_unsure_below``) is a fallback too.
A question the classifier takes for the activity's duration that asks how long an application
or a decision takes (``processing`` in scope.yml) is for another service too.
So is a question the classifier takes for the activity's money that asks when money comes
(``payment_time``): the payer knows its payment days.
A question the classifier takes for small talk (``out_of_scope``) that names something next
to the subject (unemployment, job seeking, benefits: ``near`` in scope.yml) is for another service
too: the contact that knows is more use to the resident than "I can't help with that".
Small talk to the classifier of ``min_words`` words or more that names the activity itself
(``ours``) is no small talk: venting about the activity or a question the classifier could not
place gets the honest answer with the contact (``nlu_fallback``).
Short questions ("är det gratis?") are left to the classifier: they are the assistant's
own questions asked briefly. Measured on the written probes, the real dev set and the
held-out NLU set (tests/eval/README.md, "Unsure questions").

A long message the classifier takes for a request for help with the assistant itself ("what
can you do?") is a question of the resident's own: it is handled like small talk above, so
one that names a benefit, job seeking or another service gets "I don't know, ask X" with the
contact, not the list of what the assistant can do. The help examples are short (at most 8
words); a message of ``help_max_words`` words or more is no such request.

A request for the assistant to make something (a poem, a script, a translation: ``tasks`` in
scope.yml) is small talk whatever it names: "write me a python script to scrape job ads" is no
question for the employment services.

Thanks at the start of a message that asks nothing ("kiitos paljon, soitan sinne huomenna",
"cheers mate": ``thanks`` in scope.yml) are thanks, whatever the classifier made of the rest
(small talk, or a question it was unsure of).

A message with no letter or digit at all ("???", an emoji) carries nothing the classifier
can read: its intent would be whichever class the model leans to ("???" came out as the
question about money). It gets the intent ``help`` instead: what the assistant can do, or
the interview's question again.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.guidance.topics import TOPIC_OF_INTENT
from bot.nlu.extract import tells_something
from bot.nlu.fillers import without_fillers
from bot.nlu.scope import (
    ASK_ELSEWHERE,
    ELSEWHERE,
    asks_a_benefits_amount,
    asks_for_a_task,
    asks_payment_time,
    asks_processing_time,
    is_near,
    is_near_only,
    load,
    names_another_service,
    names_or_points_to_our_subject,
    names_our_subject,
    says_thanks,
)
from bot.rasa_components.intent_rule import IntentRule, override_intent
from bot.rasa_components.language_resolver import LANGUAGE

FALLBACK = "nlu_fallback"
#: The intent of a request for help with the assistant itself, and the one a message without
#: words gets (see the module's docstring).
HELP = "help"


def is_question_intent(name: str) -> bool:
    return name.startswith("ask_") or name in ("out_of_scope", "start_guidance")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ScopeGate(IntentRule):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # 0.0 turns the unsure-question check off
        return {"unsure_below": 0.0, "min_words": 4, "near_unsure_below": 0.0, "help_max_words": 0,
                "mixed_unsure_below": 0.0, "mixed_min_words": 10, "statement_unsure_below": 0.0}

    def __init__(self, unsure_below: float = 0.0, min_words: int = 4, near_unsure_below: float = 0.0,
                 help_max_words: int = 0, mixed_unsure_below: float = 0.0, mixed_min_words: int = 10,
                 statement_unsure_below: float = 0.0) -> None:
        self.unsure_below = unsure_below
        self.min_words = min_words
        self.near_unsure_below = max(near_unsure_below, unsure_below)
        self.help_max_words = help_max_words  # 0: a request for help is never a question
        self.mixed_unsure_below = mixed_unsure_below  # 0.0: off
        self.mixed_min_words = mixed_min_words
        self.statement_unsure_below = statement_unsure_below  # 0.0: off

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> ScopeGate:
        load()  # a broken word list stops the model from loading, not a resident's message
        config = {**cls.get_default_config(), **config}
        return cls(float(config["unsure_below"]), int(config["min_words"]), float(config["near_unsure_below"]),
                   int(config["help_max_words"]), float(config["mixed_unsure_below"]), int(config["mixed_min_words"]),
                   float(config["statement_unsure_below"]))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            text = message.get(TEXT) or ""
            if text and not text.startswith("/") and not any(ch.isalnum() for ch in text):
                override_intent(message, {"name": HELP, "confidence": 1.0})
                continue
            # the words are read without fillers that look like a service's name (Swedish "typ")
            text = without_fillers(text, (message.get(LANGUAGE) or {}).get("code"))
            if intent.get("name") in (FALLBACK, "out_of_scope") or is_question_intent(intent.get("name") or ""):
                if says_thanks(text):
                    override_intent(message, {"name": "thanks", "confidence": 1.0})
                    continue
            if intent.get("name") == HELP and self.help_max_words and len(text.split()) >= self.help_max_words:
                intent = {"name": "out_of_scope", "confidence": intent.get("confidence", 0.0)}
                override_intent(message, intent)
            if not is_question_intent(intent.get("name") or ""):
                continue
            if intent.get("name") == ASK_ELSEWHERE and names_or_points_to_our_subject(text):
                intent = self._about_our_subject_after_all(message, intent)
            if asks_for_a_task(text):
                override_intent(message, {"name": "out_of_scope", "confidence": 1.0})
                continue
            confidence = intent.get("confidence", 0.0)
            other = names_another_service(text)
            if other is not None:
                override_intent(message, {"name": ASK_ELSEWHERE, "confidence": confidence})
                message.set(ELSEWHERE, other, add_to_output=True)
            elif (self._near_our_subject(intent, text) or self._a_benefits_amount(intent, text)
                  or self._a_processing_time(intent, text) or self._a_payment_time(intent, text)):
                # a question for another service, as if the classifier had seen it
                override_intent(message, {"name": ASK_ELSEWHERE, "confidence": confidence})
            elif (self._unsure_outside_our_subject(intent, text)
                  or self._unsure_about_something_next_to_it(intent, text)
                  or self._small_talk_about_our_subject(intent, text)
                  or self._unsure_statement(intent, message, text)):
                # doubt: the honest answer without a guess at what was asked
                override_intent(message, {"name": FALLBACK, "confidence": confidence})
        return messages

    @staticmethod
    def _about_our_subject_after_all(message: Message, intent: Dict[Text, Any]) -> Dict[Text, Any]:
        """A question for another service to the classifier that names the activity or points
        to it ("Mulla on työmarkkinatuki ja asumistuki ja nyt pitäis alkaa käydä siellä
        kuntouttavassa... saanko siitä jotain ylimäärästä rahaa?") is the classifier's next
        question intent, with its confidence among the intents other than "elsewhere": long
        messages name benefits and services around their question, and the classifier is
        near certain of "elsewhere" for many of them. The rules below then see that
        confidence (a long, unsure question that names a benefit is still answered honestly)."""
        elsewhere = float(intent.get("confidence") or 0.0)
        rest = max(1e-9, 1.0 - elsewhere)
        for other in message.get(INTENT_RANKING_KEY) or []:
            name = other.get("name") or ""
            if name != ASK_ELSEWHERE and is_question_intent(name):
                chosen = {"name": name, "confidence": min(1.0, float(other.get("confidence") or 0.0) / rest)}
                override_intent(message, chosen)
                return chosen
        return intent

    @staticmethod
    def _near_our_subject(intent: Dict[Text, Any], text: str) -> bool:
        """Small talk to the classifier, but about unemployment, job seeking or benefits
        ("What to remember when you are unemployed?"): "I don't know, ask X" with a
        contact is the honest answer, not "I can't help with that"."""
        return intent.get("name") == "out_of_scope" and is_near(text)

    def _small_talk_about_our_subject(self, intent: Dict[Text, Any], text: str) -> bool:
        """Small talk to the classifier, but about the activity itself ("ei jaksa enää. taas yks
        aamu kierrätyskeskuksessa lajittelemassa muiden roskia yhdeksällä eurolla"): venting or a
        question the classifier could not place. "I can't help with that, I can tell you about
        rehabilitative work activity" answers no one; the honest answer with the contact does,
        and a message that asks nothing is thanked for (bot/guidance/chat.py)."""
        return (intent.get("name") == "out_of_scope" and len(text.split()) >= self.min_words
                and names_our_subject(text))

    def _unsure_statement(self, intent: Dict[Text, Any], message: Message, text: str) -> bool:
        """A message that tells and asks nothing ("Kuntsarissa taas koko päivä lajiteltiin
        ruuveja pusseihin. 9 euroa päivä. Tällästä tää on."), which the classifier placed in a
        topic unsurely (below ``statement_unsure_below``): a topic's facts answer no question. It
        is thanked for, with the contact, and the guessed topic is offered ("did you mean")."""
        return (intent.get("name") in TOPIC_OF_INTENT
                and float(intent.get("confidence") or 0.0) < self.statement_unsure_below
                and tells_something(text, (message.get(LANGUAGE) or {}).get("code") or "fi"))

    @staticmethod
    def _a_benefits_amount(intent: Dict[Text, Any], text: str) -> bool:
        """The activity's money to the classifier, but a question about how much an
        unemployment benefit itself is ("Hur stort är arbetsmarknadsstödet per dag?"): Kela
        knows, and the 9 euros of the activity would answer another question."""
        return intent.get("name") == "ask_cost" and asks_a_benefits_amount(text)

    @staticmethod
    def _a_processing_time(intent: Dict[Text, Any], text: str) -> bool:
        """The activity's duration to the classifier, but a question about how long an
        application or a decision takes ("Hur lång tid tar det att handlägga ansökan?"): the
        office that handles it knows, and the activity's 3-24 months answer another question."""
        return intent.get("name") == "ask_duration" and asks_processing_time(text)

    @staticmethod
    def _a_payment_time(intent: Dict[Text, Any], text: str) -> bool:
        """The activity's money to the classifier, but a question about when money comes
        ("När får jag mina pengar?", ``payment_time`` in scope.yml): the payer's payment days,
        which the assistant does not know; the 9 euros a day answer another question."""
        return intent.get("name") == "ask_cost" and asks_payment_time(text)

    def _unsure_about_something_next_to_it(self, intent: Dict[Text, Any], text: str) -> bool:
        """A long topic question that names the subject and something next to it (a benefit,
        Kela, another service) and that the classifier is unsure of (``mixed_unsure_below``):
        "Kela ei oo maksanu kulukorvausta kolmeen viikkoon ... Kenelle pitää soittaa, kunnalle
        vai Kelaan?" came out as the absences topic with 0.38. Which topic it is, the
        classifier cannot tell; who can answer, the contact can. A service named by name gets
        its own answer back from the next component (NamedService)."""
        if (not self.mixed_unsure_below or intent.get("name") not in TOPIC_OF_INTENT
                or len(text.split()) < self.mixed_min_words):
            return False
        if float(intent.get("confidence") or 0.0) >= self.mixed_unsure_below:
            return False
        return is_near(text) or names_another_service(text, ignore_ours=True) is not None

    def _unsure_outside_our_subject(self, intent: Dict[Text, Any], text: str) -> bool:
        if intent.get("name") not in TOPIC_OF_INTENT or len(text.split()) < self.min_words:
            return False
        confidence = float(intent.get("confidence") or 0.0)
        if confidence >= self.near_unsure_below or names_our_subject(text):
            return False
        return confidence < self.unsure_below or is_near_only(text)

