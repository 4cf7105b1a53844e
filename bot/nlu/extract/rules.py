"""The rule table: which pattern of kinds states which fact.

Each language has a list of :class:`Rule` rows: entity, value, the value when negated,
and a pattern over kinds (``"[ACTIVATION DASH? PLAN]"``, brackets mark the span; the
kinds are defined per language in bot/nlu/words/<lang>.yml). Most rows are shared by the
three languages (:func:`_common_rules`), because a kind means the same concept in each;
word order differences and idioms get rows of their own (:func:`_language_rules`).
Patterns are compiled once into regular expressions over a string holding one character
per token (bot/nlu/extract/patterns.py). Adding a concept: a kind in the word files, then
a rule here. Each row says why it exists where that is not obvious.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlu.extract.patterns import BIT as _BIT
from bot.nlu.extract.patterns import anchors, compile_pattern, kind_char
from bot.nlu.extract.words import LANGUAGES

ATTR = "attr"  # a property of the writer: age, unemployed, health, disability
HAVE = "have"  # a document the writer has: referral, plan
CLIENT = "client"  # a service the writer is a client of
PLACE = "place"  # where the writer lives ("I live in Kempele with my wife" is still the writer's)


@dataclass(frozen=True)
class Rule:
    entity: str
    value: str | None  # value when affirmed; None = no fact (the match still claims its span)
    negated: str | None  # value when negated; None = no fact
    pattern: str  # over kinds, see _compile_pattern
    scope: str = ATTR
    cue: tuple[str, ...] = ()  # flags one of which must be near an affirmed match
    window: int = 4  # how many tokens may separate the cue from the match
    negatable: bool = True
    past_ok: bool = False  # "I was referred" is a passive, not a past state
    context: tuple[str, ...] = ()  # kinds one of which must occur earlier in the sentence
    neg_cue: tuple[str, ...] = ()  # flags one of which must be near a negated match
    unless: tuple[str, ...] = ()  # kinds none of which may occur in the sentence
    claims: bool = True  # False: an affirmed match without a value is dropped instead of claiming its span


REFERRAL_SOURCE = "<referral source>"  # value decided by _referral_source
_HAVE_CUE = ("HAVE", "POSS")
_CLIENT_CUE = ("HAVE", "POSS", "CLIENT_CUE", "FP_OBJ")


def _common_rules(lang: str) -> list[Rule]:
    """Rules whose patterns read the same in every language (kinds differ per language)."""
    fi = lang == "fi"
    # Finnish puts the reason after the health word ("sairauden takia"); Swedish and
    # English before it ("på grund av min hälsa", "because of my depression").
    # A part of the body as the reason too: "selän takia", "på grund av ryggen", "because of my back".
    reason = (
        "[(CONDITION|GENERAL_CONDITION|HEALTH|BODY)] REASON" if fi
        else "REASON _{0,2} [(CONDITION|GENERAL_CONDITION|HEALTH|BODY)]"
    )
    return [
        # --- unemployed ---
        Rule("unemployed", "yes", "no", "[UNEMP]"),
        # receiving unemployment benefit: "saan työmarkkinatukea", "I'm on unemployment benefit"
        Rule("unemployed", "yes", None, "[UNEMP_BENEFIT]" if lang != "en" else "[EMPLOYMENT _? BENEFIT]",
             cue=("HAVE", "RECEIVE", "FP")),
        # having a job means not unemployed, having none ("ei oo töitä", "har inget jobb",
        # "no job", "I don't have a job") unemployed - unless the writer studies or is
        # retired ("en ole töissä, opiskelen"); "enkä jaksa töitä" has no "have" and says nothing
        Rule("unemployed", "no", "yes", "[JOB]" if lang != "en" else "[(WORK_COMPLEMENT DASH? TIME)? JOB]",
             cue=("HAVE",), window=2, neg_cue=("HAVE", "HAVE_NOT", "NEG_DET"), unless=("STUDY",)),
        Rule("unemployed", "no", "yes", "BE ADV? [(AT_WORK|EMPLOYED)]" if not fi else "BE ADV? BEEN? ADV? [AT_WORK]",
             unless=("STUDY",)),
        # losing one's job: "menetin työpaikkani", "förlorade jobbet", "lost my job"; "sain
        # potkut", "fick sparken", "I was fired" (a past event, a present state)
        Rule("unemployed", "yes", None, "[LOSE _{0,2} JOB]", past_ok=True, negatable=False, unless=("STUDY",)),
        Rule("unemployed", "yes", None, "[FIRED]", past_ok=True),
        # --- health affects work ability ---
        Rule("health_affects_work_ability", "yes", "no",
             "[(HEALTH|GENERAL_CONDITION|CONDITION|MENTAL) _{0,3} (AFFECT|REDUCED) _{0,4} "
             "(WORK_ABILITY|WORKING_LIFE|JOB|AT_WORK|WORK_VERB|ABILITY)]"),
        Rule("health_affects_work_ability", "yes", "no", "[REDUCED WORK_VERB? DASH? (WORK_ABILITY|ABILITY)]"),
        # "I have depression but it doesn't affect my work": "it" refers to the health
        # word earlier in the sentence (required by `context`)
        Rule("health_affects_work_ability", "yes", "no",
             "[IT _{0,3} AFFECT _{0,4} (WORK_ABILITY|WORKING_LIFE|JOB|AT_WORK|WORK_VERB|ABILITY)]",
             context=("HEALTH", "GENERAL_CONDITION", "CONDITION", "MENTAL")),
        # "työkykyni on alentunut", "my work ability is reduced"
        Rule("health_affects_work_ability", "yes", "no", "[WORK_VERB? DASH? (WORK_ABILITY|ABILITY) _{0,2} REDUCED]"),
        # "en pysty töihin sairauden takia": the negation belongs to working, not to health
        Rule("health_affects_work_ability", "yes", None, reason, negatable=False),
        Rule("health_affects_work_ability", "yes", None, "[MENTAL HEALTH? PROBLEM]"),
        # "health problems", "terveys ei oo ongelma", "health isn't an issue"
        Rule("health_affects_work_ability", "yes", "no", "[HEALTH _{0,3} PROBLEM]"),
        # a reply without the object: "hälsan påverkar", "terveys vaikuttaa (kyllä)", and
        # denied: "terveys ei vaikuta", "hälsan påverkar inte", "my health doesn't affect it"
        Rule("health_affects_work_ability", "yes", "no",
             "[(HEALTH|GENERAL_CONDITION|CONDITION|MENTAL) _{0,2} ADV? AFFECT](?!_ _)"),
        # "terveys on huono", "min hälsa är dålig", "my health is poor"; "huono terveys", "poor health"
        # (denied, "hälsan är inte dålig", it says nothing: not necessarily good)
        Rule("health_affects_work_ability", "yes", None, "[HEALTH _{0,2} REDUCED]"),
        Rule("health_affects_work_ability", "yes", None, "[REDUCED HEALTH]"),
        # "selkä on ihan paska", "min rygg är dålig", "my back is bad"; "huono selkä", "bad back"
        Rule("health_affects_work_ability", "yes", None, "[BODY _{0,2} REDUCED]"),
        Rule("health_affects_work_ability", "yes", None, "[REDUCED BODY]"),
        # only a denial says something: "en pysty raskaaseen työhön", "klarar inte tunga arbeten",
        # "I can't do heavy work" (health); "I do heavy work" says nothing
        Rule("health_affects_work_ability", None, "yes", "[HEAVY _{0,1} (JOB|WORK_ABILITY|WORK_VERB|AT_WORK)]",
             claims=False),
        # "selkä ei kestä", "ryggen håller inte", "my knees can't take it"
        Rule("health_affects_work_ability", None, "yes", "[BODY _{0,2} ENDURE]", claims=False),
        # "terveys on hyvä", "hälsan är bra", "my health is fine", "good health"
        Rule("health_affects_work_ability", "no", None, "[HEALTH _{0,2} GOOD]"),
        Rule("health_affects_work_ability", "no", None, "[GOOD HEALTH]"),
        # a named condition: denying one ("ei masennusta") does not say health is fine
        Rule("health_affects_work_ability", "yes", None, "[CONDITION]"),
        # illness in general: "minulla ei ole sairauksia" / "I'm not ill" -> no
        Rule("health_affects_work_ability", "yes", "no", "[GENERAL_CONDITION]"),
        Rule("health_affects_work_ability", "yes", None, "[INCAPABLE]" if lang != "en" else "[UNABLE _? WORK_VERB]"),
        Rule("health_affects_work_ability", "no", None, "BE ADV? [HEALTHY]"),
        # --- disability ---
        Rule("disability", "yes", "no", "[DISABILITY](?!OFFICE)"),  # not "disability services"
        # --- disability pension or rehabilitation support (the service point's condition) ---
        Rule("disability_pension", "yes", "no", "[DISABILITY_PENSION]" if lang != "en" else "[DISABILITY PENSION]"),
        Rule("disability_pension", "yes", "no", "[REHAB_SUPPORT]" if lang != "en" else "[REHABILITATION SUPPORT]"),
        # --- referral ---
        # "lähete on" (there is one); before the general row, which would claim the word
        Rule("referral", REFERRAL_SOURCE, None, "[REF] IS(?!_)", scope=HAVE, negatable=False),
        Rule("referral", REFERRAL_SOURCE, "none", "[REF]", scope=HAVE, cue=_HAVE_CUE),
        Rule("referral", "none", None, "[REF_ABESS]", scope=HAVE),
        # "I was referred by my probation officer", "jag remitterades"
        Rule("referral", REFERRAL_SOURCE, "none", "[REF_VERB]", scope=HAVE, cue=("FP", "FP_OBJ"), past_ok=True),
        # --- plan ---
        Rule("plan", "activation_plan", "none", "[ACTPLAN]", scope=HAVE, cue=_HAVE_CUE),
        Rule("plan", "activation_plan", "none", "[ACTIVATION DASH? PLAN]", scope=HAVE, cue=_HAVE_CUE),
        Rule("plan", "none", None, "[ACTPLAN_ABESS]", scope=HAVE),
        Rule("plan", "multisectoral_plan", "none", "[MULTI DASH? SECTORAL? EMPLOYMENT? (EMPPLAN|PLAN)]",
             scope=HAVE, cue=_HAVE_CUE),
        Rule("plan", "activation_plan", None, "[ACTPLAN] IS(?!_)", scope=HAVE, negatable=False),
        # no plan at all: "ei oo mitään suunnitelmaa", "har ingen plan", "no plan"
        Rule("plan", None, "none", "[PLAN]", scope=HAVE, claims=False),
        # --- client of ---
        # naming a service negated ("en ole TE-toimiston asiakas") says nothing about others
        Rule("client_of", "social_services", None,
             "[SOCIAL]" if lang != "en" else "[SOCIAL_ADJ (SOCIAL_NOUN|OFFICE|WORK_VERB) OFFICE?]",
             scope=CLIENT, cue=_CLIENT_CUE, window=10),
        Rule("client_of", "typ", None, "[(TYP|LABOUR SERVICE_CENTRE)]", scope=CLIENT, cue=_CLIENT_CUE, window=10),
        Rule("client_of", "employment_services", None,
             "[(EMPLOYMENT_SERVICES|TE DASH? OFFICE)]" if lang != "en"
             else "[(EMPLOYMENT_SERVICES|TE DASH? OFFICE|(EMPLOYMENT|JOB) DASH? OFFICE)]",
             scope=CLIENT, cue=_CLIENT_CUE, window=10),
        # "en ole minkään palvelun asiakas", "I'm not a client anywhere", "inte kund någonstans"
        # ... and one's own worker: "no caseworker anywhere", "ei omaa työntekijää missään"
        # (English "worker" is SOCIAL_NOUN: "I don't have any worker anywhere")
        Rule("client_of", None, "none", "[(ANY _{0,2} CLIENT|CLIENT _{0,3} ANY)]" if lang != "en"
             else "[(ANY _{0,2} (CLIENT|SOCIAL_NOUN)|(CLIENT|SOCIAL_NOUN) _{0,3} ANY)]", scope=CLIENT),
    ]


def _language_rules(lang: str) -> list[Rule]:
    extra = {
        "fi": [
            Rule("unemployed", "no", None, "[EMPLOYED]"),  # "työskentelen"
            # "poissa työelämästä", "olen ollut työelämän ulkopuolella vuosia"
            Rule("unemployed", "yes", None, "[(AWAY _? WORKING_LIFE|WORKING_LIFE _? AWAY)]", unless=("STUDY",)),
            # "teen osa-aikatyötä", "olen osa-aikatyössä", "teen osa-aikasta työtä" (a part-time job;
            # "haen osa-aikatyötä", looking for one, says nothing)
            Rule("unemployed", "no", None, "(BE|DO) ADV? [PART_TIME] (JOB|AT_WORK)?"),
            # the predicate first, as Finnish speech puts it: "terve kyl oon", "työkykyinen olen"
            Rule("health_affects_work_ability", "no", None, "[HEALTHY] ADV? BE"),
        ],
        "sv": [
            # "jag jobbar"; "jag jobbar inte" (unless studying or retired)
            Rule("unemployed", "no", "yes", "FP_SUBJECT ADV? [WORK_VERB]", unless=("STUDY",)),
            # "jag har inte jobbat på två år" (having worked says nothing: it may be long ago)
            Rule("unemployed", None, "yes", "[WORK_SUPINE]", unless=("STUDY",), claims=False),
            # "jag har varit borta från arbetslivet länge"
            Rule("unemployed", "yes", None, "[AWAY _? WORKING_LIFE]", unless=("STUDY",)),
            # "jag mår dåligt", "mår psykiskt dåligt"; "jag mår bra"
            Rule("health_affects_work_ability", "yes", None, "[FEEL _{0,2} REDUCED]"),
            Rule("health_affects_work_ability", "no", None, "[FEEL _{0,2} GOOD]"),
            Rule("health_affects_work_ability", "yes", None, "[ACHE _{0,2} BODY]"),  # "ont i ryggen"
        ],
        "en": [
            # "I work full time", "I'm working as a cleaner"
            Rule("unemployed", "no", None, "FP_SUBJECT BE? ADV? [WORK_VERB] WORK_COMPLEMENT(?!_ MOMENT)"),
            Rule("unemployed", "yes", "no", "[OUT _{1,2} (WORK_VERB|JOB|WORKING_LIFE)]"),  # "out of (a) job/work"
            # "I haven't worked in years", "I have never worked" (having worked says nothing)
            Rule("unemployed", None, "yes", "[WORKED]", unless=("STUDY",), claims=False),
            # "I'm not working (at the moment)"; "I'm working" alone says nothing ("...on my CV")
            Rule("unemployed", None, "yes", "BE _? ADV? [WORK_VERB]", unless=("STUDY",), claims=False),
            Rule("unemployed", "yes", None, "[BETWEEN JOB]", negatable=False),  # "between jobs"
            # "I have not found work", "I can't find a job"; "I want to find a job" says nothing
            Rule("unemployed", None, "yes", "[FIND _{0,2} (JOB|WORK_VERB)]", past_ok=True, claims=False,
                 unless=("STUDY",)),
            Rule("unemployed", "yes", None, "[LAID OFF]", past_ok=True, negatable=False),
            # "I'm sick", "I feel ill"; not "sick and tired"
            Rule("health_affects_work_ability", "yes", "no", "(BE|FEEL) _{0,2} [ILL](?!_ TIRED)"),
            Rule("health_affects_work_ability", "yes", None, "[ILL LEAVE]"),  # "on sick leave"
        ],
    }
    return extra[lang]


@dataclass(frozen=True, eq=False)  # hashed by identity
class CompiledRule:
    rule: Rule
    regex: re.Pattern
    cue_mask: int
    order: int
    anchors: frozenset  # kind characters of which a match needs at least one (a quick pre-check)
    context: frozenset  # kind characters, see Rule.context
    neg_cue_mask: int = 0  # see Rule.neg_cue
    unless: frozenset = frozenset()  # kind characters, see Rule.unless


def _compile_rules(lang: str) -> list[CompiledRule]:
    rules = _common_rules(lang) + _language_rules(lang)
    compiled = []
    for order, rule in enumerate(rules):
        mask = 0
        for name in rule.cue:
            mask |= _BIT[name]
        neg_mask = 0
        for name in rule.neg_cue:
            neg_mask |= _BIT[name]
        context = frozenset(kind_char(name) for name in rule.context)
        unless = frozenset(kind_char(name) for name in rule.unless)
        compiled.append(CompiledRule(rule, compile_pattern(rule.pattern), mask, order, anchors(rule.pattern),
                                      context, neg_mask, unless))
    return compiled


RULES = {lang: _compile_rules(lang) for lang in LANGUAGES}


def _index_rules(rules: list[CompiledRule]) -> dict[str, tuple[CompiledRule, ...]]:
    index: dict[str, list[CompiledRule]] = {}
    for compiled in rules:
        for char in compiled.anchors:
            index.setdefault(char, []).append(compiled)
    return {char: tuple(found) for char, found in index.items()}


# kind character -> rules that need it, so a clause only tries rules it can match
RULE_INDEX = {lang: _index_rules(rules) for lang, rules in RULES.items()}
# Mentions used to decide who made a referral (see _referral_source).
CRIME_MENTION = compile_pattern("(CRIME|CRIMINAL SANCTIONS)")
