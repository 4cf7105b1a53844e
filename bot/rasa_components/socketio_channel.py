"""Rasa's Socket.IO channel with working session persistence (loaded by Rasa from
``config/credentials.yml``; the gateway itself never imports this module).

Rasa 3.6's channel calls ``sio.enter_room(...)`` without ``await``; since python-socketio 5.x
made ``AsyncServer.enter_room`` a coroutine, the client never joins its session's room and,
with ``session_persistence: true``, never receives a reply (RasaHQ/rasa#13027). This
subclass re-registers the ``session_request`` handler with the room joined properly;
everything else, including the channel name ``socketio`` and its URLs, is Rasa's.
"""
from __future__ import annotations

import inspect
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint


class SocketIOInput(RasaSocketIOInput):
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        sio = self.sio

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            session_id = (data or {}).get("session_id") or uuid.uuid4().hex
            if self.session_persistence:
                joined = sio.enter_room(sid, session_id, namespace=self.namespace)
                if inspect.isawaitable(joined):  # python-socketio >= 5.x: a coroutine
                    await joined
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        return blueprint
