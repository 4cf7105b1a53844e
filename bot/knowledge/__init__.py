"""The knowledge base: the YAML files staff edit (in this folder) and the code that loads and
checks them. See README.md here for the files and their fields.

* ``model``   — the typed, read-only objects and the time rules (current / ended / not started)
* ``loader``  — reading and validating the files (``load_knowledge``, ``ContentError``)
* ``store``   — the process-wide copy, reloaded when a file changes (``get_knowledge``)
* ``formats`` — single values: dates, phone numbers, e-mail and web addresses
* ``numbers`` — rule numbers typed into a text instead of named as a parameter
* ``areas``   — every municipality's wellbeing services county and employment area
"""
from bot.knowledge.loader import KNOWLEDGE_DIR, ContentError, Contract, load_knowledge, resolve_path
from bot.knowledge.model import Knowledge, UnknownIdError
from bot.knowledge.store import clear_cache, get_knowledge, knowledge_status

__all__ = [
    "KNOWLEDGE_DIR",
    "ContentError",
    "Contract",
    "Knowledge",
    "UnknownIdError",
    "clear_cache",
    "get_knowledge",
    "knowledge_status",
    "load_knowledge",
    "resolve_path",
]
