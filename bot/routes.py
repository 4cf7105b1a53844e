"""Route engine: from what we know about the resident to the services that fit, with reasons.

``decide(profile, language, today, knowledge)`` is a pure function of its arguments. The rules
below are small functions grouped in one table per branch (municipality). Each rule yields

* ``Hit(route, status, reasons)``  — a route to show, with message ids explaining why, or
* ``Miss(route, reasons)``          — a route that does not apply, with the reason.

All wording (titles, reasons, labels) comes from ``bot/knowledge/*.yml``; each rule quotes the
seed sentence it rests on. Statuses: ``first_step`` (do this first), ``applies``, ``may_apply``
(depends on facts not yet known or on the service's own assessment) and ``unconfirmed``
(only an old page describes it).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

from bot import clock
from bot.content import get_knowledge, require_ids
from bot.knowledge_model import (
    LANGUAGES,
    Contact,
    Knowledge,
    Note,
    Notice,
    Source,
    has_ended,
    is_current,
)
from bot.knowledge_formats import display_date
from bot.profile import FIELD_ORDER, Profile

# --------------------------------------------------------------------------- vocabulary

ROUTE_IDS = (
    "regional_social_work",
    "helsinki_typ",
    "te_services",
    "social_rehabilitation_team",
    "duuri",
    "work_ability_support",
    "kempele_service_coordinator",
    "own_municipality",
    "not_adult",
)
STATUSES = ("first_step", "applies", "may_apply", "unconfirmed")
_RANK = {status: rank for rank, status in enumerate(STATUSES)}

HELSINKI, KEMPELE = "Helsinki", "Kempele"
#: Routes whose service has no contacts of its own: offer the municipality's fallback contacts.
USES_FALLBACK_CONTACTS = ("not_adult", "own_municipality")

# seeds/002: "Työkyvyn tuen palvelut - yksikön palvelut on tarkoitettu 18–63-vuotiaille".
ADULT_AGE = 18
WORK_ABILITY_SUPPORT_MAX_AGE = 63
# knowledge notes (hel.fi, social rehabilitation service point): "aged 18–65".
SERVICE_POINT_MAX_AGE = 65


@dataclass(frozen=True)
class Hit:
    route: str
    status: str
    reasons: Tuple[str, ...]


@dataclass(frozen=True)
class Miss:
    route: str
    reasons: Tuple[str, ...]


Finding = Union[Hit, Miss]
Rule = Callable[[Profile], Iterable[Finding]]

# --------------------------------------------------------------------------- rule tables

# seeds/001 (25.2.2021): "You can get access to the rehabilitating work activities through the
# regional social work for adults and young people, Helsinki TYP and the TE services."
CLIENT_ROUTE = {
    "social_services": ("regional_social_work", "reason.client_social_services"),
    "typ": ("helsinki_typ", "reason.client_typ"),
    "employment_services": ("te_services", "reason.client_employment_services"),
}

# seeds/000 (20.1.2021): "För att man ska kunna delta i den rehabiliterande arbetsverksamheten
# ska en aktiveringsplan utarbetas för klienten."  seeds/004: "... aktivointisuunnitelman tai
# monialaisen työllistymissuunnitelman mukaisesti."  Notes: content recorded in either (702/2020).
PLAN_REASON = {
    "activation_plan": "reason.plan_activation",
    "multisectoral_plan": "reason.plan_multisectoral",
    "none": "reason.plan_none",
    None: "reason.plan_required",
}

# seeds/002: "Sinulla on sosiaalihuollon ammattilaisen tekemä lähete" / "Lähetteen voi tehdä myös
# Rikosseuraamuslaitoksen työntekijä."
REFERRAL_REASON = {
    "social_welfare": "reason.was_referral_social_welfare",
    "criminal_sanctions": "reason.was_referral_criminal_sanctions",
}


def _is_minor(p: Profile) -> bool:
    return p.age is not None and p.age < ADULT_AGE


def rule_minor(p: Profile) -> Iterator[Finding]:
    # seeds/002: "...tarkoitettu 18–63-vuotiaille"; notes: service point "aged 18–65". The
    # sources describe no route for under-18s, so we say so and offer human contacts.
    if _is_minor(p):
        yield Hit("not_adult", "applies", ("reason.not_adult",))


def rule_disability(p: Profile) -> Iterator[Finding]:
    # seeds/001: "You can get access to the work activities for disabled through the social
    # rehabilitation team." (seeds/000: "...kan man söka sig via teamet för social rehabilitering.")
    if p.disability is not True:
        return
    reasons = ("reason.disability_route", "reason.service_point_conditions")
    if p.age is not None and p.age > SERVICE_POINT_MAX_AGE:
        yield Hit("social_rehabilitation_team", "may_apply", reasons + ("reason.service_point_over_age",))
    else:
        yield Hit("social_rehabilitation_team", "applies", reasons)


def rule_not_unemployed(p: Profile) -> Iterator[Finding]:
    # seeds/000: "Med sysselsättningsstödet främjas arbetslösa och delvis arbetsföra personers
    # delaktighet i samhället och på arbetsmarknaden."  seeds/004 goal: "ehkäistä työttömyyden
    # aiheuttamia kielteisiä vaikutuksia".  seeds/002: "Keskustele tilanteestasi
    # sosiaalityöntekijän tai sosiaaliohjaajan kanssa."  seeds/002: "...helsinkiläisille työttömille".
    if p.unemployed is not False:
        return
    yield Hit("regional_social_work", "may_apply", ("reason.rwa_for_unemployed", "reason.discuss_situation"))
    yield Miss("work_ability_support", ("reason.was_not_unemployed",))


def rule_work_ability_support(p: Profile) -> Iterator[Finding]:
    # seeds/002 conditions: "Olet 18–63-vuotias työtön helsinkiläinen" / "Terveydentilasi
    # vaikuttaa työkykyysi..." / "Sinulla on sosiaalihuollon ammattilaisen tekemä lähete".
    if p.unemployed is False or p.health_affects_work_ability is None:
        return
    if p.health_affects_work_ability is False:
        yield Miss("work_ability_support", ("reason.was_health_not_affected",))
        return
    if p.age is not None and p.age > WORK_ABILITY_SUPPORT_MAX_AGE:
        yield Miss("work_ability_support", ("reason.was_over_age",))
        return
    all_known = p.age is not None and p.unemployed is True
    if p.referral in REFERRAL_REASON:
        status = "applies" if all_known else "may_apply"
        yield Hit("work_ability_support", status, ("reason.was_conditions", REFERRAL_REASON[p.referral]))
    elif p.referral == "none":
        # seeds/002: "Keskustele tilanteestasi sosiaalityöntekijän tai sosiaaliohjaajan kanssa.
        # Sinut ohjataan tarvittaessa Työkyvyn tuen palveluihin erillisellä lähetteellä..."
        yield Hit("regional_social_work", "first_step", ("reason.first_step_referral",))
        yield Hit("work_ability_support", "may_apply", ("reason.was_conditions", "reason.was_needs_referral"))
    else:
        yield Hit("work_ability_support", "may_apply", ("reason.was_conditions", "reason.was_referral_unknown"))


def rule_rehabilitative_work_access(p: Profile) -> Iterator[Finding]:
    # seeds/001: "...through the regional social work for adults and young people, Helsinki TYP
    # and the TE services."  Plan: see PLAN_REASON.
    if p.unemployed is False:
        return
    plan = PLAN_REASON[p.plan]
    unknown_unemployment = () if p.unemployed else ("reason.rwa_requires_unemployment",)
    if p.client_of in CLIENT_ROUTE:
        route, reason = CLIENT_ROUTE[p.client_of]
        status = "applies" if p.unemployed else "may_apply"
        yield Hit(route, status, (reason, plan) + unknown_unemployment)
        return
    if p.client_of == "none":
        lead = "reason.client_none"
        status = "first_step" if p.unemployed else "may_apply"
    else:
        lead = "reason.client_unknown"
        status = "may_apply"
    yield Hit("regional_social_work", status, (lead, plan) + unknown_unemployment)
    yield Hit("helsinki_typ", "may_apply", ("reason.route_typ",))
    yield Hit("te_services", "may_apply", ("reason.route_te",))


def rule_duuri(p: Profile) -> Iterator[Finding]:
    # seeds/000 (20.1.2021, the only source): "Till servicecentret för arbetskraft Duuri kan man
    # söka sig genom arbets- och näringsbyrån eller servicestället för utkomststöd och
    # socialarbete." / "Man kan ansöka om rehabiliterande arbetsverksamhet genom servicecentret
    # för arbetskraft Duuri."  Notes: never confirmed current -> always "unconfirmed".
    if p.unemployed is False or p.client_of == "typ":
        return
    yield Hit("duuri", "unconfirmed", ("reason.duuri_2021",))


def rule_kempele(p: Profile) -> Iterator[Finding]:
    # seeds/004: "Palveluohjaaja vastaa kuntouttavan työtoiminnan käynnistämisestä
    # aktivointisuunnitelman tai monialaisen työllistymissuunnitelman mukaisesti. Palveluohjaajalta
    # saa ohjausta työelämään, koulutukseen sekä myös muihin palveluihin..."
    if p.unemployed is False:
        yield Hit("kempele_service_coordinator", "may_apply",
                  ("reason.kempele_coordinator", "reason.kempele_not_unemployed", "reason.kempele_guidance"))
        return
    status = "applies" if p.unemployed else "may_apply"
    extra = () if p.unemployed else ("reason.rwa_requires_unemployment",)
    yield Hit("kempele_service_coordinator", status,
              ("reason.kempele_coordinator", PLAN_REASON[p.plan]) + extra + ("reason.kempele_guidance",))


def rule_own_municipality(p: Profile) -> Iterator[Finding]:
    # seeds/004: "Kuntouttavasta työtoiminnasta säädetään kuntouttavasta työtoiminnasta annetussa
    # laissa (189/2001 ja 702/2020)" and it is "sosiaalihuoltolain mukainen sosiaalipalvelu sekä
    # työllistymistä edistävä palvelu": ask the own area's social or employment services.
    reason = "reason.other_municipality" if p.municipality else "reason.municipality_not_given"
    yield Hit("own_municipality", "applies", (reason,))


#: Branch -> rules in evaluation order. A minor stops the evaluation (see _evaluate).
RULES: Dict[str, Tuple[Rule, ...]] = {
    "unknown": (rule_minor,),
    "helsinki": (
        rule_minor,
        rule_disability,
        rule_not_unemployed,
        rule_work_ability_support,
        rule_rehabilitative_work_access,
        rule_duuri,
    ),
    "kempele": (rule_minor, rule_kempele),
    "other": (rule_minor, rule_own_municipality),
}


def branch_of(p: Profile) -> str:
    """unknown | helsinki | kempele | other (a declined municipality counts as other)."""
    if p.municipality is None:
        return "other" if "municipality" in p.skipped else "unknown"
    return {HELSINKI: "helsinki", KEMPELE: "kempele"}.get(p.municipality, "other")


def _helsinki_relevant(p: Profile) -> set:
    fields_ = {"age", "unemployed", "disability"}
    if p.unemployed is not False:
        fields_ |= {"health_affects_work_ability", "plan", "client_of"}
        over_age = p.age is not None and p.age > WORK_ABILITY_SUPPORT_MAX_AGE
        if p.health_affects_work_ability is True and not over_age:
            fields_.add("referral")
    return fields_


def relevant_fields(p: Profile, branch: str) -> set:
    """Fields that can change the answer on this branch."""
    if _is_minor(p):
        return {"municipality"} if branch == "unknown" else set()
    if branch == "unknown":
        return {"municipality"} | _helsinki_relevant(p)
    if branch == "helsinki":
        return _helsinki_relevant(p)
    if branch == "kempele":
        return {"age", "unemployed", "plan"}
    return {"age"}


def ask_next(p: Profile) -> List[str]:
    """Missing facts that would change the answer, in the natural order; skipped ones excluded."""
    relevant = relevant_fields(p, branch_of(p))
    return [f for f in FIELD_ORDER if f in relevant and getattr(p, f) is None and f not in p.skipped]


def evaluate(p: Profile) -> Tuple[List[Hit], List[Miss]]:
    """Run the branch's rule table: merged hits (best status, reasons in order) and misses."""
    hits: Dict[str, Hit] = {}
    order: List[str] = []
    misses: Dict[str, Miss] = {}
    for rule in RULES[branch_of(p)]:
        for finding in rule(p):
            if isinstance(finding, Miss):
                misses.setdefault(finding.route, finding)
                continue
            previous = hits.get(finding.route)
            if previous is None:
                hits[finding.route] = finding
                order.append(finding.route)
                continue
            status = min(previous.status, finding.status, key=_RANK.__getitem__)
            reasons = previous.reasons + tuple(r for r in finding.reasons if r not in previous.reasons)
            hits[finding.route] = Hit(finding.route, status, reasons)
        if rule is rule_minor and "not_adult" in hits:
            break
    ranked = sorted(order, key=lambda r: (_RANK[hits[r].status], order.index(r)))
    return [hits[r] for r in ranked], [m for r, m in misses.items() if r not in hits]


# --------------------------------------------------------------------------- advice objects


@dataclass(frozen=True)
class ContactAdvice:
    id: str
    name: str
    role: Optional[str]
    phone: Optional[str]
    email: Optional[str]
    email_format: Optional[str]
    address: Optional[str]
    postal_address: Optional[str]
    fax: Optional[str]
    hours: Optional[str]
    web: Optional[str]
    sources: Tuple[Source, ...]
    certainty: str

    @classmethod
    def of(cls, contact: Contact, language: str) -> "ContactAdvice":
        def local(text):
            return text.get(language) if text is not None else None

        return cls(
            id=contact.id, name=contact.name.get(language), role=local(contact.role), phone=contact.phone,
            email=contact.email, email_format=local(contact.email_format), address=local(contact.address),
            postal_address=local(contact.postal_address), fax=contact.fax, hours=local(contact.hours),
            web=contact.web, sources=contact.sources, certainty=contact.certainty,
        )

    def to_dict(self) -> Dict[str, Any]:
        out = {k: getattr(self, k) for k in (
            "id", "name", "role", "phone", "email", "email_format", "address", "postal_address",
            "fax", "hours", "web", "certainty")}
        out = {k: v for k, v in out.items() if v is not None}
        out["sources"] = [s.to_dict() for s in self.sources]
        return out


@dataclass(frozen=True)
class NoteAdvice:
    """A current dated note or notice attached to a route."""

    id: str
    title: Optional[str]
    text: str
    sources: Tuple[Source, ...]
    certainty: str
    valid_from: Optional[date]
    valid_until: Optional[date]

    @classmethod
    def of(cls, item: Union[Note, Notice], language: str) -> "NoteAdvice":
        title = item.title.get(language) if isinstance(item, Notice) else None
        return cls(item.id, title, item.text.get(language), item.sources, item.certainty,
                   item.valid_from, item.valid_until)

    def to_dict(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"id": self.id, "text": self.text, "certainty": self.certainty,
                               "sources": [s.to_dict() for s in self.sources]}
        if self.title:
            out["title"] = self.title
        if self.valid_from:
            out["valid_from"] = self.valid_from.isoformat()
        if self.valid_until:
            out["valid_until"] = self.valid_until.isoformat()
        return out


@dataclass(frozen=True)
class RouteAdvice:
    id: str
    title: str
    summary: str
    reasons: Tuple[str, ...]
    contacts: Tuple[ContactAdvice, ...]
    sources: Tuple[Source, ...]
    notes: Tuple[NoteAdvice, ...]
    status: str
    certainty: str = "confirmed"

    def to_dict(self) -> Dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "certainty": self.certainty,
            "summary": self.summary,
            "reasons": list(self.reasons),
            "contacts": [c.to_dict() for c in self.contacts],
            "sources": [s.to_dict() for s in self.sources],
            "notes": [n.to_dict() for n in self.notes],
        }


@dataclass(frozen=True)
class ExcludedRoute:
    """A route that does not apply, and why (e.g. work ability support at 64+)."""

    id: str
    title: str
    reasons: Tuple[str, ...]
    sources: Tuple[Source, ...]

    def to_dict(self) -> Dict[str, Any]:
        return {"id": self.id, "title": self.title, "reasons": list(self.reasons),
                "sources": [s.to_dict() for s in self.sources]}


@dataclass(frozen=True)
class Advice:
    routes: Tuple[RouteAdvice, ...]
    ask_next: Tuple[str, ...]
    language: str
    today: date
    excluded: Tuple[ExcludedRoute, ...] = ()
    fallback_contacts: Tuple[ContactAdvice, ...] = ()
    municipality: Optional[str] = None

    def route_ids(self) -> List[str]:
        return [r.id for r in self.routes]

    def route(self, route_id: str) -> RouteAdvice:
        for r in self.routes:
            if r.id == route_id:
                return r
        raise KeyError(route_id)

    def to_dict(self) -> Dict[str, Any]:
        return {
            "routes": [r.to_dict() for r in self.routes],
            "ask_next": list(self.ask_next),
            "excluded": [e.to_dict() for e in self.excluded],
            "fallback_contacts": [c.to_dict() for c in self.fallback_contacts],
            "language": self.language,
            "today": self.today.isoformat(),
        }


# --------------------------------------------------------------------------- decide


def _dedupe_sources(groups: Iterable[Iterable[Source]]) -> Tuple[Source, ...]:
    seen, out = set(), []
    for group in groups:
        for source in group:
            key = (source.source, source.source_date.iso())
            if key not in seen:
                seen.add(key)
                out.append(source)
    return tuple(out)


def decide(profile: Profile, language: str = "fi", today: Optional[date] = None,
           knowledge: Optional[Knowledge] = None) -> Advice:
    """Routes for ``profile`` in ``language`` on ``today`` (pure given its arguments)."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}; expected one of {LANGUAGES}")
    kb = knowledge if knowledge is not None else get_knowledge()
    day = today or clock.today()
    params = {"age": profile.age, "municipality": profile.municipality}

    def reasons_of(message_ids: Sequence[str]) -> Tuple[Tuple[str, ...], List[Source]]:
        texts = tuple(kb.text(m, language, **params) for m in message_ids)
        sources = [s for m in message_ids for s in kb.message(m).sources]
        return texts, sources

    hits, misses = evaluate(profile)
    routes: List[RouteAdvice] = []
    excluded: List[ExcludedRoute] = []
    fallback = tuple(ContactAdvice.of(c, language) for c in kb.fallback_contacts(profile.municipality, day))

    for hit in hits:
        service = kb.service(hit.route)
        texts, reason_sources = reasons_of(hit.reasons)
        if not is_current(service, day):
            # A service that staff marked as ended (or not yet started) is never offered as current.
            label = "label.service_ended" if has_ended(service, day) else "label.service_not_started"
            when = service.valid_until if has_ended(service, day) else service.valid_from
            note = kb.text(label, language, date=display_date(when) if when else "")
            excluded.append(ExcludedRoute(service.id, service.title.get(language), (note,), service.sources))
            continue
        contacts = [ContactAdvice.of(c, language) for c in kb.current_contacts(service, day)]
        if not contacts and hit.route in USES_FALLBACK_CONTACTS:
            contacts = list(fallback)
        notes = [NoteAdvice.of(n, language) for n in kb.current_notes(service, day)]
        notes += [NoteAdvice.of(n, language) for n in kb.notices_for(service.id, day)]
        routes.append(RouteAdvice(
            id=service.id,
            title=service.title.get(language),
            summary=service.summary.get(language),
            reasons=texts,
            contacts=tuple(contacts),
            sources=_dedupe_sources([service.sources, reason_sources]),
            notes=tuple(notes),
            status=hit.status,
            certainty=service.certainty,
        ))
    for miss in misses:
        service = kb.service(miss.route)
        texts, reason_sources = reasons_of(miss.reasons)
        excluded.append(ExcludedRoute(service.id, service.title.get(language), texts,
                                      _dedupe_sources([reason_sources])))
    return Advice(
        routes=tuple(routes),
        ask_next=tuple(ask_next(profile)),
        language=language,
        today=day,
        excluded=tuple(excluded),
        fallback_contacts=fallback,
        municipality=profile.municipality,
    )


# --------------------------------------------------------------------------- ids the rules use

MESSAGE_IDS = sorted(
    {"reason.not_adult", "reason.disability_route", "reason.service_point_conditions",
     "reason.service_point_over_age", "reason.rwa_for_unemployed", "reason.discuss_situation",
     "reason.was_not_unemployed", "reason.was_health_not_affected", "reason.was_over_age",
     "reason.was_conditions", "reason.was_needs_referral", "reason.was_referral_unknown",
     "reason.first_step_referral", "reason.rwa_requires_unemployment", "reason.client_none",
     "reason.client_unknown", "reason.route_typ", "reason.route_te", "reason.duuri_2021",
     "reason.kempele_coordinator", "reason.kempele_not_unemployed", "reason.kempele_guidance",
     "reason.other_municipality", "reason.municipality_not_given",
     "label.service_ended", "label.service_not_started"}
    | {m for _, m in CLIENT_ROUTE.values()}
    | set(PLAN_REASON.values())
    | set(REFERRAL_REASON.values())
)

require_ids("services", ROUTE_IDS)
require_ids("messages", MESSAGE_IDS)
