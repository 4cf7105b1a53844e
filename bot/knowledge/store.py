"""The process-wide knowledge base: loaded once, reloaded when a file changes.

If the changed files do not validate, the last good content keeps being served and the error
is logged and kept for the health check (a typo in a phone number must not take the service
down). Only the very first load raises.
"""
from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.knowledge.loader import FILES, ContentError, load_knowledge, resolve_path
from bot.knowledge.model import Knowledge

log = logging.getLogger("bot.knowledge")


@dataclass
class _Cached:
    knowledge: Knowledge
    signature: tuple
    loaded_at: datetime
    last_error: ContentError | None = None


_cache: dict[Path, _Cached] = {}
_lock = threading.Lock()


def _signature(directory: Path) -> tuple:
    parts: list[tuple[str, int | None, int | None]] = []
    for name in FILES:
        try:
            stat = (directory / name).stat()
            parts.append((name, stat.st_mtime_ns, stat.st_size))
        except OSError:
            parts.append((name, None, None))
    return tuple(parts)


def get_knowledge(path: os.PathLike | None = None) -> Knowledge:
    """The current knowledge base, reloaded when a file changed (see the module docstring)."""
    directory = resolve_path(path).resolve()
    with _lock:
        cached = _cache.get(directory)
        signature = _signature(directory)
        if cached is not None and cached.signature == signature:
            return cached.knowledge
        try:
            knowledge = load_knowledge(directory)
        except ContentError as exc:
            if cached is None:
                raise
            cached.signature = signature  # do not re-parse until the files change again
            cached.last_error = exc
            log.error("knowledge files changed but do not validate; still serving the content "
                      "loaded at %s.\n%s", cached.loaded_at.isoformat(timespec="seconds"), exc)
            return cached.knowledge
        _cache[directory] = _Cached(knowledge, signature, datetime.now())
        return knowledge


def knowledge_status(path: os.PathLike | None = None) -> dict[str, Any]:
    """For health checks: when the served content was loaded and the last reload error, if any."""
    directory = resolve_path(path).resolve()
    with _lock:
        cached = _cache.get(directory)
        if cached is None:
            return {"loaded": False, "loaded_at": None, "last_error": None}
        return {
            "loaded": True,
            "loaded_at": cached.loaded_at.isoformat(timespec="seconds"),
            "last_error": str(cached.last_error) if cached.last_error else None,
        }


def clear_cache() -> None:
    """Forget cached content (tests)."""
    with _lock:
        _cache.clear()
