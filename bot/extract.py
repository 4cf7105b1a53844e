"""Rule-based extraction of what a resident tells about themselves.

``extract_facts("olen 45v helsinkiläinen ja minulla on lähete", "fi")`` returns
``age=45``, ``municipality=Helsinki`` and ``referral=social_welfare``, each with its
character span in the text. Pure Python (spaCy's tokenizer, simplemma, the
municipality finder); the Rasa wrapper is ``bot/rasa_components/profile_extractor.py``.

Precision comes before recall: a wrong fact is worse than a missing one, because the
assistant asks anyway when it does not know. So when in doubt a rule says nothing.

How a message is read
---------------------
1. **Tokens.** spaCy's blank pipeline for the language splits the text (its tokenizer
   exceptions keep "esim.", "t.ex.", "TYP:n" whole and split "I'm", "don't"); token
   offsets give the facts' spans. Tokenisation is cached per whitespace-separated chunk
   (same tokens as tokenising the whole text, see ``_split_chunk``).
2. **Word classes.** Each token gets at most one *kind* (a concept such as ``REF`` for
   lähete/remiss/referral, ``UNEMP`` for työtön/arbetslös/unemployed) and a set of
   *flags* (context features such as ``NEG``, ``FP`` = first person, ``HAVE``,
   ``MODAL``). Both come from the tables ``KINDS`` and ``FLAGS`` below: kinds are
   regular expressions tried on the lower-cased surface form first and then on its
   simplemma lemma (so "lähetteen", "työttömänä", "aktivointisuunnitelmaa", "remissen"
   match their base forms); flags are word lists. Patterns and word lists are written
   with proper diacritics and also accept the letters without them ("tyoton",
   "lahete", "arbetslos"). Results are cached per word.
3. **Clauses.** Sentences (. ! ? and line breaks) are split into clauses at commas and
   at conjunctions (ja/mutta/vaan/koska, och/men, and/but/because...). Negation,
   questions and hypotheticals are judged per clause. An interrogative word (mikä,
   vad, what...), a condition word (jos, om, if...) or a Finnish -ko question word
   starts a new clause, so "I don't know what a referral is" keeps "what a referral
   is" apart. A clause without a predicate of its own after "ja"/"and"/a comma
   ("mä oon 52 ja työtön", "I'm 45, unemployed") shares the previous clause's
   negation, mood and subject.
4. **Rules.** Each language has a list of ``Rule`` rows: entity, value, the value when
   negated, and a pattern over kinds (``"[ACTIVATION DASH? PLAN]"``, brackets mark the
   span). Patterns are compiled once into regular expressions over a string holding
   one character per token. Age (numbers with an age cue) and municipality
   (``bot.municipalities.find_municipalities``) have their own small readers that use
   the same clause analysis.
5. **Judging a match** (see ``_judge``): the clause must not be a question or a
   hypothetical, and no hedge ("ehkä", "en tiedä", "I think") or wish/need ("haluan",
   "I need", "jag behöver") and no past tense ("olin", "I was", "minulla oli") may come
   before the match; it must be about the writer (a first-person word in the sentence,
   or a short reply of at most ``SHORT_MESSAGE_WORDS`` words) and not about someone
   else ("poikani", "my son", "hon") or people in general ("ihmiset", "people",
   "man"). Possession facts (referral, plan) need a possession cue near the word
   ("minulla on", "I have", "jag har", "sain", "teki", "my ...", "lähetteeni") unless
   negated; ``client_of`` needs a cue anywhere in the clause ("olen ... asiakas", "my
   social worker", "ohjasi minut", "I see"). Negation: a negative verb or adverb up to
   six tokens before the match (en/ei/inte/not/n't/never), a negative determiner or
   "without" right before it (ilman/ingen/utan/no/without), or, for a topicalised word
   at the start of the clause, right after it ("lähetettä ei ole"). Finnish abessive
   forms ("lähetteettä") are their own kind.
6. **Choosing.** Overlapping matches: the longer one wins (also when it yields no fact,
   so "disability pension" negated cannot fall back to "disability" negated). Then,
   per entity, the **last** mention wins, because residents correct themselves
   ("I was 45, now I'm 46", "not in Espoo but in Helsinki"). For municipalities a
   mention with a residence cue ("asun", "bor", "live", "-lainen") beats one without,
   and one with a work/origin cue ("töissä", "work in", "kotoisin") loses to both.

Questions about a concept are not statements about oneself: a clause starting with an
interrogative word (mikä/mitä/mitkä/miten/kuka/vad/hur/vem/what/how/who...), a Finnish
-ko/-kö question word ("onko", "tarvitsenko"), an en/sv sentence starting with an
auxiliary and ending with "?" ("Do I need a referral?"), or any sentence ending with
"?" that has no first-person word gives no facts. A statement before the question
still counts: "Minulla on lähete, mitä seuraavaksi?".

Languages: with a known language only its rules run, except for messages of at most
``SHORT_MESSAGE_WORDS`` words, where the other two languages are tried at lower
priority (the language resolver keeps the conversation's language for short replies).
Without a language all three run. When two languages read the same words differently
(Swedish has no "no", so "no depression" is affirmative to it), nothing is kept.

Adding a word: put it in the kind's pattern or the flag's list for its language. Adding
a concept: a kind, then a ``Rule``. Each row says why it exists where that is not obvious.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional

import spacy

from bot.lemmas import lemmatize as simplemma_lemmatize
from bot.municipalities import find_municipalities
from bot.profile import FIELD_ORDER
from bot import spacy_text

# One entity per profile field, named like it (the slots and the route engine use the names).
ENTITIES = FIELD_ORDER
LANGUAGES = ("fi", "sv", "en")

# A message with at most this many words counts as a reply to the assistant's question
# ("Helsinki", "ei oo lähetettä", "terveys ei vaikuta työkykyyn"): it is about the writer
# even without "minä"/"jag"/"I". Longer messages need a first-person word.
SHORT_MESSAGE_WORDS = 6
NEG_WINDOW = 6  # tokens before a match in which "en/ei/not/inte" negates it
NEG_DET_WINDOW = 2  # "ilman lähetettä", "no activation plan", "ingen remiss"


@dataclass(frozen=True)
class Fact:
    entity: str  # one of ENTITIES
    value: str
    start: int  # character offsets into the original text
    end: int
    text: str  # text[start:end]


# =============================================================================
# Word classes ("kinds"). Ordered: the first pattern that matches the whole word wins,
# so specific forms come before general ones. "NONE" rows stop a word from getting a
# kind through its lemma (e.g. "lähetteestä" = "about the referral" has the lemma
# "lähete", but talking about a referral is not having one).
# =============================================================================

KINDS: dict[str, list[tuple[str, str]]] = {
    "fi": [
        # elative/inessive/illative/ablative/allative: "kysyin lähetteestä", "kirjataan
        # aktivointisuunnitelmaan" - a referral/plan talked about, not one the writer has
        ("NONE", r"lähettee(ss|st|ll|lt)ä\w*|lähetteese\w*|lähetteelle\w*"),
        ("NONE", r"\w*suunnitelma(ss|st|lt)a\w*|\w*suunnitelmaan\w*|\w*suunnitelmalle\w*"),
        # plural = the unemployed / disabled people in general, not the writer
        ("NONE", r"(pitkäaikais)?työttöm(ät|ien|ille|iä|istä|issä|iin|illä|iltä|inä|iksi)\w*"),
        ("NONE", r"\w*vammais(et|ten|ille|ia|ista|issa|iin|illa|ilta|ina|iksi)\w*|\w*vammaispalvel\w*"),
        ("NONE", r"sairaat|sairaille|sairaiden"),
        ("REF_ABESS", r"lähetteettä"),
        ("REF", r"lähete(ni)?|lähettee(n|ni|llä|lläni|si)|lähetettä(ni)?|lähetteet"),
        ("ACTPLAN_ABESS", r"aktivointisuunnitelmatta"),
        ("ACTPLAN", r"aktivointisuunnitelm\w*|aktivointi-suunnitelm\w*"),
        ("EMPPLAN", r"työllistymissuunnitelm\w*|työllistymis-suunnitelm\w*"),
        ("PLAN", r"suunnitelm\w*"),
        ("ACTIVATION", r"aktivointi"),
        ("MULTI", r"monialai\w*"),
        ("UNEMP_BENEFIT", r"työttömyys(etuu|turva|korvau|päivära)\w*|työmarkkinatu(ki|e)\w*|"
                          r"ansiosidonnai\w*|peruspäivära\w*|ansiopäivära\w*"),
        # singular forms only (työtön, työtöntä, työttömänä, työttömäksi, työttömän)
        ("UNEMP", r"(pitkäaikais)?työ(tön|töntä|ttömänä|ttömäksi|ttömäks|ttömän)"),
        ("INCAPABLE", r"työkyvytön|työkyvyttömänä|työkyvyttömäksi"),
        ("DISABILITY_PENSION", r"työkyvyttömyyselä(ke|kk|ket)\w*"),
        ("HEALTHY", r"terve|terveenä|työkykyinen"),
        ("WORK_ABILITY", r"työky\w*|työnteko\w*|työssäjaksami\w*|työhön|töihin|työelämä\w*"),
        ("AT_WORK", r"töissä|työssä|duunissa|duunis|töis|hommissa|palkkatöissä|työsuhteessa"),
        ("EMPLOYED", r"työskentelen"),
        ("JOB", r"työpaik\w*|työ|töitä|työtä|duuni|duunia"),
        ("HEALTH", r"(mielen)?terveys|terveydentila|terveydellinen"),
        ("AFFECT", r"vaikuttaa|vaikuta|vaikuttanut|vaikuttavat|haittaa|haitannut|heikentää|heikentänyt|"
                   r"rajoittaa|rajoittanut|estää|estänyt|hankaloittaa|vaikeuttaa|alentaa|alentanut"),
        ("REDUCED", r"alentunut|alentunut\w*|alentunee\w*|heikentynyt|heikentyne\w*|heikko|huono|rajoittunut"),
        ("REASON", r"takia|takii|vuoksi|johdosta|syistä|syystä|tähden"),
        ("CONDITION", r"masennus|masentunut|masentunu|uupumus|työuupumus|uupunut|ahdistus|ahdistuneisuus|ahdistunut|"
                      r"\w*kipu|\w*kivut|mielenterveysongelm\w*|mielenterveyshäiriö\w*|paniikkihäiriö\w*|"
                      r"burnout|loppuunpala\w*|sairausloma\w*|sairasloma\w*"),
        ("GENERAL_CONDITION", r"\w*sairaus|sairas|kipeä|terveysongelm\w*|terveyshaitta|sairastan|sairastu\w*"),
        ("MENTAL", r"psyykkinen|henkinen|mielenterveydellinen"),
        ("PROBLEM", r"ongelma|häiriö|vaiva"),
        # disability words; compounds only with known prefixes, because "urheiluvamma"
        # (sports injury) is not a disability
        ("DISABILITY", r"(kehitys|liikunta|näkö|kuulo|aivo|cp-?|selkäydin|vaikea|moni|puhe)?vamma\w*|"
                       r"toimintarajoit\w*|vammautu\w*"),
        ("CRIME", r"rikosseuraamus\w*|yhdyskuntaseuraamus\w*|kriminaalihuol\w*|"
                  r"rise|risen|risellä|riseltä|risestä|risessä|riselle|rise:\w+"),
        ("SOCIAL", r"sosiaalityönteki\w*|sosiaaliohjaaj\w*|sosiaalitoim\w*|sosiaalipalvel\w*|"
                   r"sosiaaliasem\w*|sosiaalivirast\w*|sosiaalihuol\w*|aikuissosiaalityö\w*|"
                   r"sosiaalityö\w*|sossu\w*|sosiaalineuvo\w*"),
        # TYP = työvoiman palvelukeskus. Duuri is Helsinki's TYP-type service centre
        # (Työvoiman palvelukeskus Duuri), so it maps to "typ".
        ("TYP", r"typ|typ:\w+|typ-\w+|typpi\w*|duuri\w*"),
        ("LABOUR", r"työvoiman"),
        ("SERVICE_CENTRE", r"palvelukeskus\w*|palvelukeskukse\w*"),
        ("EMPLOYMENT_SERVICES", r"te-toimisto\w*|tetoimisto\w*|te-palvelu\w*|tepalvelu\w*|te-keskus\w*|"
                                r"työkkäri\w*|työvoimatoimisto\w*|työvoimapalvelu\w*|työllisyyspalvelu\w*|"
                                r"työnvälity\w*|työllisyysalue\w*|kuntakokeilu\w*"),
        ("TE", r"te"),
        ("OFFICE", r"toimisto\w*|palvelu\w*"),
        ("CLIENT", r"asiakas|asiakkaa\w*|asiakkuu\w*"),
        ("ANY", r"minkään|missään|mihinkään|mistään|kenenkään|kenelläkään|mitään|mikään"),
        ("BE", r"olen|oon|oun|ole|oo|olenkin|olenhan|käyn"),
        ("FP_SUBJECT", r"minä|mä|mie"),
        ("IT", r"se|tämä|tää"),
        ("ADV", r"nyt|jo|vasta|nykyään|kyllä|kyl|vielä|edelleen|siis|tosiaan|oikeastaan|tällä"),
        ("DASH", r"[-–]"),
    ],
    "sv": [
        ("NONE", r"(långtids)?arbetslösa|funktionshindrade|handikappade|sjuka"),
        ("REF", r"remiss|remissen|remisser|remisserna"),
        ("REF_VERB", r"remitterad\w*|remitterade|remitterat|remitterats"),
        ("ACTPLAN", r"aktiveringsplan\w*"),
        ("EMPPLAN", r"sysselsättningsplan\w*"),
        ("PLAN", r"plan|planen|planer|planerna"),
        ("ACTIVATION", r"aktivering|aktiverings-?"),
        ("MULTI", r"sektorsövergripande|sektoröverskridande|multisektoriell\w*|mångprofessionell\w*"),
        ("UNEMP_BENEFIT", r"arbetslöshetsersättning\w*|arbetslöshetsdagpenning\w*|arbetsmarknadsstöd\w*|"
                          r"grunddagpenning\w*|inkomstrelaterad\w*"),
        ("UNEMP", r"(långtids)?arbetslös|(långtids)?arbetslöst"),
        ("INCAPABLE", r"arbetsoförmögen"),
        ("DISABILITY_PENSION", r"sjukpension\w*|invalidpension\w*|sjukersättning\w*"),
        ("HEALTHY", r"frisk|arbetsför"),
        ("WORK_ABILITY", r"arbetsförmåga\w*|arbetsförmögenhet|arbetskapacitet\w*|arbetsliv\w*"),
        ("WORK_VERB", r"jobbar|arbetar"),
        ("EMPLOYED", r"anställd|fastanställd|heltidsanställd"),
        ("JOB", r"jobb|jobbet|arbete|arbetet|anställning\w*|heltidsjobb\w*|arbetsplats\w*"),
        ("HEALTH", r"hälsa|hälsan|hälsotillstånd\w*|mående"),
        ("AFFECT", r"påverkar|påverkat|påverka|begränsar|begränsat|hindrar|hindrat|försämrar|försämrat|"
                   r"försvårar|försvårat"),
        ("REDUCED", r"nedsatt|begränsad|försämrad|dålig"),
        ("REASON", r"grund|pga|pga\.|p\.g\.a\.?"),
        ("CONDITION", r"depression\w*|deprimerad|ångest\w*|utbränd\w*|utmattning\w*|utmattad|"
                      r"\w*smärta|\w*smärtor|\w*värk|sjukskriven|sjukskrivning|sjukledig|panikångest"),
        ("GENERAL_CONDITION", r"sjukdom|sjukdomar|sjukdomen|sjuk|ohälsa|hälsoproblem\w*|långtidssjuk"),
        ("MENTAL", r"psykisk|psykiska|mental\w*"),
        ("PROBLEM", r"problem|problemen|besvär|svårigheter"),
        ("DISABILITY", r"funktionsnedsättning\w*|funktionshinder|funktionshindrad|utvecklingsstörning|"
                       r"utvecklingsstörd|rörelsehinder|rörelsehindrad|handikapp|handikappad"),
        ("CRIME", r"brottspåföljd\w*|frivård\w*|samhällspåföljd\w*"),
        ("SOCIAL", r"socialarbetare\w*|socialhandledare\w*|socialbyrå\w*|socialtjänst\w*|socialkansli\w*|"
                   r"socialen|socialvård\w*|socialhandledning\w*"),
        # TYP's Swedish name is "sektorsövergripande samservice"; Duuri = Helsinki's TYP
        ("TYP", r"samservice\w*|duuri\w*"),
        ("EMPLOYMENT_SERVICES", r"te-byrå\w*|tebyrå\w*|te-tjänst\w*|te-central\w*|näringsbyrå\w*|"
                                r"arbetsförmedling\w*|sysselsättningstjänst\w*|arbetskraftsbyrå\w*|"
                                r"arbetskraftsmyndighet\w*|sysselsättningsområde\w*|kommunförsök\w*"),
        ("OFFICE", r"byrå\w*|tjänst\w*|kontor\w*"),
        ("CLIENT", r"kund|kunden|klient|klienten|kundrelation\w*"),
        ("ANY", r"någon|något|någonstans|några|nånstans|nån|nåt"),
        ("BE", r"är|e"),
        ("FP_SUBJECT", r"jag"),
        ("IT", r"det|den|detta"),
        ("ADV", r"nu|redan|bara|just|fortfarande|numera|faktiskt"),
        ("DASH", r"[-–]"),
    ],
    "en": [
        ("REF", r"ref+er+al+s?"),  # also "referal", "refferal"
        ("REF_VERB", r"referred"),
        ("ACTIVATION", r"activation"),
        ("PLAN", r"plans?"),
        ("MULTI", r"multisectoral|multi-sectoral|multisector|multi-sector|cross-sectoral|multi"),
        ("SECTORAL", r"sectoral|sector"),
        ("EMPLOYMENT", r"employment|unemployment|labour|labor"),
        ("BENEFIT", r"benefits?|allowance|subsidy"),
        ("UNEMP", r"unemployed|jobless"),
        ("OUT", r"out"),  # "out of work"
        ("WORK_VERB", r"work|working"),
        # "I work full time / as a cleaner / at a shop / for the city" (not "I work on my CV")
        ("WORK_COMPLEMENT", r"full-time|fulltime|full|as|at|for"),
        ("EMPLOYED", r"employed"),
        ("JOB", r"jobs?"),
        ("HEALTH", r"health"),
        ("AFFECT", r"affects?|affected|affecting|limits?|limiting|prevents?|prevented|impacts?|impacted|"
                   r"restricts?|hinders?|hindered|impairs?|interferes?"),
        ("REDUCED", r"reduced|limited|impaired|decreased|poor"),
        ("ABILITY", r"ability|abilities|capacity"),
        ("UNABLE", r"unable|incapable"),
        ("REASON", r"because|due|owing"),
        ("CONDITION", r"depression|depressed|anxiety|burnout|burn-out|pain|pains|migraines?|exhaustion|ptsd"),
        ("GENERAL_CONDITION", r"illness|illnesses|sickness|disease|diseases"),
        # "ill" is also "I'll" typed without the apostrophe, and "sick of" means fed up,
        # so these count only after "I'm"/"I feel" or in "sick leave" (rules below)
        ("ILL", r"sick|ill"),
        ("FEEL", r"feel|feeling"),
        ("LEAVE", r"leave"),
        ("TIRED", r"tired"),
        ("MENTAL", r"mental|psychological"),
        ("PROBLEM", r"problems?|issues?"),
        ("HEALTHY", r"healthy"),
        ("DISABILITY", r"disability|disabled|handicapped|impairment"),
        ("PENSION", r"pension|pensioner"),
        ("CRIME", r"probation"),
        ("CRIMINAL", r"criminal"),
        ("SANCTIONS", r"sanctions?"),
        ("SOCIAL_ADJ", r"social"),
        ("SOCIAL_NOUN", r"workers?|instructors?|counsell?ors?|advis[eo]rs?|welfare|care|guidance"),
        ("TYP", r"typ|duuri\w*"),  # "typ" is no English word; Duuri = Helsinki's TYP
        ("TE", r"te"),  # "TE office" ("te" is no English word)
        ("EMPLOYMENT_SERVICES", r"jobcent(re|er)s?|te-office\w*|te-services?"),
        ("OFFICE", r"offices?|services?|cent(re|er)|bureau|agency"),
        ("CLIENT", r"clients?|customers?"),
        ("ANY", r"any|anywhere|anyone|anyone's|anybody|anything"),
        ("BE", r"am|'m|m|been"),
        ("FP_SUBJECT", r"i"),
        ("IT", r"it|this|that"),
        ("ADV", r"now|currently|already|just|still|actually|presently|only"),
        ("DASH", r"[-–]"),
    ],
}

# Checked case-sensitively on the raw token before KINDS: "Rise" is the Criminal
# Sanctions Agency but "rise" an English word; "TYP" the service but Swedish "typ" means
# "like, sort of" ("jag är typ 30").
CASED_KINDS: dict[str, list[tuple[str, str]]] = {
    "fi": [],
    "sv": [("CRIME", r"Rise|RISE|Rise:\w+"), ("TYP", r"TYP|TYP:\w+|TYP-\w+"), ("TE", r"TE")],
    "en": [("CRIME", r"Rise|RISE|Rise's"), ("TYP", r"TYP|TYP's|TYP-\w+")],
}

# =============================================================================
# Context flags: word lists (lower case, with diacritics; also matched without them).
# =============================================================================

FLAG_NAMES = (
    "NEG", "NEG_DET", "FP", "FP_OBJ", "POSS", "HAVE", "RECEIVE", "CLIENT_CUE", "MODAL",
    "HEDGE", "HEDGE_IF_NEG", "QWORD", "AUX_Q", "HYPO", "AND", "BUT", "OTHER", "GENERIC",
    "RESIDENCE", "ELSEWHERE", "PAST", "BLOCK", "BLOCK_AFTER", "DURATION", "AGE_PRE",
    "SCOPE_LONG", "CONTRAST_IF_NEG",
    # set by _annotate, not by word lists:
    "SENTENCE_END", "CLAUSE_PUNCT", "FI_QUESTION", "NEG_AND", "SELF", "PREDICATE",
)
_BIT = {name: 1 << i for i, name in enumerate(FLAG_NAMES)}

FLAGS: dict[str, dict[str, str]] = {
    "fi": {
        # the negative verb in all persons, with -kA "and not", and colloquial fusions
        "NEG": "en et ei emme ette eivät enkä etkä eikä emmekä ettekä eivätkä emmä enmä eimä eipä enpä",
        "NEG_DET": "ilman vailla",
        # first person: pronouns in all cases, 1sg verb forms residents use about themselves
        "FP": "minä mä mie minulla mulla mul mullon minulle mulle minut minun mun minua mua minusta "
              "minuun minulta multa olen oon oun olin olenkin en enkä emmä asun käyn kävin sain jäin "
              "haen tarvitsen täytin teen saan jaksan pysty pystyn pääsin asioin voin työskentelen "
              "kärsin sairastan tapasin soitin ilmoittauduin nostan opiskelen minäkin mäkin",
        "FP_OBJ": "minut minulle mulle minua mua minuun minulta multa",
        "POSS": "minun mun",
        # having/getting a document: adessive pronoun ("minulla on"), past "got/made"
        "HAVE": "minulla mulla mul mullon meillä meil sain saanut saanu saatu saaneet teki tekivät "
                "tehnyt tehny tehneet tehty tehtiin tekemä laadittu laati laatinut laadittiin laativat "
                "kirjoitti kirjoittanut kirjoitettu olemassa voimassa",
        "RECEIVE": "saan nostan saamme",
        "CLIENT_CUE": "asioin asioinut käyn kävin käynyt ohjasi ohjannut ohjattiin ohjasivat ohjas "
                      "ilmoittautunut ilmoittauduin rekisteröitynyt tapasin tavannut tapaan soitin "
                      "juttelin keskustelin",
        # wishes, needs, applying, intentions: "haluan lähetteen" is not having one
        "MODAL": "haluan haluaisin halua haluisin tarvitsen tarvitsisin tarvitaan tarvita tarvitse "
                 "tarvii tarviin pitää pitäisi pitäis täytyy täytyis toivon toivoisin haen hakea "
                 "hakemaan haemme hakisin hakenut hain voisin saisin saada pyydän pyytää aion yritän",
        "HEDGE": "ehkä kai luultavasti mahdollisesti ilmeisesti kenties varmaan luulen luulisin taitaa",
        # "en tiedä", "en muista", "en ole varma"
        "HEDGE_IF_NEG": "tiedä tiiä tie muista varma",
        "QWORD": "mikä mitä mitkä miten kuka ketkä kenelle kenen kenellä keneltä missä mistä mihin "
                 "milloin miksi miks kuinka paljonko montako mites mitäs mikäs minkä millainen "
                 "millaista minkälainen kumpi",
        "HYPO": "jos mikäli jollei",
        "AND": "ja sekä",
        "BUT": "mutta vaan koska kun että joten siksi silti tosin vaikka",
        "OTHER": "hän hänellä hänen hänet hänelle häneltä hänestä he heillä heidän heille heitä "
                 "sinä sä sulla sinulla sinun sun sulle sinulle sua sinua teillä teidän",
        "GENERIC": "ihmiset ihmisille ihmisiä ihmisten henkilöt henkilöille henkilöitä henkilöiden "
                   "jokainen kukaan asiakkaat asiakkaille nuoret",
        "RESIDENCE": "asun asumme asuin asunut kotikunta kotikuntani kotikuntana asuinkunta "
                     "asuinkuntani asuinpaikka asuinpaikkani asukas asukkaana",
        # a place named with these is probably not the home municipality
        "ELSEWHERE": "töissä työssä työskentelen duunissa opiskelen syntynyt synnyin kävin työpaikka "
                     "kotoisin",
        # past states: "olin työtön", "minulla oli lähete" are not the present
        "PAST": "olin olimme oli olit olivat asuin",
        # between "minulla on" and "lähete": "minulla on kysymys lähetteestä"
        "BLOCK": "kysymys kysymyksiä kysyttävää kysyä tietoa tieto info infoa vaikeuksia vaikeus "
                 "vaikeaa ongelmia koskien liittyen liittyvä ohjeita ohje apua hakemus hakemuksen "
                 "haastattelu",
        "BLOCK_AFTER": "haastattelu haastatteluun hakemus",
        "DURATION": "ollut ollu ajan aikaa aikana yli alle noin n. vähintään ainakin melkein kohta "
                    "lähes viimeiset viime kuluttua sitten takaa asunut työskennellyt",
        "AGE_PRE": "ikä ikäni ikää iältäni täytin täyttänyt",
        # "en ole ollut työtön kauan" negates the duration, not being unemployed
        "SCOPE_LONG": "kauan pitkään",
        "CONTRAST_IF_NEG": "",
    },
    "sv": {
        "NEG": "inte ej aldrig icke int",
        "NEG_DET": "ingen inget inga utan inge",
        "FP": "jag mig mej min mitt mina",
        "FP_OBJ": "mig mej",
        "POSS": "min mitt mina",
        "HAVE": "har fått fick gjort gjorde skrev skrivit upprättat upprättade upprättats finns gjorts",
        "RECEIVE": "får lyfter uppbär erhåller",
        "CLIENT_CUE": "går besöker träffar träffade träffat anmäld anmälde inskriven registrerad "
                      "skickade hänvisade hänvisad remitterade",
        "MODAL": "vill ville behöver behövs måste skulle önskar hoppas söker ansöka ansöker ska skall "
                 "planerar försöker ber",
        "HEDGE": "kanske möjligen troligen troligtvis antagligen tror osäker",
        "HEDGE_IF_NEG": "vet säker minns",
        "QWORD": "vad hur vem vilka vilken vilket var när varför vart varifrån vems",
        "AUX_Q": "har är kan måste behöver får ska finns blir gäller fungerar skulle brukar",
        "HYPO": "om ifall såvida",
        "AND": "och samt o",
        "BUT": "men eftersom att så fast dock därför medan",
        "OTHER": "han hon hen de dom hans hennes hens deras honom henne dem du dig din ditt dina ni er",
        "GENERIC": "man människor personer",
        "RESIDENCE": "bor bodde boende hemkommun hemort invånare kommuninvånare",
        "ELSEWHERE": "jobbar arbetar född studerar pluggar ursprungligen",
        "PAST": "var hade bodde",
        "BLOCK": "fråga frågor information info svårt svårigheter problem angående gällande hjälp "
                 "ansökan intervju",
        "BLOCK_AFTER": "intervju ansökan sökande",
        "DURATION": "i sedan över under cirka ca omkring ungefär minst nästan snart senaste varit bott "
                    "jobbat arbetat",
        "AGE_PRE": "ålder åldern fyllde fyllt",
        "SCOPE_LONG": "länge",
        # "inte i Esbo utan i Helsingfors": after a negation "utan" means "but", not "without"
        "CONTRAST_IF_NEG": "utan",
    },
    "en": {
        "NEG": "not n't nt never nor neither",
        "NEG_DET": "no without none zero",
        "FP": "i me my mine myself i'm im i've ive i'd",
        "FP_OBJ": "me myself",
        "POSS": "my mine",
        "HAVE": "have has 've got gotten received made wrote given gave issued done drawn written",
        "RECEIVE": "get gets receive receives receiving getting on",
        "CLIENT_CUE": "registered visit visiting visited see seeing met meet meeting referred sent "
                      "talked spoke",
        "MODAL": "want wants wanted would 'd need needs needed should must wish hope like apply "
                 "applying applied will 'll gonna going try trying ask asking request requesting "
                 "planning intend",
        "HEDGE": "maybe perhaps probably possibly think guess suppose unsure might may could",
        "HEDGE_IF_NEG": "know sure remember recall",
        "QWORD": "what how who whom whose which where when why what's whats how's",
        "AUX_Q": "do does did can could should is are am will would may must have has shall",
        "HYPO": "if whether unless",
        "AND": "and plus &",
        "BUT": "but because since so although though while whereas that instead however",
        "OTHER": "he she they him her his their them hers theirs you your yours he's she's they're "
                 "you're",
        "GENERIC": "people persons everyone everybody someone somebody residents applicants those "
                   "whoever",
        "RESIDENCE": "live lives living lived reside resides residing resident home hometown",
        "ELSEWHERE": "work works working job born study studying originally",
        "PAST": "was were used had",
        "BLOCK": "question questions idea info information about regarding concerning trouble "
                 "difficulty difficulties hard help",
        "BLOCK_AFTER": "of interview interviews application applications search searching seeker "
                       "seekers hunting fair offer offers",
        "DURATION": "been for past last over under about around approx approximately almost nearly "
                    "since ago worked lived",
        "AGE_PRE": "aged age turned",
        "SCOPE_LONG": "long",
        "CONTRAST_IF_NEG": "",
    },
}

# Relatives and other third persons, compared with the lemma (and, in Finnish, with the
# word without its possessive suffix: "poikani" -> "poika"): "poikani on työtön",
# "my son is 19", "min dotter har en remiss" are not about the writer.
OTHER_PERSON_LEMMAS: dict[str, str] = {
    "fi": "poika tytär lapsi äiti isä veli sisko sisar vaimo aviomies puoliso avopuoliso kumppani "
          "ystävä kaveri naapuri mummo mummi isoäiti isoisä vaari ukki poikaystävä tyttöystävä "
          "mutsi faija isi äiskä serkku",
    "sv": "son dotter barn mamma pappa mor fader bror syster fru make maka sambo partner pojkvän "
          "flickvän vän kompis granne farmor mormor morfar farfar förälder föräldrar kusin",
    "en": "son daughter child kid kids children mother mom mum father dad brother sister wife "
          "husband partner spouse friend boyfriend girlfriend neighbour neighbor grandmother "
          "grandfather grandma grandpa parent parents cousin uncle aunt relative",
}

# "mies"/"nainen" (man/woman) describe the writer ("45-vuotias mies"), but with a
# possessive suffix they are a spouse: "mieheni", "naiseni".
_FI_SPOUSE = frozenset({"mies", "nainen", "miehe", "naise"})

# Function words that tell the languages apart when no language is given.
LANGUAGE_HINTS: dict[str, str] = {
    "fi": "ja on olen oon ei en minulla mulla mä minä ole oo että kun mutta myös mun se ollut",
    "sv": "och jag är har inte ett att det som min med för av på bor",
    "en": "i and the a is am have not my to of in it with for do 'm n't",
}

# =============================================================================
# Rules
# =============================================================================

ATTR = "attr"  # a property of the writer: age, unemployed, health, disability
HAVE = "have"  # a document the writer has: referral, plan
CLIENT = "client"  # a service the writer is a client of


@dataclass(frozen=True)
class Rule:
    entity: str
    value: Optional[str]  # value when affirmed; None = no fact (the match still claims its span)
    negated: Optional[str]  # value when negated; None = no fact
    pattern: str  # over kinds, see _compile_pattern
    scope: str = ATTR
    cue: tuple[str, ...] = ()  # flags one of which must be near an affirmed match
    window: int = 4  # how many tokens may separate the cue from the match
    negatable: bool = True
    past_ok: bool = False  # "I was referred" is a passive, not a past state
    context: tuple[str, ...] = ()  # kinds one of which must occur earlier in the sentence


REFERRAL_SOURCE = "<referral source>"  # value decided by _referral_source
_HAVE_CUE = ("HAVE", "POSS")
_CLIENT_CUE = ("HAVE", "POSS", "CLIENT_CUE", "FP_OBJ")


def _common_rules(lang: str) -> list[Rule]:
    """Rules whose patterns read the same in every language (kinds differ per language)."""
    fi = lang == "fi"
    # Finnish puts the reason after the health word ("sairauden takia"); Swedish and
    # English before it ("på grund av min hälsa", "because of my depression").
    reason = (
        "[(CONDITION|GENERAL_CONDITION|HEALTH)] REASON" if fi
        else "REASON _{0,2} [(CONDITION|GENERAL_CONDITION|HEALTH)]"
    )
    return [
        # --- unemployed ---
        Rule("unemployed", "yes", "no", "[UNEMP]"),
        # receiving unemployment benefit: "saan työmarkkinatukea", "I'm on unemployment benefit"
        Rule("unemployed", "yes", None, "[UNEMP_BENEFIT]" if lang != "en" else "[EMPLOYMENT BENEFIT]",
             cue=("HAVE", "RECEIVE", "FP")),
        # having a job means not unemployed; "I don't have a job" is left to the assistant
        # (it may mean a disability pensioner, a student...), so negated gives nothing
        Rule("unemployed", "no", None, "[JOB]", cue=("HAVE",), window=2),
        Rule("unemployed", "no", None, "BE ADV? [(AT_WORK|EMPLOYED)]" if not fi else "BE ADV? [AT_WORK]"),
        # --- health affects work ability ---
        Rule("health_affects_work_ability", "yes", "no",
             "[(HEALTH|GENERAL_CONDITION|CONDITION|MENTAL) _{0,3} (AFFECT|REDUCED) _{0,4} "
             "(WORK_ABILITY|JOB|AT_WORK|WORK_VERB|ABILITY)]"),
        Rule("health_affects_work_ability", "yes", "no", "[REDUCED WORK_VERB? DASH? (WORK_ABILITY|ABILITY)]"),
        # "I have depression but it doesn't affect my work": "it" refers to the health
        # word earlier in the sentence (required by `context`)
        Rule("health_affects_work_ability", "yes", "no",
             "[IT _{0,3} AFFECT _{0,4} (WORK_ABILITY|JOB|AT_WORK|WORK_VERB|ABILITY)]",
             context=("HEALTH", "GENERAL_CONDITION", "CONDITION", "MENTAL")),
        # "työkykyni on alentunut", "my work ability is reduced"
        Rule("health_affects_work_ability", "yes", "no", "[WORK_VERB? DASH? (WORK_ABILITY|ABILITY) _{0,2} REDUCED]"),
        # "en pysty töihin sairauden takia": the negation belongs to working, not to health
        Rule("health_affects_work_ability", "yes", None, reason, negatable=False),
        Rule("health_affects_work_ability", "yes", None, "[MENTAL HEALTH? PROBLEM]"),
        Rule("health_affects_work_ability", "yes", "no", "[HEALTH PROBLEM]"),
        # a named condition: denying one ("ei masennusta") does not say health is fine
        Rule("health_affects_work_ability", "yes", None, "[CONDITION]"),
        # illness in general: "minulla ei ole sairauksia" / "I'm not ill" -> no
        Rule("health_affects_work_ability", "yes", "no", "[GENERAL_CONDITION]"),
        Rule("health_affects_work_ability", "yes", None, "[INCAPABLE]" if lang != "en" else "[UNABLE _? WORK_VERB]"),
        Rule("health_affects_work_ability", "no", None, "BE ADV? [HEALTHY]"),
        # --- disability ---
        Rule("disability", "yes", None, "[DISABILITY_PENSION]" if lang != "en" else "[DISABILITY PENSION]"),
        Rule("disability", "yes", "no", "[DISABILITY](?!OFFICE)"),  # not "disability services"
        # --- referral ---
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
        Rule("client_of", None, "none", "[(ANY _{0,2} CLIENT|CLIENT _{0,3} ANY)]", scope=CLIENT),
    ]


def _language_rules(lang: str) -> list[Rule]:
    extra = {
        "fi": [
            Rule("unemployed", "no", None, "[EMPLOYED]"),  # "työskentelen"
        ],
        "sv": [
            Rule("unemployed", "no", None, "FP_SUBJECT ADV? [WORK_VERB]"),  # "jag jobbar"
        ],
        "en": [
            # "I work full time", "I'm working as a cleaner"
            Rule("unemployed", "no", None, "FP_SUBJECT BE? ADV? [WORK_VERB] WORK_COMPLEMENT"),
            Rule("unemployed", "yes", "no", "[OUT _{1,2} (WORK_VERB|JOB)]"),  # "out of (a) job/work"
            # "I'm sick", "I feel ill"; not "sick and tired"
            Rule("health_affects_work_ability", "yes", "no", "(BE|FEEL) _{0,2} [ILL](?!_ TIRED)"),
            Rule("health_affects_work_ability", "yes", None, "[ILL LEAVE]"),  # "on sick leave"
        ],
    }
    return extra[lang]


# =============================================================================
# Compilation (once, at import)
# =============================================================================

_TOLERANT = {"ä": "[äa]", "ö": "[öo]", "å": "[åa]", "é": "[ée]"}
_FOLD = str.maketrans({"ä": "a", "ö": "o", "å": "a", "é": "e", "ü": "u"})
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "´": "'", "`": "'"})


def _tolerant(pattern: str) -> str:
    """Let a pattern written with diacritics also match text typed without them."""
    return "".join(_TOLERANT.get(ch, ch) for ch in pattern)


def _fold(word: str) -> str:
    return word.translate(_FOLD)


_KIND_NAMES = sorted({name for table in (KINDS, CASED_KINDS) for rows in table.values() for name, _ in rows}
                     | {"NONE"})
# One character per kind; "." for a token without a kind (so "_" in patterns = any token).
_CHAR_POOL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_NAMED_KINDS = [n for n in _KIND_NAMES if n != "NONE"]
assert len(_NAMED_KINDS) <= len(_CHAR_POOL), "too many kinds for the character pool"
_KIND_CHAR = dict(zip(_NAMED_KINDS, _CHAR_POOL))
_KIND_CHAR["NONE"] = "."


def _kind_regex(rows: list[tuple[str, str]], tolerant: bool) -> Optional[re.Pattern]:
    if not rows:
        return None
    parts = [f"(?P<k{i}_{name}>{_tolerant(p) if tolerant else p})" for i, (name, p) in enumerate(rows)]
    return re.compile("|".join(parts))


_KIND_RE = {lang: _kind_regex(rows, True) for lang, rows in KINDS.items()}
_CASED_RE = {lang: _kind_regex(rows, False) for lang, rows in CASED_KINDS.items()}


def _flag_tables(lang: str) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    exact: dict[str, int] = {}
    for name, words in FLAGS[lang].items():
        for word in words.split():
            exact[word] = exact.get(word, 0) | _BIT[name]
    folded: dict[str, int] = {}
    for word, bits in exact.items():
        folded[_fold(word)] = folded.get(_fold(word), 0) | bits
    lemmas = {word: _BIT["OTHER"] for word in OTHER_PERSON_LEMMAS[lang].split()}
    return exact, folded, lemmas


_FLAG_TABLES = {lang: _flag_tables(lang) for lang in LANGUAGES}
_HINTS = {lang: frozenset(words.split()) for lang, words in LANGUAGE_HINTS.items()}

_PATTERN_TOKEN = re.compile(r"\(\?!|\[|\]|[A-Z][A-Z_]+|_|\{\d+(?:,\d+)?\}|[()|?*+]|\s+")


def _compile_pattern(pattern: str) -> re.Pattern:
    """'[ACTIVATION DASH? PLAN]' -> regex over one character per token.

    Kind names become their character, "_" any token, "[...]" the span of the fact
    (named group "head"); ( | ) ? * + {m,n} and (?! ) keep their regex meaning.
    """
    out = []
    pos = 0
    for match in _PATTERN_TOKEN.finditer(pattern):
        if match.start() != pos:
            raise ValueError(f"bad pattern {pattern!r} at {pos}")
        pos = match.end()
        piece = match.group()
        if piece.isspace():
            continue
        if piece == "[":
            out.append("(?P<head>")
        elif piece == "]":
            out.append(")")
        elif piece == "_":
            out.append(".")
        elif piece[0].isupper():
            out.append(re.escape(_KIND_CHAR[piece]))
        else:
            out.append(piece)
    if pos != len(pattern):
        raise ValueError(f"bad pattern {pattern!r}")
    regex = re.compile("".join(out))
    if "head" not in regex.groupindex:
        regex = re.compile(f"(?P<head>{regex.pattern})")
    return regex


@dataclass(frozen=True, eq=False)  # hashed by identity
class _CompiledRule:
    rule: Rule
    regex: re.Pattern
    cue_mask: int
    order: int
    anchors: frozenset  # kind characters of which a match needs at least one (a quick pre-check)
    context: frozenset  # kind characters, see Rule.context


def _anchors(pattern: str) -> frozenset:
    """Kinds inside the head that are not optional: a clause without any of them cannot match."""
    head = pattern[pattern.index("[") + 1:pattern.rindex("]")] if "[" in pattern else pattern
    return frozenset(_KIND_CHAR[name] for name, optional in re.findall(r"([A-Z][A-Z_]+)(\??)", head)
                     if not optional)


def _compile_rules(lang: str) -> list[_CompiledRule]:
    rules = _common_rules(lang) + _language_rules(lang)
    compiled = []
    for order, rule in enumerate(rules):
        mask = 0
        for name in rule.cue:
            mask |= _BIT.get(name, 0)
        context = frozenset(_KIND_CHAR[name] for name in rule.context)
        compiled.append(_CompiledRule(rule, _compile_pattern(rule.pattern), mask, order, _anchors(rule.pattern),
                                      context))
    return compiled


_RULES = {lang: _compile_rules(lang) for lang in LANGUAGES}


def _index_rules(rules: list[_CompiledRule]) -> dict[str, tuple[_CompiledRule, ...]]:
    index: dict[str, list[_CompiledRule]] = {}
    for compiled in rules:
        for char in compiled.anchors:
            index.setdefault(char, []).append(compiled)
    return {char: tuple(found) for char, found in index.items()}


# kind character -> rules that need it, so a clause only tries rules it can match
_RULE_INDEX = {lang: _index_rules(rules) for lang, rules in _RULES.items()}
# Mentions used to decide who made a referral (see _referral_source).
_CRIME_MENTION = _compile_pattern("(CRIME|CRIMINAL SANCTIONS)")

# Kinds that make a clause a predicate of its own (see _Clause.elliptic).
_PREDICATE_KINDS = frozenset(
    _KIND_CHAR[k] for k in ("BE", "FP_SUBJECT", "AFFECT", "WORK_VERB", "EMPLOYED") if k in _KIND_CHAR
)
_PREDICATE_FLAGS = 0
for _name in ("FP", "HAVE", "NEG", "NEG_DET", "CLIENT_CUE", "MODAL", "RECEIVE", "RESIDENCE", "PAST", "HYPO",
              "QWORD", "HEDGE"):
    _PREDICATE_FLAGS |= _BIT[_name]
_SELF_FLAGS = _BIT["FP"] | _BIT["FP_OBJ"] | _BIT["POSS"]

# =============================================================================
# Age
# =============================================================================

_AGE_NUMBER = re.compile(r"(\d{1,3})(?:-?([^\d\W]+[./]?[^\d\W]*\.?))?")
# suffixes glued to the number: "45v", "45-vuotias", "30-åring", "45yo"
_AGE_SUFFIX_STRONG = frozenset({"vuotias", "åring", "aring", "yo", "y/o", "y.o."})
_AGE_SUFFIX_WEAK = frozenset({"v", "v.", "vee", "år", "ar", "y", "yrs", "yr"})
_AGE_COPULA = {"fi": frozenset({"olen", "oon", "oun"}), "sv": frozenset({"är", "e", "ar"}),
               "en": frozenset({"am", "'m", "m"})}
_AGE_YEARS = {"fi": frozenset({"vuotta", "vuotias", "v", "v.", "vee", "-vuotias"}),
              "sv": frozenset({"år", "ar", "åring", "-åring"}),
              "en": frozenset({"years", "year", "yrs", "yr", "y", "yo", "y/o"})}
_AGE_OLD = frozenset({"vanha", "ikäinen", "gammal", "gammalt", "old"})
_AGE_STRONG_WORD = frozenset({"vuotias", "-vuotias", "åring", "-åring", "yo", "y/o"})
# units that make a number something else: "24 kuukautta", "4 päivää", "4 tuntia", "45 minutes"
_NON_AGE_UNITS = frozenset(
    "kk kuukautta kuukauden kuukausi kuukaudeksi päivää päivä päivän pv pvä viikkoa viikko vko tuntia "
    "tunti h min minuuttia sekuntia euroa e € eur % prosenttia km kilometriä m metriä kg kiloa cm kertaa "
    "krt kpl senttiä astetta kerroksessa krs lasta lapsi "
    "månader månad mån dagar dag veckor vecka timmar timme tim minuter euro kr kronor procent gånger st "
    "kilo barn "
    "months month days day weeks week hours hour hrs minutes mins seconds euros dollars percent times "
    "kilos pounds lbs miles pm am o'clock kids children st nd rd th".split()
)
# words after a unit that make it a time span: "2 vuotta sitten", "20 years ago"
_AGE_AFTER_REJECT = frozenset("sitten ajan aikana kuluttua sedan ago of ollut ollu been varit".split())
_AGE_PRE_REJECT = frozenset("klo kello nro numero no. # puh tel. tel p. huone talo rappu porras kerros "
                            "postinumero postnummer page sivu sida kohta § pykälä".split())


# =============================================================================
# Municipality cues
# =============================================================================

# Municipality names that are also everyday words ("salo" grove, "lahti" bay, "kotka"
# eagle, "aura" plough/aura, "sund" healthy, "kemi" chemistry in Swedish, "ii" ...).
# Written in lower case they count only with a residence cue or as a short reply.
_WORDLIKE_MUNICIPALITIES = frozenset(
    "Salo Lahti Kotka Aura Nokia Kolari Luoto Ii Sund Inkoo Simo Salla Kaarina Hamina Kannus Virrat "
    "Pello Geta Kemi".split()
)
_DEMONYM = re.compile(r"(l[aä]i(nen|s\w*|se\w*))|(bo|bon|bor|are|aren)$", re.IGNORECASE)

# =============================================================================
# Tokens and clauses
# =============================================================================


_NOT_A_CONJUNCTION = frozenset({("because", "of"), ("and", "tired")})
_SENTENCE_END = re.compile(r"[.!?…]+")  # line breaks end sentences too (see _spacy_tokens)
_CLAUSE_PUNCT = frozenset(",;:()\"“”«»–—/")
_FI_QUESTION = re.compile(r"\w{2,}(ko|kö)(an|än|han|hän|s)?|onks|ooks|oonks|voiks|saaks|pitääks|tarviiks|"
                          r"käyks|kuuluuks|meneeks|pääseeks|pääsenks|oisko|oliks")
# nouns that merely end in -ko (and the municipality Hanko)
_FI_NOT_QUESTION = frozenset("pakko heikko mikko lakko teko kirkko lukko hanko kolikko".split())


@lru_cache(maxsize=None)
def _pipeline(lang: str) -> "spacy.language.Language":
    """spaCy's blank pipeline (tokenizer only), built once per language."""
    return spacy.blank(lang)


_CHUNK = re.compile(r"\S+")


@lru_cache(maxsize=50_000)
def _split_chunk(chunk: str, lang: str) -> tuple[tuple[str, int], ...]:
    """spaCy tokens (text, offset) of one whitespace-free chunk, cached.

    spaCy's tokenizer itself first splits on whitespace and applies its prefix, suffix,
    infix and exception rules within each chunk (none of the blank fi/sv/en exceptions
    contains a space), so tokenising chunk by chunk gives the same tokens. Caching per
    chunk matters because spaCy skips its own cache for the rest of a text after an
    exception such as "I'm", which makes English messages several times slower.
    """
    return spacy_text.split_chunk(_pipeline(lang), chunk)


def _spacy_tokens(text: str, lang: str) -> Iterable[tuple[str, int, bool]]:
    """(token text, offset, starts a new line) for a message."""
    previous_end = 0
    for chunk in _CHUNK.finditer(text):
        newline = "\n" in text[previous_end:chunk.start()] and previous_end > 0
        for i, (token, offset) in enumerate(_split_chunk(chunk.group(), lang)):
            yield token, chunk.start() + offset, newline and i == 0
        previous_end = chunk.end()


@lru_cache(maxsize=100_000)
def _lemma(word: str, lang: str) -> str:
    if not any(ch.isalpha() for ch in word):
        return word
    return simplemma_lemmatize(word, lang).lower()


@lru_cache(maxsize=100_000)
def _annotate(surface: str, lang: str) -> tuple[str, int, str, bool]:
    """(kind character, flag bits, lower-case form, is a word) of one token in one language."""
    low = surface.translate(_APOSTROPHES).lower()
    lemma = _lemma(low, lang)
    kind = "."
    cased = _CASED_RE[lang]
    match = cased.fullmatch(surface) if cased else None
    if match is None:
        match = _KIND_RE[lang].fullmatch(low)
        if match is None and lemma != low:
            match = _KIND_RE[lang].fullmatch(lemma)
    if match is not None:
        kind = _KIND_CHAR[match.lastgroup.split("_", 1)[1]]

    exact, folded, lemma_flags = _FLAG_TABLES[lang]
    flags = exact.get(low)
    if flags is None:
        flags = folded.get(low, 0) if _fold(low) == low else 0
    flags |= lemma_flags.get(lemma, 0)
    if lang == "fi" and len(low) > 4 and low.endswith("ni"):
        # possessive suffix: "lähetteeni" (my referral), "poikani" (my son, which
        # simplemma leaves unlemmatised)
        stem = low[:-2]
        stem_lemma = _lemma(stem, lang)
        if lemma_flags.get(stem) or lemma_flags.get(stem_lemma) or stem_lemma in _FI_SPOUSE or stem in _FI_SPOUSE:
            flags |= _BIT["OTHER"]  # "mieheni" = my husband, though "mies" alone is just "a man"
        elif lemma != low and not lemma.endswith("ni"):
            flags |= _BIT["POSS"] | _BIT["FP"]
    if kind == _KIND_CHAR["CLIENT"]:
        flags |= _BIT["CLIENT_CUE"]
    elif "-" in low.strip("-"):
        # "TYP-asiakas", "TYP-kund": the compound's last part says "client"
        last = _KIND_RE[lang].fullmatch(low.rsplit("-", 1)[1])
        if last is not None and last.lastgroup.endswith("_CLIENT"):
            flags |= _BIT["CLIENT_CUE"]
    if _SENTENCE_END.fullmatch(surface):
        flags |= _BIT["SENTENCE_END"]
    elif surface in _CLAUSE_PUNCT:
        flags |= _BIT["CLAUSE_PUNCT"]
    if lang == "fi":
        if _FI_QUESTION.fullmatch(low) and low not in _FI_NOT_QUESTION:
            flags |= _BIT["FI_QUESTION"]  # "onko", "tarvitsenko", "voiks"
        if flags & _BIT["NEG"] and low.endswith(("kä", "ka")):
            flags |= _BIT["NEG_AND"]  # "enkä", "eikä": "and not" begins a new clause
    if flags & (_BIT["FP"] | _BIT["FP_OBJ"]) and not flags & _BIT["POSS"] or kind == _KIND_CHAR["FP_SUBJECT"]:
        flags |= _BIT["SELF"]  # the writer as subject or object (not just "my")
    if flags & _PREDICATE_FLAGS or kind in _PREDICATE_KINDS:
        flags |= _BIT["PREDICATE"]
    return kind, flags, low, any(ch.isalnum() for ch in low)


class _Token:
    __slots__ = ("text", "low", "start", "end", "kind", "flags", "index", "is_word")

    def __init__(self, text: str, start: int, index: int, lang: str) -> None:
        self.kind, self.flags, self.low, self.is_word = _annotate(text, lang)
        self.text = text
        self.start = start
        self.end = start + len(text)
        self.index = index


class _Clause:
    __slots__ = ("start", "end", "sentence", "kinds", "flags", "question", "hypothetical", "other",
                 "generic", "neg", "elliptic", "inherited_neg", "inherited_have", "inherited_modal",
                 "self_subject")

    def __init__(self, start: int, end: int, sentence: int) -> None:
        self.start, self.end, self.sentence = start, end, sentence
        self.question = self.hypothetical = False
        self.other = self.generic = self.neg = self.elliptic = False
        self.inherited_neg = self.inherited_have = self.inherited_modal = False
        self.self_subject = False
        self.kinds = ""
        self.flags = 0


class _Sentence:
    __slots__ = ("start", "end", "has_fp", "question_mark")

    def __init__(self, start: int, end: int, has_fp: bool, question_mark: bool) -> None:
        self.start, self.end, self.has_fp, self.question_mark = start, end, has_fp, question_mark


class _Analysis:
    """One message read in one language: tokens, sentences, clauses."""

    def __init__(self, text: str, lang: str) -> None:
        self.lang = lang
        self.tokens: list[_Token] = []
        self.breaks: set[int] = set()  # token indices that start a sentence (a new line)
        for token, offset, newline in _spacy_tokens(text, lang):
            if newline:
                self.breaks.add(len(self.tokens))
            self.tokens.append(_Token(token, offset, len(self.tokens), lang))
        self.words = sum(1 for t in self.tokens if t.is_word)
        self.short = self.words <= SHORT_MESSAGE_WORDS
        self.sentences: list[_Sentence] = []
        self.clauses: list[_Clause] = []
        self._segment()

    # --- segmentation ---------------------------------------------------------------

    def _segment(self) -> None:
        toks = self.tokens
        start = 0
        for i, tok in enumerate(toks):
            if i in self.breaks and i > start:
                self._sentence(start, i)
                start = i
            if tok.flags & _BIT["SENTENCE_END"]:
                self._sentence(start, i + 1)
                start = i + 1
        if start < len(toks):
            self._sentence(start, len(toks))

    def _sentence(self, start: int, end: int) -> None:
        toks = self.tokens
        s_index = len(self.sentences)
        all_flags = 0
        for t in toks[start:end]:
            all_flags |= t.flags
        has_fp = bool(all_flags & (_SELF_FLAGS | _BIT["SELF"]))
        question_mark = any("?" in t.text for t in toks[start:end] if t.flags & _BIT["SENTENCE_END"])
        sentence = _Sentence(start, end, has_fp, question_mark)
        self.sentences.append(sentence)

        # clause boundaries
        bounds = [start]
        seen_neg = False
        for i in range(start, end):
            tok = toks[i]
            f = tok.flags
            prev_hyphen = i > start and toks[i - 1].text.endswith("-") and len(toks[i - 1].text) > 1
            starts = False
            if f & (_BIT["CLAUSE_PUNCT"] | _BIT["SENTENCE_END"]):
                bounds.append(i + 1)
                continue
            if f & (_BIT["AND"] | _BIT["BUT"]) and not prev_hyphen:
                # "because of" is a preposition; "sick and tired" an idiom
                starts = not (i + 1 < end and (tok.low, toks[i + 1].low) in _NOT_A_CONJUNCTION)
            elif f & _BIT["CONTRAST_IF_NEG"] and seen_neg:
                starts = True
            elif f & (_BIT["QWORD"] | _BIT["HYPO"]):
                starts = True
            elif f & (_BIT["FI_QUESTION"] | _BIT["NEG_AND"]):
                starts = True
            if starts and i > bounds[-1]:
                bounds.append(i)
            if f & _BIT["NEG"]:
                seen_neg = True
        bounds.append(end)
        bounds = sorted(set(b for b in bounds if start <= b <= end))

        previous: Optional[_Clause] = None
        for a, b in zip(bounds, bounds[1:]):
            # drop punctuation at the edges
            while a < b and toks[a].flags & _BIT["CLAUSE_PUNCT"]:
                a += 1
            while b > a and toks[b - 1].flags & (_BIT["CLAUSE_PUNCT"] | _BIT["SENTENCE_END"]):
                b -= 1
            if a >= b:
                continue
            clause = _Clause(a, b, s_index)
            self._describe(clause, sentence, previous, first=previous is None)
            self.clauses.append(clause)
            previous = clause

    def _describe(self, clause: _Clause, sentence: _Sentence, previous: Optional[_Clause], first: bool) -> None:
        toks = self.tokens[clause.start:clause.end]
        clause.kinds = "".join(t.kind for t in toks)
        flags = 0
        for t in toks:
            flags |= t.flags
        clause.flags = flags
        head = toks[0]
        lead = head
        if head.flags & (_BIT["AND"] | _BIT["BUT"]) and len(toks) > 1:
            lead = toks[1]  # "and what is...", "mutta mikä..."
        clause.question = bool(lead.flags & _BIT["QWORD"] or head.flags & _BIT["QWORD"])
        if self.lang == "fi":
            clause.question |= any(t.flags & _BIT["FI_QUESTION"] for t in toks[:2])
        elif first and sentence.question_mark and head.flags & _BIT["AUX_Q"]:
            clause.question = True  # "Do I need a referral?", "Har jag rätt till ...?"
        if sentence.question_mark and not sentence.has_fp:
            clause.question = True
        clause.hypothetical = bool(lead.flags & _BIT["HYPO"] or head.flags & _BIT["HYPO"])
        clause.neg = bool(flags & (_BIT["NEG"] | _BIT["NEG_DET"]))
        clause.other = bool(flags & _BIT["OTHER"]) and any(
            t.flags & _BIT["OTHER"] and not (t.low == "you" and t.index and self.tokens[t.index - 1].low == "thank")
            for t in toks
        )  # "thank you" is not about someone else
        clause.generic = bool(flags & _BIT["GENERIC"])
        clause.self_subject = bool(flags & _BIT["SELF"])
        own = bool(flags & _BIT["PREDICATE"])
        joined = previous is not None and (
            head.flags & _BIT["AND"] or self.tokens[clause.start - 1].text in (",", ";", "/")
        )
        if previous is not None and not own and joined:
            # an elliptic continuation ("mä oon 52 ja työtön", "I'm 45, unemployed")
            # shares the previous clause's subject, verb, negation and mood
            clause.elliptic = True
            clause.inherited_neg = previous.neg or previous.inherited_neg
            clause.inherited_have = previous.inherited_have or bool(previous.flags & _BIT["HAVE"])
            clause.inherited_modal = previous.inherited_modal or bool(
                previous.flags & (_BIT["MODAL"] | _BIT["HEDGE"])
            )
            clause.question |= previous.question
            clause.hypothetical |= previous.hypothetical
        if joined and not flags & (_BIT["SELF"] | _BIT["OTHER"] | _BIT["GENERIC"]):
            # no subject of its own: "my daughter is 20 and has a disability"
            clause.other |= previous.other
            clause.generic |= previous.generic

    def clause_at(self, token_index: int) -> Optional[_Clause]:
        for clause in self.clauses:
            if clause.start <= token_index < clause.end:
                return clause
        return None

    def token_range(self, start: int, end: int) -> tuple[int, int]:
        first = last = None
        for t in self.tokens:
            if t.end > start and t.start < end:
                if first is None:
                    first = t.index
                last = t.index
        if first is None:
            return -1, -1
        return first, last + 1


# =============================================================================
# Judging matches
# =============================================================================


@dataclass
class _Candidate:
    entity: str
    value: Optional[str]
    start: int
    end: int
    rank: int  # language rank; lower wins overlaps
    order: int  # rule order; lower wins ties
    priority: int = 1  # municipality: residence 2, neutral 1, work/birth 0
    negated: bool = False  # the language read a negation here (see _select)

    @property
    def length(self) -> int:
        return self.end - self.start


def _negated(a: _Analysis, clause: _Clause, h0: int, h1: int) -> bool:
    toks = a.tokens
    for i in range(max(clause.start, h0 - NEG_WINDOW), h1):
        if toks[i].flags & _BIT["NEG"]:
            return True
    for i in range(max(clause.start, h0 - NEG_DET_WINDOW), h0):
        f = toks[i].flags
        if f & _BIT["NEG_DET"] and not (f & _BIT["CONTRAST_IF_NEG"] and clause.neg and _neg_before(a, clause, i)):
            return True
    # a topicalised word: "lähetettä ei ole", "remiss har jag inte"
    lead = clause.start + (1 if toks[clause.start].flags & (_BIT["AND"] | _BIT["BUT"]) else 0)
    if h0 <= lead:
        for i in range(h1, min(clause.end, h1 + 3)):
            if toks[i].flags & _BIT["NEG"]:
                return True
    # Swedish verb-second: "jag jobbar inte"
    if a.lang == "sv" and h1 < clause.end and toks[h1].flags & _BIT["NEG"]:
        return True
    return False


def _neg_before(a: _Analysis, clause: _Clause, index: int) -> bool:
    return any(t.flags & _BIT["NEG"] for t in a.tokens[a.sentences[clause.sentence].start:index])


def _has_cue(a: _Analysis, clause: _Clause, h0: int, h1: int, mask: int, window: int) -> bool:
    toks = a.tokens
    for i in range(h0 - 1, max(clause.start, h0 - 1 - window) - 1, -1):
        if toks[i].flags & _BIT["BLOCK"]:
            break
        if toks[i].flags & mask:
            return True
    for i in range(h0, h1):
        if toks[i].flags & mask:
            return True
    for i in range(h1, min(clause.end, h1 + 3)):
        if toks[i].flags & _BIT["BLOCK"]:
            break
        if toks[i].flags & mask:
            return True
    return clause.inherited_have and bool(mask & _BIT["HAVE"])


def _modal_before(a: _Analysis, clause: _Clause, h0: int) -> bool:
    """A wish, need or hedge before the match: "haluan lähetteen", "I think I have a
    referral", "en tiedä onko...". After it, it is about something else: "my social
    worker said I could apply"."""
    if clause.inherited_modal:
        return True
    flags = 0
    for t in a.tokens[clause.start:h0]:
        flags |= t.flags
    return bool(flags & (_BIT["MODAL"] | _BIT["HEDGE"])) or bool(
        flags & _BIT["HEDGE_IF_NEG"] and flags & _BIT["NEG"]
    )


def _suppressed(a: _Analysis, clause: _Clause, h0: int, scope: str) -> bool:
    """Context in which nothing said is a statement about the writer."""
    if clause.question or clause.hypothetical or clause.generic:
        return True
    if _modal_before(a, clause, h0):
        return True
    if not (a.sentences[clause.sentence].has_fp or a.short):
        return True
    if clause.other and (scope == ATTR or not clause.self_subject):
        # "poikani on työtön"; but "hän teki minulle lähetteen" is about the writer
        return True
    return False


def _past_before(a: _Analysis, clause: _Clause, h0: int) -> bool:
    return any(t.flags & _BIT["PAST"] for t in a.tokens[clause.start:h0])


def _referral_source(a: _Analysis, clause: _Clause, mentions: set[str]) -> Optional[str]:
    """Who made the referral: social welfare unless the Criminal Sanctions Agency is named.

    A referral to these services is made by a social welfare professional, so a plain
    "I have a referral" means social welfare. A referral from employment services is
    none of the values, so it gives no fact.
    """
    sentence = a.sentences[clause.sentence]
    kinds = "".join(t.kind for t in a.tokens[sentence.start:sentence.end])
    crime = bool(_CRIME_MENTION.search(kinds))
    social = "social_services" in mentions
    if crime:
        return None if social else "criminal_sanctions"
    if "employment_services" in mentions and not social:
        return None
    return "social_welfare"


def _rule_candidates(a: _Analysis, rank: int) -> list[_Candidate]:
    out: list[_Candidate] = []
    index = _RULE_INDEX[a.lang]
    toks = a.tokens
    for clause in a.clauses:
        matches = []
        mentions: set[str] = set()
        rules = {compiled for char in set(clause.kinds) for compiled in index.get(char, ())}
        for compiled in sorted(rules, key=lambda r: r.order):
            for m in compiled.regex.finditer(clause.kinds):
                if m.end("head") == m.start("head"):
                    continue
                matches.append((compiled, m.start("head") + clause.start, m.end("head") + clause.start))
                if compiled.rule.entity == "client_of" and compiled.rule.value:
                    mentions.add(compiled.rule.value)
        for compiled, h0, h1 in matches:
            value, negated = _judge(a, clause, compiled, h0, h1, mentions)
            out.append(_Candidate(compiled.rule.entity, value, toks[h0].start, toks[h1 - 1].end, rank,
                                  compiled.order, negated=negated))
    return out


def _judge(a: _Analysis, clause: _Clause, compiled: _CompiledRule, h0: int, h1: int,
           mentions: set[str]) -> tuple[Optional[str], bool]:
    """(value or None, whether a negation was read) for one match."""
    rule = compiled.rule
    toks = a.tokens
    if h1 < clause.end and toks[h1].flags & _BIT["BLOCK_AFTER"]:
        return None, False  # "I'm sick of", "job interview"
    if _suppressed(a, clause, h0, rule.scope):
        return None, False
    if compiled.context and not any(
        t.kind in compiled.context for t in a.tokens[a.sentences[clause.sentence].start:h0]
    ):
        return None, False
    if not rule.past_ok and _past_before(a, clause, h0) and not (
        rule.scope == CLIENT and any(t.flags & _BIT["POSS"] for t in toks[max(clause.start, h0 - 1):h1])
    ):
        return None, False  # "olin työtön", "I was unemployed"; but "...by my social worker" is still mine
    negated = rule.negatable and _negated(a, clause, h0, h1)
    if negated:
        if any(t.flags & _BIT["SCOPE_LONG"] for t in toks[h1:clause.end]):
            return None, True  # "en ole ollut työtön kauan"
        value = rule.negated
    else:
        if rule.negatable and clause.inherited_neg:
            return None, True  # "en ole työtön ja vammainen": ambiguous
        if compiled.cue_mask or rule.cue:
            if not _has_cue(a, clause, h0, h1, compiled.cue_mask, rule.window):
                return None, False
        value = rule.value
    if value == REFERRAL_SOURCE:
        value = _referral_source(a, clause, mentions)
    return value, negated


# =============================================================================
# Age and municipality
# =============================================================================


def _age_candidates(a: _Analysis, rank: int) -> list[_Candidate]:
    out = []
    toks = a.tokens
    lang = a.lang
    for i, tok in enumerate(toks):
        m = _AGE_NUMBER.fullmatch(tok.low)
        if not m:
            continue
        digits, suffix = m.group(1), (m.group(2) or "")
        if len(digits) > 1 and digits[0] == "0":
            continue  # postcodes, phone numbers
        clause = a.clause_at(i)
        if clause is None:
            continue
        n = int(digits)
        span_end = i + 1

        def low(k: int) -> str:
            return toks[k].low if clause.start <= k < clause.end else ""

        def is_number(k: int) -> bool:
            return 0 <= k < len(toks) and any(ch.isdigit() for ch in toks[k].text)

        if is_number(i - 1) or is_number(i + 1) or low(i - 1) in _AGE_PRE_REJECT:
            continue  # "040 123 4567", "45 - 50", "klo 9"
        strength = None  # "strong" (unit says age), "weak" (Nv), "years" (N years: age or span)
        if suffix:
            if suffix in _AGE_SUFFIX_STRONG or (lang == "fi" and suffix == "vuotias"):
                strength = "strong"
            elif suffix in _AGE_SUFFIX_WEAK and (lang == "fi" or suffix not in ("v", "v.", "vee")):
                strength = "weak"
            else:
                continue  # "45-vuotiaana" (at 45), "3kk", "45min"
        nxt = low(i + 1)
        if not suffix:
            if nxt in _NON_AGE_UNITS:
                continue
            if nxt in _AGE_STRONG_WORD:
                strength, span_end = "strong", i + 2
            elif nxt == "-" and low(i + 2) == "year" and low(i + 3) == "-" and low(i + 4) == "old":
                strength, span_end = "strong", i + 5
            elif nxt in _AGE_YEARS[lang]:
                after = low(i + 2)
                if after in _AGE_OLD or (after == "-" and low(i + 3) in _AGE_OLD):
                    strength, span_end = "strong", i + (3 if after in _AGE_OLD else 4)
                elif lang == "fi" and nxt in ("v", "v.", "vee"):
                    strength, span_end = "weak", i + 2
                else:
                    strength, span_end = "years", i + 2
        if low(span_end) in _AGE_AFTER_REJECT:
            continue  # "2 vuotta sitten", "20 years of experience"
        # cues before the number (adverbs like "nyt", "now", "redan" may intervene)
        k = i - 1
        while k >= clause.start and toks[k].kind == _KIND_CHAR["ADV"]:
            k -= 1
        before = low(k)
        copula = before in _AGE_COPULA[lang] and (lang != "sv" or clause.self_subject)
        pre = clause.start <= k and bool(toks[k].flags & _BIT["AGE_PRE"])
        if not pre and before in ("on", "is", "är", ":", "=") and clause.start <= k - 1:
            pre = bool(toks[k - 1].flags & _BIT["AGE_PRE"])  # "ikäni on 45", "my age is 45"
        duration = any(t.flags & _BIT["DURATION"] for t in toks[max(clause.start, i - 3):i])
        past = any(t.flags & _BIT["PAST"] for t in toks[clause.start:i])
        if past:
            continue
        lone = a.words == 1 or (a.words == 2 and strength == "weak" and span_end == i + 2)
        if strength == "strong" or pre:
            ok = 0 < n <= 120
        elif copula:
            ok = 15 <= n <= 99
        elif strength == "weak":
            ok = 15 <= n <= 99 and not duration
        elif strength == "years":
            ok = 15 <= n <= 99 and not duration and a.short
        else:
            ok = lone and 15 <= n <= 99  # the whole message is a number: a reply to "how old are you?"
        if not ok:
            continue
        value = None if _suppressed(a, clause, i, ATTR) else str(n)
        out.append(_Candidate("age", value, tok.start, toks[span_end - 1].end, rank, -1))
    return out


def _municipality_candidates(a: _Analysis, text: str, rank: int) -> list[_Candidate]:
    out = []
    for match in find_municipalities(text):
        t0, t1 = a.token_range(match.start, match.end)
        if t0 < 0:
            continue
        clause = a.clause_at(t0)
        if clause is None:
            continue
        toks = a.tokens[clause.start:clause.end]
        residence = any(t.flags & _BIT["RESIDENCE"] for t in toks) or bool(_DEMONYM.search(match.text))
        work = any(t.flags & _BIT["ELSEWHERE"] for t in toks)
        priority = 2 if residence else (0 if work else 1)
        value: Optional[str] = match.name_fi
        if _suppressed(a, clause, t0, ATTR) or _past_before(a, clause, t0) or _negated(a, clause, t0, t1):
            value = None  # "en asu Espoossa", "not in Espoo", "Onko Espoossa ...?"
        elif match.name_fi in _WORDLIKE_MUNICIPALITIES and match.text[:1].islower() and not (
            residence or a.words <= 2
        ):
            value = None  # "jag är frisk och sund"
        # municipality spans lose overlaps against rule matches (order 1000)
        out.append(_Candidate("municipality", value, match.start, match.end, rank, 1000, priority))
    return out


# =============================================================================
# Public API
# =============================================================================


def _language_order(text: str, language: Optional[str]) -> list[str]:
    """Languages whose rules to run, best first.

    With a known language only its rules run, except for short messages: the language
    resolver keeps the conversation's language for short replies, so "unemployed" in a
    Finnish conversation is also tried with the English rules (at lower priority).
    Without a language all three run, ordered by common function words.
    """
    words = re.findall(r"[^\W\d_]+|'m|n't", text.lower())
    if language in LANGUAGES:
        if len(words) > SHORT_MESSAGE_WORDS:
            return [language]
        return [language] + [lang for lang in LANGUAGES if lang != language]
    scores = {lang: sum(1 for w in words if w in _HINTS[lang]) for lang in LANGUAGES}
    return sorted(LANGUAGES, key=lambda lang: (-scores[lang], LANGUAGES.index(lang)))


def _overlap(a: _Candidate, b: _Candidate) -> bool:
    return a.start < b.end and b.start < a.end


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Resolve overlapping matches.

    The best-ranked language wins, then the longer match, then the earlier rule. A match
    without a value still blocks what it overlaps ("I don't get disability pension"
    must not fall back to "disability" negated). When several languages read the same
    words and another one reads them differently - another value, or a negation the
    winner did not see ("no depression": Swedish has no "no") - nothing is kept.
    """
    kept: list[_Candidate] = []
    for cand in sorted(candidates, key=lambda c: (c.rank, -c.length, c.order, c.start)):
        if all(not _overlap(cand, k) for k in kept):
            kept.append(cand)
    chosen = []
    for k in kept:
        if k.value is None:
            continue
        rivals = (c for c in candidates if c.rank != k.rank and c.entity == k.entity and _overlap(c, k))
        if any((c.value is not None and c.value != k.value) or (c.negated and not k.negated) for c in rivals):
            continue
        chosen.append(k)
    return chosen


def extract_facts(text: str, language: Optional[str] = None) -> list[Fact]:
    """Facts the writer states about themselves, one per entity, in text order.

    ``language`` is "fi", "sv" or "en" (as set by the LanguageResolver); None tries all
    three. When an entity is mentioned more than once the last mention wins (residents
    correct themselves); for municipalities a mention with a residence cue wins first.
    """
    if not text or not text.strip():
        return []
    order = _language_order(text, language)
    candidates: list[_Candidate] = []
    for rank, lang in enumerate(order):
        analysis = _Analysis(text, lang)
        candidates += _rule_candidates(analysis, rank)
        candidates += _age_candidates(analysis, rank)
        if rank == 0:
            candidates += _municipality_candidates(analysis, text, rank)
    best: dict[str, _Candidate] = {}
    for cand in _select(candidates):
        current = best.get(cand.entity)
        if current is None or (cand.priority, cand.start) > (current.priority, current.start):
            best[cand.entity] = cand
    facts = [Fact(c.entity, c.value, c.start, c.end, text[c.start:c.end]) for c in best.values()]
    return sorted(facts, key=lambda f: f.start)


def warm_up() -> None:
    """Load spaCy tokenizers, simplemma dictionaries and municipality tables now
    (the first call otherwise takes seconds)."""
    for lang, sample in (("fi", "olen 45v työtön ja asun Helsingissä"), ("sv", "jag är arbetslös"),
                         ("en", "I am unemployed")):
        extract_facts(sample, lang)
