"""The action server's launcher (actions/server.py)."""
from __future__ import annotations

import sys

import actions.server as server


def test_the_server_loads_what_the_first_turn_needs_before_it_answers(monkeypatch):
    # The first turn after a start had loaded the fact extractor (8 s on a fresh machine), and
    # the server had not answered the gateway's health probe meanwhile: "not answering right now".
    calls: list[str] = []

    class App:
        def run(self, **_kwargs):
            calls.append("run")

    monkeypatch.setattr(sys, "argv", ["actions.server", "--port", "5999"])
    monkeypatch.setattr(server, "build_app", lambda token: App())
    monkeypatch.setattr(server, "warm_up", lambda: calls.append("warm_up"))
    server.main()
    assert calls == ["warm_up", "run"]


def test_warm_up_loads_the_knowledge_and_the_extractor(monkeypatch):
    import bot.knowledge
    import bot.nlu.extract

    loaded: list[str] = []
    monkeypatch.setattr(bot.knowledge, "get_knowledge", lambda: loaded.append("knowledge"))
    monkeypatch.setattr(bot.nlu.extract, "warm_up", lambda: loaded.append("extractor"))
    server.warm_up()
    assert loaded == ["knowledge", "extractor"]
