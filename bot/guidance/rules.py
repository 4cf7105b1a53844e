"""Route rules: from what we know about the resident to the routes that fit, with reasons.

The rules know no language and write no text: each yields

* ``Hit(route, status, reasons)`` — a route to show, with the ids of the messages that say why;
* ``Miss(route, reasons)``       — a route that does not apply, with the reason's message id.

Age limits and other numbers are dated parameters (``bot/knowledge/parameters.yml``), read
through :class:`Limits`; the rules compare, never hard-code. Each rule quotes the public page
it rests on (``sources.yml`` id in brackets). Statuses, best first: ``first_step`` (do this
first), ``applies``, ``may_apply`` (depends on facts not yet known or on the service's own
assessment).

``evaluate(profile, limits)`` is a pure function; ``bot.guidance.advice`` turns its findings
into advice with contacts, and ``bot.guidance.views`` / ``chat`` write the text.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from bot.profile import FIELD_ORDER, Profile

ROUTE_IDS = (
    "regional_social_work",
    "youth_social_work",
    "helsinki_typ",
    "te_services",
    "social_rehabilitation_team",
    "duuri",
    "work_ability_support",
    "kempele_service_coordinator",
    "employment_area",
    "own_municipality",
    "other_support",
    "not_adult",
)
STATUSES = ("first_step", "applies", "may_apply")
_RANK = {status: rank for rank, status in enumerate(STATUSES)}

HELSINKI, KEMPELE = "Helsinki", "Kempele"

#: Every reason the rules can give (messages.yml ids); tests check the rules use no other.
REASON_IDS = (
    "reason.minor_youth_social_work",
    "reason.not_adult",
    "reason.over_working_age",
    "reason.other_activities",
    "reason.service_point_over_age",
    "reason.service_point_pension",
    "reason.service_point_needs_pension",
    "reason.service_point_if_pension",
    "reason.rwa_for_unemployed",
    "reason.was_not_unemployed",
    "reason.was_over_age",
    "reason.was_has_referral",
    "reason.was_needs_referral",
    "reason.plan_exists",
    "reason.client_employment_services",
    "reason.client_social_services",
    "reason.client_typ",
    "reason.social_work_also",
    "reason.employment_services_also",
    "reason.youth_no_worker",
    "reason.no_worker",
    "reason.kempele_pohde",
    "reason.employment_area",
    "reason.own_county",
    "reason.municipality_not_given",
)

#: The parameters the rules compare against (parameters.yml).
PARAMETER_IDS = (
    "adult_age",
    "youth_social_work_min_age",
    "youth_social_work_max_age",
    "work_ability_support_max_age",
    "service_point_max_age",
    "unemployment_benefit_max_age",
)


class Limits:
    """The rules' numbers on one day: ``limits.adult_age`` etc. Built from a mapping so the
    rules stay pure and testable (``Limits({"adult_age": 18, ...})``)."""

    def __init__(self, values: Mapping[str, int]):
        missing = set(PARAMETER_IDS) - set(values)
        if missing:
            raise KeyError(f"missing rule parameters: {', '.join(sorted(missing))}")
        self._values = dict(values)

    def __getattr__(self, name: str) -> int:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True)
class Hit:
    route: str
    status: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Miss:
    route: str
    reasons: tuple[str, ...]


Finding = Hit | Miss
Rule = Callable[[Profile, Limits], Iterable[Finding]]


# --------------------------------------------------------------------------- helpers

def _is_minor(p: Profile, v: Limits) -> bool:
    return p.age is not None and p.age < v.adult_age


def _is_youth(p: Profile, v: Limits) -> bool:
    return p.age is not None and v.youth_social_work_min_age <= p.age <= v.youth_social_work_max_age


def _over_working_age(p: Profile, v: Limits) -> bool:
    return p.age is not None and p.age > v.unemployment_benefit_max_age


def _social_work_route(p: Profile, v: Limits) -> str:
    # [hel_youth_social_work] youth social work serves Helsinki residents aged 16–29;
    # [hel_adult_social_work] adult social work has teams by district for the others.
    return "youth_social_work" if _is_youth(p, v) else "regional_social_work"


# --------------------------------------------------------------------------- Helsinki

def rule_helsinki_minor(p: Profile, v: Limits) -> Iterator[Finding]:
    # [hel_youth_social_work] youth social work and social guidance serve residents aged 16–29;
    # [finlex_189_2001] rehabilitative work activity is for people on labour market subsidy or
    # social assistance, which adults receive; no source describes it for under-18s.
    if not _is_minor(p, v):
        return
    if _is_youth(p, v):
        yield Hit("youth_social_work", "first_step", ("reason.minor_youth_social_work",))
    else:
        yield Hit("not_adult", "applies", ("reason.not_adult",))


def rule_over_working_age(p: Profile, v: Limits) -> Iterator[Finding]:
    # [kela_unemployment_benefit] unemployment benefit is for 18–64-year-olds;
    # [finlex_189_2001] rehabilitative work activity is for people on labour market subsidy or
    # social assistance because of long unemployment: past that age it is normally not offered.
    if not _over_working_age(p, v):
        return
    yield Miss("te_services", ("reason.over_working_age",))
    yield Hit("regional_social_work", "first_step", ("reason.over_working_age", "reason.other_activities"))


def rule_disability(p: Profile, v: Limits) -> Iterator[Finding]:
    # [hel_disability_work_activities] work activities for Helsinki residents aged 18–65 who need
    # special support because of disability or illness; "You have to receive disability pension
    # or rehabilitation support"; appointments at the social rehabilitation service point.
    if p.disability is not True:
        return
    if p.age is not None and p.age > v.service_point_max_age:
        yield Miss("social_rehabilitation_team", ("reason.service_point_over_age",))
    elif p.disability_pension is True:
        yield Hit("social_rehabilitation_team", "first_step", ("reason.service_point_pension",))
    elif p.disability_pension is False:
        yield Miss("social_rehabilitation_team", ("reason.service_point_needs_pension",))
    else:
        yield Hit("social_rehabilitation_team", "may_apply", ("reason.service_point_if_pension",))


def rule_not_unemployed(p: Profile, v: Limits) -> Iterator[Finding]:
    # [hel_rwa] "Kuntouttava työtoiminta on tarkoitettu työttömille työnhakijoille."
    # [hel_work_ability_support] the work ability support services are for unemployed residents.
    if p.unemployed is not False:
        return
    yield Hit(_social_work_route(p, v), "first_step", ("reason.rwa_for_unemployed",))
    yield Miss("work_ability_support", ("reason.was_not_unemployed",))


def rule_work_ability_support(p: Profile, v: Limits) -> Iterator[Finding]:
    # [hel_work_ability_support] conditions: unemployed Helsinki resident aged 18–63, health
    # affects work ability, a referral by a social welfare professional (or a Criminal Sanctions
    # Agency worker); "Keskustele tilanteestasi sosiaalityöntekijän tai sosiaaliohjaajan kanssa."
    if p.unemployed is False or p.health_affects_work_ability is not True:
        return
    if p.age is not None and p.age > v.work_ability_support_max_age:
        yield Miss("work_ability_support", ("reason.was_over_age",))
        return
    if p.referral in ("social_welfare", "criminal_sanctions"):
        yield Hit("work_ability_support", "first_step", ("reason.was_has_referral",))
    else:
        yield Hit("work_ability_support", "may_apply", ("reason.was_needs_referral",))


def rule_helsinki_access(p: Profile, v: Limits) -> Iterator[Finding]:
    # [hel_rwa] "Kuntouttavaan työtoimintaan hakeudutaan ottamalla yhteyttä TE-toimiston tai
    # työllisyyspalvelujen asiantuntijaan, omaan sosiaaliohjaajaasi tai sosiaalityöntekijääsi."
    # [hel_social_counselling] social welfare counselling is the way in for residents who have
    # no social instructor yet. [hel_typ_2022] TYP Helsinki (old pages; current unit not found).
    if p.unemployed is False:
        return
    social = _social_work_route(p, v)
    plan = ("reason.plan_exists",) if p.plan in ("activation_plan", "multisectoral_plan") else ()
    if p.client_of == "employment_services":
        yield Hit("te_services", "first_step", ("reason.client_employment_services",) + plan)
        yield Hit(social, "may_apply", ("reason.social_work_also",))
    elif p.client_of == "social_services":
        yield Hit(social, "first_step", ("reason.client_social_services",) + plan)
        yield Hit("te_services", "may_apply", ("reason.employment_services_also",))
    elif p.client_of == "typ":
        yield Hit("helsinki_typ", "first_step", ("reason.client_typ",) + plan)
        yield Hit(social, "may_apply", ("reason.social_work_also",))
    else:
        lead = "reason.youth_no_worker" if social == "youth_social_work" else "reason.no_worker"
        yield Hit(social, "first_step", (lead,) + plan)
        yield Hit("te_services", "may_apply", ("reason.employment_services_also",))


# --------------------------------------------------------------------------- Kempele

def _outside_the_activity(p: Profile, v: Limits) -> Hit | None:
    """Outside Helsinki, the one answer for a resident whom rehabilitative work activity is
    not for: a minor, past working age, or not unemployed. None when it may be."""
    if _is_minor(p, v):
        return Hit("not_adult", "applies", ("reason.not_adult",))
    if _over_working_age(p, v):
        return Hit("other_support", "first_step", ("reason.over_working_age", "reason.other_activities"))
    if p.unemployed is False:
        return Hit("other_support", "first_step", ("reason.rwa_for_unemployed",))
    return None


def rule_kempele(p: Profile, v: Limits) -> Iterator[Finding]:
    # [pohde_rwa_kempele] since 1.1.2023 the wellbeing services county Pohde organises
    # rehabilitative work activity in Kempele; its service coordinator starts it according to
    # the activation plan. [kempele_employment_area] Kempele belongs to the Oulu employment area.
    outside = _outside_the_activity(p, v)
    if outside is not None:
        yield outside
        return
    yield Hit("kempele_service_coordinator", "first_step", ("reason.kempele_pohde",))
    yield Hit("employment_area", "may_apply", ("reason.employment_area",))


# --------------------------------------------------------------------------- elsewhere

def rule_other_municipality(p: Profile, v: Limits) -> Iterator[Finding]:
    # [stm_social_services] social services come from the wellbeing services county of the
    # municipality of residence; [tem_employment_areas] employment services from the
    # employment area, reached through Job Market Finland.
    outside = _outside_the_activity(p, v)
    if outside is not None:
        yield outside
        return
    lead = "reason.own_county" if p.municipality else "reason.municipality_not_given"
    yield Hit("own_municipality", "first_step", (lead,))
    yield Hit("employment_area", "may_apply", ("reason.employment_area",))


#: Branch -> rules in evaluation order. A minor stops the evaluation (see evaluate).
RULES: dict[str, tuple[Rule, ...]] = {
    "unknown": (rule_helsinki_minor,),
    "helsinki": (
        rule_helsinki_minor,
        rule_over_working_age,
        rule_disability,
        rule_not_unemployed,
        rule_work_ability_support,
        rule_helsinki_access,
    ),
    "kempele": (rule_kempele,),
    "other": (rule_other_municipality,),
}
_STOPPING = {rule_helsinki_minor, rule_over_working_age}


def branch_of(p: Profile) -> str:
    """unknown | helsinki | kempele | other (a declined municipality counts as other)."""
    if p.municipality is None:
        return "other" if "municipality" in p.skipped else "unknown"
    return {HELSINKI: "helsinki", KEMPELE: "kempele"}.get(p.municipality, "other")


def relevant_fields(p: Profile, v: Limits) -> set[str]:
    """Fields that can change the answer for this profile (asked in FIELD_ORDER)."""
    branch = branch_of(p)
    if branch == "unknown":
        return {"municipality"}
    fields = {"age"}
    if _is_minor(p, v) or _over_working_age(p, v):
        return fields
    fields.add("unemployed")
    if branch != "helsinki":
        return fields
    # Work activities for people with disabilities do not require unemployment.
    fields.add("disability")
    if p.disability is True:
        fields.add("disability_pension")
    if p.unemployed is False:
        return fields
    fields |= {"health_affects_work_ability", "client_of", "plan"}
    if p.health_affects_work_ability is True and not (p.age is not None and p.age > v.work_ability_support_max_age):
        fields.add("referral")
    return fields


def ask_next(p: Profile, v: Limits) -> list[str]:
    """Missing facts that would change the answer, in the natural order; skipped ones excluded."""
    relevant = relevant_fields(p, v)
    return [f for f in FIELD_ORDER if f in relevant and getattr(p, f) is None and f not in p.skipped]


def evaluate(p: Profile, v: Limits) -> tuple[list[Hit], list[Miss]]:
    """Run the branch's rules: merged hits, best status first (reasons in order), and misses."""
    hits: dict[str, Hit] = {}
    order: list[str] = []
    misses: dict[str, Miss] = {}
    for rule in RULES[branch_of(p)]:
        found = list(rule(p, v))
        for finding in found:
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
        if rule in _STOPPING and found:
            break
    # One first step: the earliest rule's; any later "first_step" is offered as an option.
    first = next((r for r in order if hits[r].status == "first_step"), None)
    for route in order:
        if route != first and hits[route].status == "first_step":
            hits[route] = Hit(route, "applies", hits[route].reasons)
    ranked = sorted(order, key=lambda r: (_RANK[hits[r].status], order.index(r)))
    return [hits[r] for r in ranked], [m for r, m in misses.items() if r not in hits]
