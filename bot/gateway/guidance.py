"""The guidance core as JSON, without the bot: ``POST /api/route`` (the route engine, same
profile fields and route ids as ``python -m bot route --json``) and ``GET /api/services/{id}``
(a service's contacts, notes and sources in one language)."""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field, StrictStr, errors, validator

from bot import clock
from bot.gateway.context import limit_address
from bot.gateway.errors import ApiError
from bot.gateway.texts import expected, pick_language
from bot.gateway.validation import has_control_characters
from bot.guidance.advice import decide
from bot.guidance.rules import ROUTE_IDS
from bot.guidance.views import advice_to_dict, service_to_dict
from bot.knowledge import UnknownIdError, get_knowledge
from bot.language.tags import normalise_language_tag
from bot.profile import BOOLEAN_FIELDS, ENUM_FIELDS, FIELD_ORDER, MAX_AGE, MIN_AGE, Profile, ProfileError

# The handlers are plain functions: FastAPI runs them in its thread pool, so CPU work (the
# route engine, municipality name matching) never blocks the event loop serving chats.
router = APIRouter(tags=["guidance"])


def warm_up() -> None:
    """Load the knowledge base and the municipality matcher's dictionaries (slow the first
    time) before the first resident needs them."""
    get_knowledge()
    try:
        Profile.from_mapping({"municipality": "Kuntoutusopas"})
    except ProfileError:
        pass

MAX_VALUE_CHARS = 200
_SERVICE_ID = re.compile(r"^[a-z0-9_]{1,64}$")


class RouteRequest(BaseModel):
    profile: dict[StrictStr, Any] = Field(
        default_factory=dict,
        description="What is known about the resident; every field optional: " + ", ".join(FIELD_ORDER)
        + ", skipped (fields the resident declined to answer). Values as in `python -m bot route`: "
        "age 0-120, yes/no (or true/false) for " + ", ".join(BOOLEAN_FIELDS) + "; "
        + "; ".join(f"{name}: {' | '.join(values)}" for name, values in ENUM_FIELDS.items())
        + "; municipality in any form (Helsinki, Helsingissä, Helsingfors, ...).")
    language: StrictStr | None = Field(None, description="fi, sv or en (default: Accept-Language, else fi).")
    today: StrictStr | None = Field(None, description="Answer as of this date (YYYY-MM-DD); default today.")

    @validator("profile", pre=True)
    def _profile_is_an_object(cls, value: Any) -> Any:
        # pydantic 1 would otherwise accept a list of pairs (and [] as {}).
        if not isinstance(value, dict):
            raise errors.DictError()
        return value

    class Config:
        extra = "forbid"
        schema_extra = {"example": {"profile": {"municipality": "Helsingfors", "age": 45, "unemployed": True,
                                                "health_affects_work_ability": True}, "language": "sv"}}


def _language(value: str | None, request: Request) -> str:
    if value is None:
        return pick_language(None, request.headers.get("accept-language"))
    code = normalise_language_tag(value[:40])
    if code is None:
        fallback = pick_language(None, request.headers.get("accept-language"))
        raise ApiError(422, "field_invalid", language=fallback, extra={"field": "language"},
                       field="language", expected=expected("language", fallback))
    return code


def _expected_for(field: str, language: str) -> str:
    if field == "age":
        return expected("age", language, low=MIN_AGE, high=MAX_AGE)
    if field in BOOLEAN_FIELDS:
        return expected("yes_no", language)
    if field in ENUM_FIELDS:
        return expected("one_of", language, values=", ".join(ENUM_FIELDS[field]))
    if field == "municipality":
        return expected("municipality", language)
    return expected("field_names", language, values=", ".join(FIELD_ORDER))


def _check_profile_values(profile: dict[str, Any], language: str) -> None:
    """What Profile.from_mapping does not check itself: value sizes, control characters and
    the type of ``skipped`` (a list of field names, or one comma-separated string)."""
    for name, value in profile.items():
        field = f"profile.{name}"
        items = value if name == "skipped" and isinstance(value, list) else [value]
        for item in items:
            if name == "skipped" and not isinstance(item, (str, type(None))):
                raise ApiError(422, "field_type", language=language, extra={"field": field}, field=field,
                               expected=expected("list", language))
            if not isinstance(item, str):
                continue
            if has_control_characters(item):
                raise ApiError(400, "control_characters", language=language, extra={"field": field})
            if len(item) > MAX_VALUE_CHARS:
                raise ApiError(422, "field_invalid", language=language, extra={"field": field}, field=field,
                               expected=_expected_for(name, language))


@router.post(
    "/api/route",
    summary="Which routes fit a situation (the route engine)",
    description="The same answer as `python -m bot route --json`: `routes` (ids: " + ", ".join(ROUTE_IDS)
    + "), `ask_next`, `excluded`, `fallback_contacts`. An invalid value is a 422 naming the field.",
)
def route(body: RouteRequest, request: Request) -> dict[str, Any]:
    language = _language(body.language, request)
    request.state.language = language
    limit_address(request)
    _check_profile_values(body.profile, language)
    try:
        profile = Profile.from_mapping(body.profile)
    except ProfileError as exc:
        known = exc.field in FIELD_ORDER or exc.field == "skipped"
        field = f"profile.{exc.field}"
        if not known:
            raise ApiError(422, "field_unknown", language=language, extra={"field": field}, field=field) from None
        raise ApiError(422, "field_invalid", language=language, extra={"field": field}, field=field,
                       expected=_expected_for(exc.field, language)) from None
    day: date | None = None
    if body.today is not None:
        try:
            day = clock.parse_iso_date(body.today)
        except ValueError:
            raise ApiError(422, "field_invalid", language=language, extra={"field": "today"}, field="today",
                           expected=expected("date", language)) from None
    kb = get_knowledge()
    if day is not None and day < kb.rules_since():
        raise ApiError(422, "field_invalid", language=language, extra={"field": "today"}, field="today",
                       expected=expected("date_from", language, date=kb.rules_since().isoformat()))
    return advice_to_dict(decide(profile, today=day, knowledge=kb), language)


@router.get("/api/services/{service_id}", summary="A service's contacts, notes and sources")
def service(request: Request, service_id: str,
                  language: str | None = Query(None, description="fi, sv or en")) -> dict[str, Any]:
    language = _language(language, request)
    request.state.language = language
    limit_address(request)
    kb = get_knowledge()
    if not _SERVICE_ID.match(service_id):
        raise ApiError(404, "service_not_found", language=language, id=service_id[:64])
    try:
        item = kb.service(service_id)
    except UnknownIdError:
        raise ApiError(404, "service_not_found", language=language, id=service_id) from None
    return service_to_dict(item, language, clock.today(), kb)
