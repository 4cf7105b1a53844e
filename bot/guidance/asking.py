"""Who can answer a question the assistant has no answer for.

An honest "I don't know" names the contact for that kind of question: Kela for benefit
decisions, the social ombudsman for complaints and rights, the employment services for job
seeking, otherwise the resident's own social services. The kind is read from the question's
words (``bot/knowledge/asking.yml``, editable by staff); the contact depends on the
municipality (``county`` = the resident's wellbeing services county from the areas table).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple

import yaml

from bot.knowledge import get_knowledge
from bot.knowledge.areas import county_of
from bot.knowledge.model import Contact, Knowledge, is_current
from bot.language.tags import LANGUAGES

ASKING_FILE = Path(__file__).resolve().parent.parent / "knowledge" / "asking.yml"
COUNTY = "county"
OTHER = "other"
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True)
class Kind:
    id: str
    lead: str  # message id: "Kela can answer this:" etc.
    contacts: Mapping[str, str]  # municipality (or "other") -> contact id or "county"
    words: Mapping[str, Tuple[str, ...]]  # language -> word beginnings


@dataclass(frozen=True)
class Asking:
    kinds: Tuple[Kind, ...]
    default: Kind


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return text.replace("å", "a").replace("ä", "a").replace("ö", "o")


def parse(data: object) -> Tuple[Optional[Asking], List[str]]:
    """The file's content, or the problems found in it."""
    errors: List[str] = []
    if not isinstance(data, Mapping) or not isinstance(data.get("kinds"), list):
        return None, ["asking.yml: must have a list 'kinds' and a 'default' kind id"]
    kinds: List[Kind] = []
    for index, raw in enumerate(data["kinds"]):
        where = f"asking.yml: kinds[{index}]"
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
            errors.append(f"{where}: needs id, lead, contacts and words")
            continue
        contacts = raw.get("contacts")
        words = raw.get("words") or {}
        if not isinstance(contacts, Mapping) or OTHER not in contacts:
            errors.append(f"{where}: contacts must map municipalities and '{OTHER}' to contact ids or '{COUNTY}'")
            continue
        if not isinstance(words, Mapping) or any(not isinstance(words.get(lang, []), list) for lang in LANGUAGES):
            errors.append(f"{where}: words must list word beginnings per language (fi, sv, en)")
            continue
        kinds.append(Kind(raw["id"], str(raw.get("lead", "")), {str(k): str(v) for k, v in contacts.items()},
                          {lang: tuple(_fold(str(w)) for w in words.get(lang, [])) for lang in LANGUAGES}))
    default = next((k for k in kinds if k.id == data.get("default")), None)
    if default is None:
        errors.append("asking.yml: 'default' must name one of the kinds")
    return (Asking(tuple(kinds), default) if default and not errors else None), errors


def check(knowledge: Knowledge, path: Path = ASKING_FILE) -> List[str]:
    """Problems in asking.yml, including unknown contact and message ids."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        return [f"asking.yml: cannot be read: {exc}"]
    asking, errors = parse(data)
    for kind in asking.kinds if asking else ():
        if kind.lead not in knowledge.messages:
            errors.append(f"asking.yml: kind '{kind.id}': lead: unknown message id {kind.lead!r}")
        for municipality, ref in kind.contacts.items():
            if ref != COUNTY and ref not in knowledge.contacts:
                errors.append(f"asking.yml: kind '{kind.id}': contacts: {municipality}: unknown contact id {ref!r}")
    return errors


@lru_cache(maxsize=2)
def _load(path: Path = ASKING_FILE) -> Asking:
    asking, errors = parse(yaml.safe_load(path.read_text(encoding="utf-8")))
    if asking is None:
        raise ValueError("; ".join(errors))
    return asking


def kind_of(text: str, language: str) -> Kind:
    """The kind of question ``text`` is (the default kind when no word matches)."""
    asking = _load()
    words = [_fold(w) for w in _WORD.findall(text or "")]
    for kind in asking.kinds:
        beginnings = kind.words.get(language, ()) + tuple(w for lang in LANGUAGES if lang != language
                                                          for w in kind.words.get(lang, ()))
        if any(word.startswith(b) for word in words for b in beginnings):
            return kind
    return asking.default


def contacts_for(kind: Kind, municipality: Optional[str], today: date,
                 knowledge: Optional[Knowledge] = None) -> List[Contact]:
    """The contact(s) for ``kind`` in ``municipality``: its own one, else the 'other' one."""
    kb = knowledge if knowledge is not None else get_knowledge()
    ref = kind.contacts.get(municipality or "", kind.contacts[OTHER])
    if ref == COUNTY:
        county = county_of(municipality) if municipality else None
        if county is None:
            ref = kind.contacts.get("unknown", "")
        else:
            return [Contact(sources=(county.source,), valid_from=None, valid_until=None,
                            certainty=county.certainty, id=f"area_{county.id}", service_id="own_municipality",
                            name=county.name, web=county.web)]
    contact = kb.contacts.get(ref)
    return [contact] if contact is not None and is_current(contact, today) else []


def lead_messages() -> Dict[str, str]:
    return {kind.id: kind.lead for kind in _load().kinds}
