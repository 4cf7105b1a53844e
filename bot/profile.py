"""What the assistant knows about the resident's situation.

Every field is optional: ``None`` means "not known yet". Fields the resident declined to
answer are listed in ``skipped``; they stay unknown and are never asked again.
``Profile.from_mapping`` accepts loose input from a dialogue or the command line
("kyllä", "ja", "yes", True, "45", "Helsingissä", "Helsingfors", ...).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

#: The order in which missing facts are asked (and listed in ``Advice.ask_next``).
FIELD_ORDER = (
    "municipality",
    "age",
    "unemployed",
    "health_affects_work_ability",
    "disability",
    "disability_pension",
    "referral",
    "plan",
    "client_of",
)

REFERRALS = ("none", "social_welfare", "criminal_sanctions")
PLANS = ("none", "activation_plan", "multisectoral_plan")
CLIENT_OF = ("social_services", "typ", "employment_services", "none")
BOOLEAN_FIELDS = ("unemployed", "health_affects_work_ability", "disability", "disability_pension")
ENUM_FIELDS = {"referral": REFERRALS, "plan": PLANS, "client_of": CLIENT_OF}
MIN_AGE, MAX_AGE = 0, 120

_TRUE = {"yes", "y", "true", "1", "on", "kyllä", "kylla", "k", "joo", "on kyllä", "ja", "j"}
_FALSE = {"no", "n", "false", "0", "off", "ei", "e", "nej"}
#: Answers that mean "not known" (the field stays None but is not marked skipped).
_UNKNOWN = {"", "unknown", "?", "en tiedä", "en tieda", "vet inte", "don't know", "dont know"}
#: Loose spellings of "none" for the enum fields.
_NONE_WORDS = {"none", "no", "ei", "nej", "ei ole", "ingen", "inget", "ei mitään"}


class ProfileError(ValueError):
    """An answer that cannot be understood for ``field``."""

    def __init__(self, field: str, value: Any, hint: str = ""):
        self.field = field
        self.value = value
        message = f"invalid value for {field}: {value!r}"
        super().__init__(f"{message} ({hint})" if hint else message)


def _normalise_municipality(text: str) -> str | None:
    # Imported lazily: bot.municipalities is maintained separately (names in all forms).
    from bot.municipalities import normalise_municipality

    return normalise_municipality(text)


def parse_bool(field_name: str, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        if word in _UNKNOWN:
            return None
    raise ProfileError(field_name, value, "expected yes or no")


def parse_age(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ProfileError("age", value, "expected a whole number of years")
    if isinstance(value, str):
        text = value.strip()
        if text.lower() in _UNKNOWN:
            return None
        if not text.isdigit():
            raise ProfileError("age", value, "expected a whole number of years")
        value = int(text)
    if not isinstance(value, int):
        raise ProfileError("age", value, "expected a whole number of years")
    if not MIN_AGE <= value <= MAX_AGE:
        raise ProfileError("age", value, f"expected {MIN_AGE}-{MAX_AGE}")
    return value


def parse_enum(field_name: str, value: Any) -> str | None:
    if value is None:
        return None
    allowed = ENUM_FIELDS[field_name]
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _UNKNOWN:
            return None
        if word in _NONE_WORDS:
            return "none"
        key = word.replace("-", "_").replace(" ", "_")
        if key in allowed:
            return key
    raise ProfileError(field_name, value, f"expected one of {', '.join(allowed)}")


def parse_municipality(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ProfileError("municipality", value, "expected a municipality name")
    if value.strip().lower() in _UNKNOWN:
        return None
    name = _normalise_municipality(value)
    if name is None:
        raise ProfileError("municipality", value, "not a Finnish municipality")
    return name


@dataclass(frozen=True)
class Profile:
    """The resident's situation; ``None`` = unknown."""

    age: int | None = None
    municipality: str | None = None  # canonical Finnish name, e.g. "Helsinki"
    unemployed: bool | None = None
    health_affects_work_ability: bool | None = None
    disability: bool | None = None
    # Receives a disability pension or rehabilitation support (the social rehabilitation
    # service point's condition; asked only when it decides the answer).
    disability_pension: bool | None = None
    referral: str | None = None  # none | social_welfare | criminal_sanctions
    plan: str | None = None  # none | activation_plan | multisectoral_plan
    client_of: str | None = None  # social_services | typ | employment_services | none
    skipped: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.age is not None:
            parse_age(self.age)
        for name in BOOLEAN_FIELDS:
            value = getattr(self, name)
            if value is not None and not isinstance(value, bool):
                raise ProfileError(name, value, "expected True, False or None")
        for name, allowed in ENUM_FIELDS.items():
            value = getattr(self, name)
            if value is not None and value not in allowed:
                raise ProfileError(name, value, f"expected one of {', '.join(allowed)}")
        skipped = frozenset(self.skipped)
        unknown = skipped - set(FIELD_ORDER)
        if unknown:
            raise ProfileError("skipped", sorted(unknown), f"expected field names from {', '.join(FIELD_ORDER)}")
        # An answer given later wins over an earlier "I'd rather not say".
        object.__setattr__(self, "skipped", frozenset(f for f in skipped if getattr(self, f) is None))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Profile:
        """Build a profile from loose input; raise :class:`ProfileError` for invalid values."""
        known = set(FIELD_ORDER) | {"skipped"}
        for key in data:
            if key not in known:
                raise ProfileError(str(key), data[key], "unknown field")
        values: dict[str, Any] = {
            "age": parse_age(data.get("age")),
            "municipality": parse_municipality(data.get("municipality")),
        }
        for name in BOOLEAN_FIELDS:
            values[name] = parse_bool(name, data.get(name))
        for name in ENUM_FIELDS:
            values[name] = parse_enum(name, data.get(name))
        skipped = data.get("skipped") or ()
        if isinstance(skipped, str):
            skipped = [s for s in skipped.replace(",", " ").split() if s]
        values["skipped"] = frozenset(skipped)
        return cls(**values)

    def missing(self) -> list:
        """Unknown fields that may still be asked, in the natural order."""
        return [f for f in FIELD_ORDER if getattr(self, f) is None and f not in self.skipped]

    def with_answer(self, name: str, value: Any) -> Profile:
        """A copy with one more answer (parsed loosely, like ``from_mapping``)."""
        if name not in FIELD_ORDER:
            raise ProfileError(name, value, "unknown field")
        parsed = Profile.from_mapping({name: value})
        return replace(self, **{name: getattr(parsed, name)})

    def skip(self, name: str) -> Profile:
        """A copy where ``name`` is marked as declined (and its value forgotten)."""
        if name not in FIELD_ORDER:
            raise ProfileError("skipped", name, "unknown field")
        changes: dict[str, Any] = {name: None, "skipped": self.skipped | {name}}
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "skipped"}
        out["skipped"] = sorted(self.skipped)
        return out
