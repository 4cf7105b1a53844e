"""The assistant's own structured data stays out of messaging channels
(bot/rasa_components/channel_data.py)."""
from __future__ import annotations

import asyncio

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel

import bot.rasa_components  # noqa: F401 - installs the filter, as when Rasa loads the model
from bot.rasa_components.channel_data import install_internal_data_filter, without_internal_data


class RecordingChannel(OutputChannel):
    """A messaging channel that records what it would send."""

    def __init__(self) -> None:
        self.sent: list[tuple] = []

    async def send_text_message(self, recipient_id, text, **kwargs):
        self.sent.append(("text", text))

    async def send_text_with_buttons(self, recipient_id, text, buttons, **kwargs):
        self.sent.append(("buttons", text, [b["title"] for b in buttons]))

    async def send_custom_json(self, recipient_id, json_message, **kwargs):
        self.sent.append(("custom", json_message))


def test_internal_data_is_left_out_and_the_visible_part_kept():
    assert without_internal_data({"custom": {"answer": "route", "routes": ["typ"]}}) is None
    assert without_internal_data({"custom": {"language": "fi"}}) is None
    question = {"text": "Oliko tästä apua?", "buttons": [{"title": "Kyllä", "payload": "/feedback"}],
                "custom": {"feedback_question": "route"}}
    assert without_internal_data(question) == {"text": "Oliko tästä apua?", "buttons": question["buttons"]}
    other = {"custom": {"blocks": []}}  # a channel's own payload (e.g. Slack blocks) is not ours
    assert without_internal_data(other) is other


def test_messaging_channels_do_not_get_it_and_rest_does():
    assert install_internal_data_filter()  # already installed: a second call changes nothing
    channel = RecordingChannel()
    asyncio.run(channel.send_response("r", {"custom": {"answer": "greet"}}))
    asyncio.run(channel.send_response("r", {"text": "Oliko tästä apua?",
                                            "buttons": [{"title": "Kyllä", "payload": "/x"}],
                                            "custom": {"feedback_question": "greet"}}))
    asyncio.run(channel.send_response("r", {"custom": {"blocks": []}}))
    assert channel.sent == [("buttons", "Oliko tästä apua?", ["Kyllä"]), ("custom", {"blocks": []})]
    rest = CollectingOutputChannel()
    asyncio.run(rest.send_response("r", {"custom": {"answer": "greet"}}))
    assert rest.messages == [{"recipient_id": "r", "custom": {"answer": "greet"}}]
