"""What the assistant's code needs from the knowledge base, in one explicit place.

The loader reads this contract (``bot.knowledge.loader.load_knowledge``) and refuses
content that lacks an id the code uses — so a staff edit that deletes ``question.age`` from
messages.yml or the ``work_ability_support`` route from services.yml is reported by
``python -m bot check-content`` and never reaches a conversation. Built from the rules'
tables, the profile's field order, the buttons and the chat replies; nothing registers
itself at import time.
"""
from __future__ import annotations

from functools import lru_cache

from bot.knowledge.loader import Contract

#: Messages the custom actions and the gateway say (actions/*.py, bot/gateway/); a test checks
#: that every message id used there is listed here.
DIALOGUE_MESSAGE_IDS = frozenset({
    "dialogue.privacy_notice", "dialogue.privacy_line", "dialogue.restarted", "dialogue.forgotten",
    "button.privacy", "dialogue.human_contact_intro",
    # actions/sayings.py
    "dialogue.greet", "dialogue.goodbye", "dialogue.thanks", "dialogue.ask_language", "dialogue.language_changed",
    "dialogue.out_of_scope", "dialogue.bot_challenge", "dialogue.help", "dialogue.anything_else",
    "dialogue.emergency", "dialogue.not_understood_answer", "button.ask_duration", "button.ask_cost",
})

#: Residents' feedback on answers (actions/feedback.py).
FEEDBACK_MESSAGE_IDS = frozenset({
    "feedback.question", "feedback.button_yes", "feedback.button_no", "feedback.thanks",
    "feedback.ask_comment", "feedback.button_no_comment", "feedback.thanks_comment",
})


@lru_cache(maxsize=1)
def required() -> Contract:
    from bot.guidance import chat, interview, rules, topics, views

    return Contract(
        services=frozenset(rules.ROUTE_IDS),
        messages=frozenset(rules.REASON_IDS) | frozenset(views.MESSAGE_IDS) | frozenset(chat.MESSAGE_IDS)
        | interview.message_ids() | DIALOGUE_MESSAGE_IDS | FEEDBACK_MESSAGE_IDS,
        parameters=frozenset(rules.PARAMETER_IDS),
        topics=frozenset(topics.topic_ids()),
    )
