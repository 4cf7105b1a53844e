"""From the rules' findings to advice: which services, with which current contacts, notes and
sources. Language-independent: the views (``bot.guidance.views`` for staff and the route API,
``bot.guidance.chat`` for residents) write the text.

``decide(profile, today, knowledge)`` is pure given its arguments.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot import clock
from bot.guidance.asking import people_for
from bot.guidance.rules import PARAMETER_IDS, Limits, ask_next, evaluate
from bot.knowledge import get_knowledge
from bot.knowledge.areas import Area, county_of, display_name, employment_area_of
from bot.knowledge.model import Contact, Knowledge, Note, Notice, Service, Source, Text, status_label
from bot.profile import Profile

#: Routes whose contacts depend on the resident's municipality (its own social services —
#: for most municipalities the wellbeing services county — or its employment area) rather
#: than on the service itself.
AREA_ROUTES = ("own_municipality", "other_support", "employment_area", "not_adult")


def limits_on(kb: Knowledge, day: date) -> Limits:
    """The rules' numbers as in force on ``day``."""
    return Limits({pid: kb.value(pid, day) for pid in PARAMETER_IDS})


@dataclass(frozen=True)
class RouteAdvice:
    """A route that fits: the service, why (reason message ids), and how to reach it."""

    service: Service
    status: str
    reasons: tuple[str, ...]
    contacts: tuple[Contact, ...]
    notes: tuple[Note | Notice, ...]
    sources: tuple[Source, ...]

    @property
    def id(self) -> str:
        return self.service.id

    @property
    def primary(self) -> Contact | None:
        """The contact the short answer shows: the service's primary one, else its first."""
        for contact in self.contacts:
            if contact.id == self.service.primary_contact:
                return contact
        return self.contacts[0] if self.contacts else None

    @property
    def certainty(self) -> str:
        primary = self.primary
        if self.service.certainty != "confirmed":
            return self.service.certainty
        return primary.certainty if primary is not None else "confirmed"


@dataclass(frozen=True)
class ExcludedRoute:
    """A route that does not apply (``reasons``: message ids), or a service that has ended or
    not started (``label``: message id and date)."""

    service: Service
    reasons: tuple[str, ...] = ()
    label: tuple[str, str] | None = None


@dataclass(frozen=True)
class Advice:
    routes: tuple[RouteAdvice, ...]
    ask_next: tuple[str, ...]
    today: date
    profile: Profile
    excluded: tuple[ExcludedRoute, ...] = ()
    fallback_contacts: tuple[Contact, ...] = ()
    #: Values the sentences fill in: age, municipality, county, area.
    params: dict[str, object] = field(default_factory=dict)

    @property
    def first(self) -> RouteAdvice | None:
        return self.routes[0] if self.routes else None

    def route_ids(self) -> list[str]:
        return [r.id for r in self.routes]

    def route(self, route_id: str) -> RouteAdvice:
        for r in self.routes:
            if r.id == route_id:
                return r
        raise KeyError(route_id)


def _dedupe(sources: list[Source]) -> tuple[Source, ...]:
    seen, out = set(), []
    for source in sources:
        if source.id not in seen:
            seen.add(source.id)
            out.append(source)
    return tuple(out)


def _area_params(profile: Profile) -> tuple[dict[str, object], Area | None, Area | None]:
    county = county_of(profile.municipality) if profile.municipality else None
    area = employment_area_of(profile.municipality) if profile.municipality else None
    params: dict[str, object] = {"age": profile.age, "municipality": profile.municipality}
    return params, county, area


def decide(profile: Profile, today: date | None = None, knowledge: Knowledge | None = None) -> Advice:
    """Routes for ``profile`` on ``today`` (pure given its arguments)."""
    kb = knowledge if knowledge is not None else get_knowledge()
    day = today or clock.today()
    limits = limits_on(kb, day)
    hits, misses = evaluate(profile, limits)
    params, county, area = _area_params(profile)
    fallback = tuple(kb.fallback_contacts(profile.municipality, day))

    routes: list[RouteAdvice] = []
    excluded: list[ExcludedRoute] = []
    for hit in hits:
        service = kb.service(hit.route)
        label = status_label(service, day)
        if label is not None:
            # A service that staff marked as ended (or not yet started) is never offered as current.
            excluded.append(ExcludedRoute(service, label=label))
            continue
        contacts = list(kb.current_contacts(service, day))
        if hit.route == "employment_area":
            if area is not None:
                contacts.insert(0, area.contact(service.id))
        elif hit.route in AREA_ROUTES:
            local = people_for(profile.municipality, day, kb)
            contacts = local + [c for c in contacts if all(c.id != own.id for own in local)]
        notes: list[Note | Notice] = list(kb.current_notes(service, day))
        notes += kb.notices_for(service.id, day)
        reason_sources = [s for m in hit.reasons for s in kb.message(m).sources]
        contact_sources = [s for c in contacts for s in c.sources]
        routes.append(RouteAdvice(
            service=service, status=hit.status, reasons=hit.reasons, contacts=tuple(contacts),
            notes=tuple(notes), sources=_dedupe(list(service.sources) + reason_sources + contact_sources),
        ))
    for miss in misses:
        excluded.append(ExcludedRoute(kb.service(miss.route), reasons=miss.reasons))
    if county is not None:
        params["county"] = county.name
    if area is not None:
        params["area"] = area.name
    return Advice(
        routes=tuple(routes),
        ask_next=tuple(ask_next(profile, limits)),
        today=day,
        profile=profile,
        excluded=tuple(excluded),
        fallback_contacts=fallback,
        params=params,
    )


def next_questions(profile: Profile, today: date | None = None, knowledge: Knowledge | None = None) -> list[str]:
    """The interview's remaining questions for ``profile`` (profile field names, in order)."""
    kb = knowledge if knowledge is not None else get_knowledge()
    return ask_next(profile, limits_on(kb, today or clock.today()))


def localised_params(advice: Advice, language: str) -> dict[str, object]:
    """The advice's sentence values in ``language`` (county and area names are texts)."""
    out: dict[str, object] = {}
    for key, value in advice.params.items():
        if value is None:
            continue
        if key == "municipality" and isinstance(value, str):
            value = display_name(value, language)
        out[key] = value.get(language) if isinstance(value, Text) else value
    return out


__all__ = ["AREA_ROUTES", "Advice", "ExcludedRoute", "RouteAdvice", "decide", "limits_on", "localised_params",
           "next_questions"]
