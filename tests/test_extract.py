"""Rule-based extraction of what a resident tells about themselves (bot/nlu/extract/).

Table-driven. Every row states the *complete* set of facts expected from the message:
an extra fact fails the row just like a missing one, because a wrong fact is worse than
none (the assistant asks when it does not know).
"""
from __future__ import annotations

import dataclasses

import pytest

from bot.nlu.extract import ENTITIES, Fact, asks_something, extract_facts

# (language, message, {entity: value}) - the exact facts expected
# A disability pension also says "disability" and that health affects the ability to work.
PENSION_FACTS = {"disability": "yes", "disability_pension": "yes", "health_affects_work_ability": "yes"}

CASES = [
    # --- the brief's examples ---------------------------------------------------------
    ("fi", "olen 45v helsinkiläinen ja minulla on lähete",
     {"age": "45", "municipality": "Helsinki", "referral": "social_welfare"}),
    ("fi", "mä oon 52 ja työtön", {"age": "52", "unemployed": "yes"}),
    ("fi", "en oo työtön", {"unemployed": "no"}),
    ("sv", "jag är 30 år och bor i Esbo", {"age": "30", "municipality": "Espoo"}),
    ("en", "I'm 45, unemployed, live in Kempele", {"age": "45", "unemployed": "yes", "municipality": "Kempele"}),
    ("en", "actually I'm 52", {"age": "52"}),
    # never been at work; not finding work
    ("fi", "olen 23 enkä ole koskaan ollut töissä", {"age": "23", "unemployed": "yes"}),
    ("fi", "en oo ikinä ollu töissä", {"unemployed": "yes"}),
    ("en", "I'm 38 and have not found work since we came", {"age": "38", "unemployed": "yes"}),
    ("en", "I can't find a job", {"unemployed": "yes"}),
    ("fi", "ei oo lähetettä", {"referral": "none"}),
    ("en", "I don't have a referral", {"referral": "none"}),
    ("fi", "mulla on aktivointisuunnitelma", {"plan": "activation_plan"}),
    ("sv", "jag har en aktiveringsplan", {"plan": "activation_plan"}),
    ("fi", "sosiaalityöntekijä ohjasi minut", {"client_of": "social_services"}),
    ("en", "I'm a TYP client", {"client_of": "typ"}),
    ("fi", "Rikosseuraamuslaitoksen työntekijä teki lähetteen", {"referral": "criminal_sanctions"}),
    ("fi", "terveys vaikuttaa työkykyyni", {"health_affects_work_ability": "yes"}),
    ("fi", "mulla on masennus enkä jaksa töitä", {"health_affects_work_ability": "yes"}),
    ("en", "I have a disability", {"disability": "yes"}),
    ("fi", "olen kehitysvammainen", {"disability": "yes"}),
    ("sv", "jag har en funktionsnedsättning", {"disability": "yes"}),
    # --- age ----------------------------------------------------------------------------
    ("fi", "olen 45-vuotias", {"age": "45"}),
    ("fi", "olen 45 vuotta", {"age": "45"}),
    ("fi", "olen 45 vuotta vanha", {"age": "45"}),
    ("fi", "olen 16-vuotias", {"age": "16"}),
    ("fi", "kyl mä oon 45", {"age": "45"}),
    ("fi", "olen nyt 46", {"age": "46"}),
    ("fi", "ikäni on 63", {"age": "63"}),
    ("fi", "täytin 50 viime viikolla", {"age": "50"}),
    ("fi", "45 v", {"age": "45"}),
    ("fi", "52v", {"age": "52"}),
    ("fi", "45", {"age": "45"}),
    ("fi", "Olen 45-vuotias mies, työtön", {"age": "45", "unemployed": "yes"}),
    ("sv", "jag är 52", {"age": "52"}),
    ("sv", "52 år", {"age": "52"}),
    ("sv", "jag är 45 år gammal och arbetslös", {"age": "45", "unemployed": "yes"}),
    ("sv", "jag är en 30-åring från Esbo", {"age": "30", "municipality": "Espoo"}),
    ("en", "I'm 45 years old", {"age": "45"}),
    ("en", "I am a 52-year-old woman", {"age": "52"}),
    ("en", "im 19 and unemployed", {"age": "19", "unemployed": "yes"}),
    ("en", "aged 45, unemployed", {"age": "45", "unemployed": "yes"}),
    ("en", "45", {"age": "45"}),
    ("en", "I'm 45 and my wife is 43", {"age": "45"}),
    ("en", "thank you I'm 45", {"age": "45"}),
    ("en", "I'm 45 and I have two kids aged 5 and 7", {"age": "45"}),
    # corrections: the last statement wins
    ("en", "I was 45, now I'm 46", {"age": "46"}),
    ("fi", "olin 45, nyt olen 46", {"age": "46"}),
    ("fi", "olen 45. Anteeksi, olen 46", {"age": "46"}),
    ("fi", "ei kun olen 46", {"age": "46"}),
    # --- municipality -------------------------------------------------------------------
    ("fi", "asun kempeleessä", {"municipality": "Kempele"}),
    ("fi", "Helsinki", {"municipality": "Helsinki"}),
    ("fi", "espoo", {"municipality": "Espoo"}),
    ("fi", "olen helsinkiläinen", {"municipality": "Helsinki"}),
    ("fi", "asun salossa", {"municipality": "Salo"}),
    ("sv", "jag bor i Helsingfors", {"municipality": "Helsinki"}),
    ("en", "I live in Kempele", {"municipality": "Kempele"}),
    # corrections and contrasts
    ("en", "not in Espoo but in Helsinki", {"municipality": "Helsinki"}),
    ("en", "I live in Helsinki, not Espoo", {"municipality": "Helsinki"}),
    ("fi", "en asu Espoossa vaan Helsingissä", {"municipality": "Helsinki"}),
    ("sv", "jag bor inte i Esbo utan i Helsingfors", {"municipality": "Helsinki"}),
    ("en", "I used to live in Espoo, now I live in Helsinki", {"municipality": "Helsinki"}),
    ("fi", "asuin Espoossa, nyt asun Vantaalla", {"municipality": "Vantaa"}),
    # residence beats work or origin, wherever it comes
    ("en", "I live in Espoo but work in Helsinki", {"municipality": "Espoo"}),
    ("en", "I work in Helsinki and live in Espoo", {"municipality": "Espoo"}),
    # a town whose name ends like an inhabitant name ("Esbo", cf. "esbobo") is no residence cue
    ("sv", "jag bor i Vanda men jobbar i Esbo", {"municipality": "Vantaa"}),
    ("sv", "jag är esbobo", {"municipality": "Espoo"}),
    ("fi", "asun Espoossa ja olen töissä Helsingissä", {"municipality": "Espoo", "unemployed": "no"}),
    ("fi", "asun Helsingissä mutta olen kotoisin Oulusta", {"municipality": "Helsinki"}),
    # --- unemployed ---------------------------------------------------------------------
    ("fi", "oon työtön", {"unemployed": "yes"}),
    ("fi", "työtön", {"unemployed": "yes"}),
    ("fi", "kyllä, työtön", {"unemployed": "yes"}),
    ("fi", "tyoton", {"unemployed": "yes"}),
    ("fi", "jäin työttömäksi", {"unemployed": "yes"}),
    ("fi", "olen ollut työttömänä 2 vuotta", {"unemployed": "yes"}),
    ("fi", "työttömänä oon ollu jo kolme vuotta", {"unemployed": "yes"}),
    ("fi", "olen pitkäaikaistyötön", {"unemployed": "yes"}),
    ("fi", "saan työmarkkinatukea", {"unemployed": "yes"}),
    ("fi", "mä en oo työtön", {"unemployed": "no"}),
    ("fi", "emmä oo työtön", {"unemployed": "no"}),
    ("fi", "en oo enää työtön", {"unemployed": "no"}),
    ("fi", "olen töissä", {"unemployed": "no"}),
    ("fi", "käyn töissä", {"unemployed": "no"}),
    ("fi", "työskentelen kaupassa", {"unemployed": "no"}),
    ("sv", "jag är arbetslös", {"unemployed": "yes"}),
    ("sv", "arbetslös", {"unemployed": "yes"}),
    ("sv", "jag är långtidsarbetslös", {"unemployed": "yes"}),
    ("sv", "jag är inte arbetslös", {"unemployed": "no"}),
    ("sv", "jag är inte arbetslös längre", {"unemployed": "no"}),
    ("sv", "jag jobbar", {"unemployed": "no"}),
    ("sv", "jag har ett jobb", {"unemployed": "no"}),
    ("en", "I'm jobless", {"unemployed": "yes"}),
    ("en", "I'm out of work", {"unemployed": "yes"}),
    ("en", "I've been unemployed for 3 years", {"unemployed": "yes"}),
    ("en", "I'm on unemployment benefit", {"unemployed": "yes"}),
    ("en", "I get labour market subsidy", {"unemployed": "yes"}),
    # ... and having become unemployed is being unemployed
    ("fi", "jäin työttömäksi viime vuonna", {"unemployed": "yes"}),
    ("sv", "jag blev arbetslös i fjol", {"unemployed": "yes"}),
    ("en", "I became unemployed last year", {"unemployed": "yes"}),
    # "blir" of health is how the writer is now, not a state to come
    ("sv", "jag blir lätt sjuk", {"health_affects_work_ability": "yes"}),
    ("en", "I'm not unemployed", {"unemployed": "no"}),
    ("en", "I have a job", {"unemployed": "no"}),
    ("en", "I work full time", {"unemployed": "no"}),
    ("en", "I'm working as a cleaner", {"unemployed": "no"}),
    ("en", "I'm employed", {"unemployed": "no"}),
    ("en", "actually I'm not unemployed, I have a job", {"unemployed": "no"}),
    # not having worked for some time, in the perfect tense: it has been long since
    ("fi", "en ole ollut töissä pitkään aikaan", {"unemployed": "yes"}),
    ("fi", "enkä oo ollu töissä pitkään aikaan", {"unemployed": "yes"}),
    ("fi", "en oo käyny töissä vuosiin", {"unemployed": "yes"}),
    ("fi", "en käy töissä", {"unemployed": "yes"}),
    ("fi", "olen ollut ilman töitä pitkään", {"unemployed": "yes"}),
    ("fi", "olen ollut poissa työelämästä", {"unemployed": "yes"}),
    ("fi", "olen ollut työelämän ulkopuolella vuosia", {"unemployed": "yes"}),
    # "ku" (kun) starts a clause of its own: the children are in the next one
    ("fi", "En oo tehny töitä sen jälkeen ku jäin kotiin lasten kanssa", {"unemployed": "yes"}),
    ("sv", "jag har inte jobbat på länge", {"unemployed": "yes"}),
    ("sv", "har int jobbat på länge", {"unemployed": "yes"}),
    ("sv", "jag har inte arbetat på två år", {"unemployed": "yes"}),
    ("sv", "jag har varit utan jobb ganska länge", {"unemployed": "yes"}),
    ("sv", "jag har varit borta från arbetslivet länge", {"unemployed": "yes"}),
    ("en", "I haven't worked in years", {"unemployed": "yes"}),
    ("en", "I have never worked", {"unemployed": "yes"}),
    ("en", "I haven't worked in a long time", {"unemployed": "yes"}),
    ("en", "I haven't had a job in years", {"unemployed": "yes"}),
    ("en", "I've been out of the workforce for a long time", {"unemployed": "yes"}),
    # "have had" is not a past state
    ("en", "I've had a job for ten years", {"unemployed": "no"}),
    # --- health affects work ability ----------------------------------------------------
    ("fi", "terveys on huono", {"health_affects_work_ability": "yes"}),
    # a part of the body as the reason; the predicate before the copula in Finnish speech
    ("fi", "polvien takia en pysty seisomaan kassalla", {"health_affects_work_ability": "yes"}),
    ("sv", "på grund av knäna klarar jag inte att stå", {"health_affects_work_ability": "yes"}),
    ("en", "I quit because of my knees", {"health_affects_work_ability": "yes"}),
    ("fi", "terve kyllä olen", {"health_affects_work_ability": "no"}),
    # working part of the week is not being unemployed
    ("en", "I work 3 days a week at a warehouse", {"unemployed": "no"}),
    ("en", "I work evenings", {"unemployed": "no"}),
    ("fi", "teen osa-aikatyötä kaupassa", {"unemployed": "no"}),
    ("fi", "olen osa-aikatyössä", {"unemployed": "no"}),
    # no worker of one's own anywhere
    ("fi", "minulla ei ole omaa työntekijää missään", {"client_of": "none"}),
    ("sv", "jag har inte någon kontaktperson", {"client_of": "none"}),
    ("en", "I don't have a caseworker anywhere", {"client_of": "none"}),
    ("en", "nope, there is no worker for me anywhere", {"client_of": "none"}),
    ("fi", "mulla on huono terveys", {"health_affects_work_ability": "yes"}),
    ("sv", "min hälsa är dålig", {"health_affects_work_ability": "yes"}),
    ("sv", "jag har dålig hälsa", {"health_affects_work_ability": "yes"}),
    ("en", "my health is poor", {"health_affects_work_ability": "yes"}),
    ("en", "I'm in bad health", {"health_affects_work_ability": "yes"}),
    ("fi", "mulla on adhd", {"health_affects_work_ability": "yes"}),
    ("fi", "terveys vaikuttaa työelämään", {"health_affects_work_ability": "yes"}),
    ("sv", "hälsan påverkar arbetslivet", {"health_affects_work_ability": "yes"}),
    ("sv", "jag har adhd", {"health_affects_work_ability": "yes"}),
    ("en", "I'm 26, have ADHD (diagnosed), dropped out of uni", {"age": "26", "health_affects_work_ability": "yes"}),
    ("fi", "terveys ei vaikuta työkykyyn", {"health_affects_work_ability": "no"}),
    ("fi", "terveydentilani heikentää työkykyäni", {"health_affects_work_ability": "yes"}),
    ("fi", "sairaus haittaa työntekoa", {"health_affects_work_ability": "yes"}),
    ("fi", "en jaksa töitä sairauden takia", {"health_affects_work_ability": "yes"}),
    ("fi", "selkäkipujen takia en pysty töihin", {"health_affects_work_ability": "yes"}),
    ("fi", "mulla on mielenterveysongelmia", {"health_affects_work_ability": "yes"}),
    ("fi", "mulla on diagnosoitu masennus", {"health_affects_work_ability": "yes"}),
    ("fi", "minulla on kipuja", {"health_affects_work_ability": "yes"}),
    ("fi", "olen uupunut", {"health_affects_work_ability": "yes"}),
    ("fi", "oon sairaslomalla", {"health_affects_work_ability": "yes"}),
    ("fi", "olen tyotön ja masentunu", {"unemployed": "yes", "health_affects_work_ability": "yes"}),
    ("fi", "olen terve", {"health_affects_work_ability": "no"}),
    ("fi", "en ole sairas", {"health_affects_work_ability": "no"}),
    ("fi", "minulla ei ole sairauksia", {"health_affects_work_ability": "no"}),
    ("sv", "hälsan påverkar min arbetsförmåga", {"health_affects_work_ability": "yes"}),
    ("sv", "hälsan påverkar inte min arbetsförmåga", {"health_affects_work_ability": "no"}),
    ("sv", "jag är sjuk", {"health_affects_work_ability": "yes"}),
    ("sv", "jag är sjukskriven", {"health_affects_work_ability": "yes"}),
    ("sv", "jag har depression", {"health_affects_work_ability": "yes"}),
    ("sv", "jag har nedsatt arbetsförmåga", {"health_affects_work_ability": "yes"}),
    ("sv", "på grund av min hälsa kan jag inte jobba", {"health_affects_work_ability": "yes"}),
    ("sv", "jag är frisk", {"health_affects_work_ability": "no"}),
    ("sv", "jag är frisk och sund", {"health_affects_work_ability": "no"}),  # "sund" is not Sund
    ("en", "my health affects my ability to work", {"health_affects_work_ability": "yes"}),
    ("en", "my health doesn't affect my ability to work", {"health_affects_work_ability": "no"}),
    ("en", "I have a long-term illness", {"health_affects_work_ability": "yes"}),
    ("en", "I have mental health problems", {"health_affects_work_ability": "yes"}),
    ("en", "depression", {"health_affects_work_ability": "yes"}),
    ("en", "I can't work because of my health", {"health_affects_work_ability": "yes"}),
    ("en", "I am on sick leave", {"health_affects_work_ability": "yes"}),
    ("en", "I'm sick", {"health_affects_work_ability": "yes"}),
    ("en", "I'm not sick", {"health_affects_work_ability": "no"}),
    ("en", "I am sick and unemployed", {"health_affects_work_ability": "yes", "unemployed": "yes"}),
    ("en", "I have no health problems", {"health_affects_work_ability": "no"}),
    ("en", "I'm healthy", {"health_affects_work_ability": "no"}),
    ("fi", "Työkykyni on alentunut", {"health_affects_work_ability": "yes"}),
    ("fi", "minulla on alentunut työkyky", {"health_affects_work_ability": "yes"}),
    ("sv", "min arbetsförmåga är nedsatt", {"health_affects_work_ability": "yes"}),
    ("en", "My back pain prevents me from working", {"health_affects_work_ability": "yes"}),
    # "it" refers back to the health word; the later statement wins
    ("fi", "Minulla on masennus, mutta se ei vaikuta työkykyyn", {"health_affects_work_ability": "no"}),
    ("sv", "jag har ångest men det påverkar inte min arbetsförmåga", {"health_affects_work_ability": "no"}),
    ("en", "I have depression but it doesn't affect my ability to work", {"health_affects_work_ability": "no"}),
    # --- disability ---------------------------------------------------------------------
    ("fi", "minulla on CP-vamma", {"disability": "yes"}),
    ("fi", "minulla on toimintarajoite", {"disability": "yes"}),
    ("fi", "en ole vammainen", {"disability": "no"}),
    ("fi", "ei ole vammaa", {"disability": "no"}),
    ("fi", "olen työkyvyttömyyseläkkeellä", PENSION_FACTS),
    ("fi", "saan työkyvyttömyyseläkettä", PENSION_FACTS),
    ("fi", "en saa kuntoutustukea", {"disability_pension": "no"}),
    # the partial pension is a disability pension too
    ("fi", "olen osatyökyvyttömyyseläkkeellä", PENSION_FACTS),
    ("sv", "jag har funktionshinder", {"disability": "yes"}),
    ("sv", "jag har en utvecklingsstörning", {"disability": "yes"}),
    ("sv", "jag har ingen funktionsnedsättning", {"disability": "no"}),
    ("sv", "jag får sjukpension", PENSION_FACTS),
    ("sv", "jag får rehabiliteringsstöd", PENSION_FACTS),
    ("en", "I have an intellectual disability", {"disability": "yes"}),
    ("en", "I'm disabled", {"disability": "yes"}),
    ("en", "I'm not disabled", {"disability": "no"}),
    ("en", "no disability", {"disability": "no"}),
    ("en", "I receive disability pension", PENSION_FACTS),
    ("en", "I get rehabilitation support", PENSION_FACTS),
    # --- referral -----------------------------------------------------------------------
    ("fi", "mul on lähete", {"referral": "social_welfare"}),
    ("fi", "minulla on lahete", {"referral": "social_welfare"}),
    ("fi", "sain lähetteen", {"referral": "social_welfare"}),
    ("fi", "lähetteen teki sosiaaliohjaaja", {"referral": "social_welfare", "client_of": "social_services"}),
    ("fi", "minulla ei ole lähetettä", {"referral": "none"}),
    ("fi", "ei mulla oo lähetettä", {"referral": "none"}),
    ("fi", "lähetettä ei ole", {"referral": "none"}),
    ("fi", "ilman lähetettä", {"referral": "none"}),
    ("fi", "tulin lähetteettä", {"referral": "none"}),
    ("fi", "sain lähetteen rikosseuraamuslaitokselta", {"referral": "criminal_sanctions"}),
    ("fi", "Risen työntekijä teki mulle lähetteen", {"referral": "criminal_sanctions"}),
    ("fi", "yhdyskuntaseuraamustoimisto teki minulle lähetteen", {"referral": "criminal_sanctions"}),
    ("sv", "jag har remiss", {"referral": "social_welfare"}),
    ("sv", "jag har en remiss från socialen", {"referral": "social_welfare", "client_of": "social_services"}),
    ("sv", "jag har ingen remiss", {"referral": "none"}),
    ("sv", "jag har inte fått någon remiss", {"referral": "none"}),
    ("sv", "ingen remiss", {"referral": "none"}),
    ("sv", "remissen har jag inte", {"referral": "none"}),
    ("sv", "Brottspåföljdsmyndigheten skrev en remiss åt mig", {"referral": "criminal_sanctions"}),
    ("sv", "Frivården gjorde en remiss åt mig", {"referral": "criminal_sanctions"}),
    ("en", "I have a referral", {"referral": "social_welfare"}),
    ("en", "i dont have a referral", {"referral": "none"}),
    ("en", "no referral", {"referral": "none"}),
    ("en", "dont have referal", {"referral": "none"}),
    ("en", "i have a refferal", {"referral": "social_welfare"}),
    ("en", "I came without a referral", {"referral": "none"}),
    ("en", "my probation officer referred me", {"referral": "criminal_sanctions"}),
    ("en", "I was referred by the Criminal Sanctions Agency", {"referral": "criminal_sanctions"}),
    ("en", "I have a referral from Rise", {"referral": "criminal_sanctions"}),
    ("en", "I was referred by my social worker", {"referral": "social_welfare", "client_of": "social_services"}),
    # --- plan ---------------------------------------------------------------------------
    ("fi", "minulla on aktivointisuunnitelma", {"plan": "activation_plan"}),
    ("fi", "aktivointisuunnitelmani on tehty viime vuonna", {"plan": "activation_plan"}),
    ("fi", "mul ei oo aktivointisuunnitelmaa", {"plan": "none"}),
    ("fi", "aktivointisuunnitelmaa ei ole tehty", {"plan": "none"}),
    ("fi", "monialainen työllistymissuunnitelma on tehty", {"plan": "multisectoral_plan"}),
    ("fi", "minulla ei ole monialaista työllistymissuunnitelmaa", {"plan": "none"}),
    ("sv", "jag har inte en aktiveringsplan", {"plan": "none"}),
    ("sv", "jag har en sektorsövergripande sysselsättningsplan", {"plan": "multisectoral_plan"}),
    ("en", "I've got an activation plan", {"plan": "activation_plan"}),
    ("en", "I have no activation plan", {"plan": "none"}),
    ("en", "I have a multi-sectoral employment plan", {"plan": "multisectoral_plan"}),
    ("en", "I have a multisectoral plan", {"plan": "multisectoral_plan"}),
    # --- client of ----------------------------------------------------------------------
    ("fi", "olen TYP:n asiakas", {"client_of": "typ"}),
    ("fi", "olen TYP-asiakas", {"client_of": "typ"}),
    ("sv", "jag är TYP-kund", {"client_of": "typ"}),
    ("fi", "asioin työvoiman palvelukeskuksessa", {"client_of": "typ"}),
    ("fi", "olen Duurin asiakas", {"client_of": "typ"}),
    ("fi", "olen TE-toimiston asiakas", {"client_of": "employment_services"}),
    ("fi", "olen työkkärin asiakkaana", {"client_of": "employment_services"}),
    ("fi", "oon TE-palveluiden asiakas", {"client_of": "employment_services"}),
    ("fi", "ilmoittauduin TE-toimistoon työnhakijaksi", {"client_of": "employment_services"}),
    ("fi", "olen sosiaalitoimen asiakas", {"client_of": "social_services"}),
    ("fi", "mulla on oma sosiaaliohjaaja", {"client_of": "social_services"}),
    ("fi", "olen asiakkaana sossussa", {"client_of": "social_services"}),
    ("fi", "en ole minkään palvelun asiakas", {"client_of": "none"}),
    ("fi", "en ole asiakkaana missään", {"client_of": "none"}),
    ("fi", "en oo kenenkään asiakas", {"client_of": "none"}),
    ("fi", "työkkärissä käyn kerran kuussa", {"client_of": "employment_services"}),
    ("sv", "jag är inte kund nånstans", {"client_of": "none"}),
    ("sv", "jag är kund hos arbets- och näringsbyrån", {"client_of": "employment_services"}),
    ("sv", "jag går till TE-byrån", {"client_of": "employment_services"}),
    ("sv", "jag är klient hos socialbyrån", {"client_of": "social_services"}),
    ("sv", "min socialhandledare hjälper mig", {"client_of": "social_services"}),
    ("sv", "jag är kund hos TYP", {"client_of": "typ"}),
    ("sv", "jag är inte kund någonstans", {"client_of": "none"}),
    ("en", "I'm a client of the employment services", {"client_of": "employment_services"}),
    ("en", "I'm registered at the TE office", {"client_of": "employment_services"}),
    ("en", "I'm a job centre client", {"client_of": "employment_services"}),
    ("en", "I see a social worker", {"client_of": "social_services"}),
    ("en", "my social worker said I could apply", {"client_of": "social_services"}),
    ("en", "I'm not a client of any service", {"client_of": "none"}),
    ("en", "I'm not a client anywhere", {"client_of": "none"}),
    # --- colloquial, misspelled and telegraphic writing (issue 13) ------------------------
    # having no job is being unemployed ("ei oo töitä", "no job"), losing one too
    ("fi", "en oo töissä", {"unemployed": "yes"}),
    ("fi", "ei oo duunia", {"unemployed": "yes"}),
    ("fi", "mulla ei oo tällä hetkellä töitä", {"unemployed": "yes"}),
    ("fi", "sain potkut viime kuussa", {"unemployed": "yes"}),
    ("fi", "menetin työpaikkani keväällä", {"unemployed": "yes"}),
    ("fi", "oon pitkäaikastyötön", {"unemployed": "yes"}),
    ("sv", "jag jobbar inte", {"unemployed": "yes"}),
    ("sv", "har inte jobb", {"unemployed": "yes"}),
    ("sv", "jag fick sparken i våras", {"unemployed": "yes"}),
    ("en", "I don't have a job", {"unemployed": "yes"}),
    ("en", "no job at the moment", {"unemployed": "yes"}),
    ("en", "I got laid off in March", {"unemployed": "yes"}),
    ("en", "I was fired last year", {"unemployed": "yes"}),
    ("en", "been jobless since 2021", {"unemployed": "yes"}),
    ("en", "I have a part-time job", {"unemployed": "no"}),
    ("en", "I'm not working at the moment because of my back pain",
     {"unemployed": "yes", "health_affects_work_ability": "yes"}),
    # ages as decades: the decade's first year (the route engine's limits are 18, 63, 65)
    ("fi", "parikymppinen", {"age": "20"}),
    ("fi", "nelissäkymmenissä oleva työtön", {"age": "40", "unemployed": "yes"}),
    ("sv", "jag är i fyrtioårsåldern och arbetslös", {"age": "40", "unemployed": "yes"}),
    ("en", "I am in my early thirties", {"age": "30"}),
    # health in everyday words
    ("fi", "polvet on rikki", {"health_affects_work_ability": "yes"}),
    ("fi", "huono selkä", {"health_affects_work_ability": "yes"}),
    ("fi", "terveys on ok", {"health_affects_work_ability": "no"}),
    ("fi", "oon kuntoutustuella", PENSION_FACTS),
    ("sv", "ont i knät", {"health_affects_work_ability": "yes"}),
    ("sv", "jag mår bra", {"health_affects_work_ability": "no"}),
    ("sv", "ja, hälsan påverkar", {"health_affects_work_ability": "yes"}),
    ("en", "my knees are bad", {"health_affects_work_ability": "yes"}),
    ("en", "health is ok", {"health_affects_work_ability": "no"}),
    ("fi", "lähete on", {"referral": "social_welfare"}),
    ("fi", "lähetettä ei oo", {"referral": "none"}),
    ("en", "we have no plan", {"plan": "none"}),
    # municipalities: slang, colloquial and mistyped case endings, any of the 308
    ("fi", "hei, asun Hesassa ja oon 38", {"municipality": "Helsinki", "age": "38"}),
    ("fi", "oon kotoisin Stadista mut asun nykyään Espoossa", {"municipality": "Espoo"}),
    ("fi", "asun turus", {"municipality": "Turku"}),
    ("fi", "Oulus asun", {"municipality": "Oulu"}),
    ("fi", "mä asun Porvoos", {"municipality": "Porvoo"}),
    ("fi", "asun tampereel", {"municipality": "Tampere"}),
    ("fi", "asun Kuopiosa", {"municipality": "Kuopio"}),
    ("fi", "olen Vantaalta", {"municipality": "Vantaa"}),
    ("fi", "tamperelainen", {"municipality": "Tampere"}),
    ("fi", "Jyväskylässä", {"municipality": "Jyväskylä"}),
    ("fi", "asun Tamperella", {"municipality": "Tampere"}),
    ("fi", "asun Helsingisä", {"municipality": "Helsinki"}),
    ("sv", "bor i Stadi sen fem år", {"municipality": "Helsinki"}),
    # a bare nickname in a short reply ("no hesa sit": well, Helsinki then)
    ("fi", "no hesa sit", {"municipality": "Helsinki"}),
    ("sv", "bor i Esbo", {"municipality": "Espoo"}),
    ("en", "I live in Espoo", {"municipality": "Espoo"}),
    ("en", "i'm from Tampere", {"municipality": "Tampere"}),
    ("en", "i live in Kempele with my husband", {"municipality": "Kempele"}),
    # Swedish and English without "jag"/"I"; a short list without a verb
    ("sv", "hej! jag bor i Helsingfors, är 45 år och arbetslös. kan jag få rehabiliterande arbetsverksamhet?",
     {"municipality": "Helsinki", "age": "45", "unemployed": "yes"}),
    ("sv", "bor i Borgå och är 51", {"municipality": "Porvoo", "age": "51"}),
    ("sv", "e 44 och bor i vasa", {"age": "44", "municipality": "Vaasa"}),
    ("en", "live in Espoo, 34, no job", {"municipality": "Espoo", "age": "34", "unemployed": "yes"}),
    ("en", "hi there. 29 years old, Kerava, unemployed", {"age": "29", "municipality": "Kerava", "unemployed": "yes"}),
    # --- several facts in one message ---------------------------------------------------
    ("fi", "Hei! Olen 34v ja asun Kempeleessä. Mulla on masennus ja olen ollut pitkään työttömänä.",
     {"age": "34", "municipality": "Kempele", "health_affects_work_ability": "yes", "unemployed": "yes"}),
    ("fi", "oon 45v tyoton helsinkilainen", {"age": "45", "unemployed": "yes", "municipality": "Helsinki"}),
    ("fi", "oon 29 ja asun kempeleessä ja oon ollu työtön 4 vuotta",
     {"age": "29", "municipality": "Kempele", "unemployed": "yes"}),
    ("fi", "mul ei oo aktivointisuunnitelmaa eikä lähetettä", {"plan": "none", "referral": "none"}),
    ("sv", "jag e 30 o arbetslös", {"age": "30", "unemployed": "yes"}),
    ("fi", "olen 45 ja asun Kempeleessä, olen ollut työttömänä kaksi vuotta eikä minulla ole lähetettä",
     {"age": "45", "municipality": "Kempele", "unemployed": "yes", "referral": "none"}),
    ("fi", "Terve, olen 29 ja TE-toimiston asiakas", {"age": "29", "client_of": "employment_services"}),
    ("fi", "minulla on lähete ja aktivointisuunnitelma", {"referral": "social_welfare", "plan": "activation_plan"}),
    ("fi", "minulla on lähete mutta ei aktivointisuunnitelmaa", {"referral": "social_welfare", "plan": "none"}),
    ("fi", "sossu teki mulle lähetteen", {"client_of": "social_services", "referral": "social_welfare"}),
    ("sv", "jag har en aktiveringsplan men ingen remiss", {"plan": "activation_plan", "referral": "none"}),
    ("en", "I have an activation plan and a referral", {"plan": "activation_plan", "referral": "social_welfare"}),
    ("en", "I don't have a referral or an activation plan", {"referral": "none", "plan": "none"}),
    ("en", "I have a referral but no activation plan", {"referral": "social_welfare", "plan": "none"}),
    ("en", "my social worker made a referral", {"client_of": "social_services", "referral": "social_welfare"}),
    ("en", "Hi, I'm 45 years old, unemployed and live in Kempele, I have a referral from my social worker "
           "but my health affects my ability to work",
     {"age": "45", "unemployed": "yes", "municipality": "Kempele", "referral": "social_welfare",
      "client_of": "social_services", "health_affects_work_ability": "yes"}),
    # --- a comma list of facts opening a longer message (any length) --------------------
    ("sv", "Borgå, 55 år, arbetslös sen länge och har dålig rygg. Vart vänder jag mig?",
     {"municipality": "Porvoo", "age": "55", "unemployed": "yes", "health_affects_work_ability": "yes"}),
    ("en", "Oulu, 58, unemployed long time, bad knees. where I go?",
     {"municipality": "Oulu", "age": "58", "unemployed": "yes", "health_affects_work_ability": "yes"}),
    ("fi", "Turku, 50 vuotta, pitkäaikaistyötön, sain lähetteen kuntouttavaan mutta en tiedä mistä aloittaa",
     {"municipality": "Turku", "age": "50", "unemployed": "yes", "referral": "social_welfare"}),
    # an item of five words ("utan jobb i fyra år")
    ("sv", "helsingfors, 58 år, utan jobb i fyra år, hälsan e ok och inga funktionsnedsättningar",
     {"municipality": "Helsinki", "age": "58", "unemployed": "yes", "health_affects_work_ability": "no",
      "disability": "no"}),
    ("fi", "Vantaa, 44 vuotta, ollut työttömänä jo kolme vuotta, selkä huono",
     {"municipality": "Vantaa", "age": "44", "unemployed": "yes", "health_affects_work_ability": "yes"}),
    # items separated by full stops ("vantaa. 40. unemployed 2 years.")
    ("en", "vantaa. 40. unemployed 2 years. bad back",
     {"municipality": "Vantaa", "age": "40", "unemployed": "yes", "health_affects_work_ability": "yes"}),
    ("sv", "Bor i Esbo. 52. Arbetslös.", {"municipality": "Espoo", "age": "52", "unemployed": "yes"}),
    ("fi", "Olen ollut työttömänä 5 vuotta. Hinta 40.", {"unemployed": "yes"}),
    # --- heavy work, a body that does not last, injuries, denials of health (issue 13) ------
    ("fi", "en jaksa enää raskaita töitä", {"health_affects_work_ability": "yes"}),
    ("fi", "polvet ei kestä", {"health_affects_work_ability": "yes"}),
    ("sv", "jag klarar inte längre av tungt arbete", {"health_affects_work_ability": "yes"}),
    ("sv", "har en knäskada sedan i fjol", {"health_affects_work_ability": "yes"}),
    ("en", "i cant do physical work anymore", {"health_affects_work_ability": "yes"}),
    ("en", "my shoulders can't handle it", {"health_affects_work_ability": "yes"}),
    ("fi", "terveys ei vaikuta mitenkään", {"health_affects_work_ability": "no"}),
    ("sv", "min hälsa påverkar inte", {"health_affects_work_ability": "no"}),
    ("en", "my health does not affect that", {"health_affects_work_ability": "no"}),
    # --- disability named by its kind or aid ----------------------------------------------
    ("fi", "olen autismikirjolla", {"disability": "yes"}),
    ("fi", "liikun pyörätuolilla", {"disability": "yes"}),
    ("sv", "jag sitter i rullstol", {"disability": "yes"}),
    ("sv", "jag är döv", {"disability": "yes"}),
    ("en", "i am autistic", {"disability": "yes"}),
    ("en", "I'm deaf", {"disability": "yes"}),
    # --- nicknames, birthplaces and "neither / nobody" ---------------------------------------
    ("fi", "stadilainen oon", {"municipality": "Helsinki"}),
    ("fi", "synnyin Porissa mutta asun nyt Espoossa", {"municipality": "Espoo"}),
    ("en", "born in Turku, living in Vantaa", {"municipality": "Vantaa"}),
    ("sv", "jag har varken sjukpension eller rehabiliteringsstöd", {"disability_pension": "no"}),
    ("en", "nobody has referred me", {"referral": "none"}),
    # moving house: the place moved to, not from; "we" includes the writer
    ("en", "we moved from Turku to Lahti in May", {"municipality": "Lahti"}),
    ("sv", "vi flyttade från Åbo till Vanda", {"municipality": "Vantaa"}),
    ("fi", "muutin Porista Lahteen", {"municipality": "Lahti"}),
    # a long message that opens with the writer's age and "man"/"woman", before anyone else is
    # mentioned (the friend comes later)
    ("fi", "Moi. 41v nainen, työttömänä ollu kolme vuotta. Kaveri sano et kannattais kysyä kuntouttavasta, "
           "mitä mun pitäis tehdä?", {"age": "41", "unemployed": "yes"}),
    ("en", "Male, 40, unemployed for three years in Turku, bad knees. what are my options here?",
     {"age": "40", "unemployed": "yes", "municipality": "Turku", "health_affects_work_ability": "yes"}),
]

# Messages that mention a concept without stating anything about the writer
NO_FACTS = [
    ("en", "I went back to school because of the money"),
    ("fi", "haen osa-aikatyötä"),  # looking for a part-time job says nothing
    ("en", "I want to work 2 days a week"),  # "back" as a reason is no body part here
    ("en", "My brother, 45, unemployed long time, bad knees. What can he do?"),
    ("sv", "Min bror, 45 år, utan jobb i fyra år, dålig rygg. Vad kan han göra?"),
    ("en", "I want to find a job"), ("en", "I found a job last week"),
    ("en", "I'm a student and can't find a summer job"),
    # questions about a concept are not statements about oneself
    ("fi", "mikä on aktivointisuunnitelma?"),
    ("fi", "Mikä on lähete"),
    ("fi", "Mitä aktivointisuunnitelmaan kirjataan?"),
    ("fi", "Voiko työtön hakea kuntouttavaan työtoimintaan?"),
    ("fi", "Tarvitaanko lähete?"),
    ("fi", "tarvitsenko lähetteen?"),
    ("fi", "Miten saan lähetteen?"),
    ("fi", "Kuka tekee aktivointisuunnitelman?"),
    ("fi", "onks mulla lähete?"),
    ("fi", "ootko työtön?"),
    ("fi", "Mitä jos minulla ei ole lähetettä?"),
    ("sv", "Vad är en aktiveringsplan?"),
    ("sv", "Behöver jag en remiss?"),
    ("sv", "Kan en arbetslös söka?"),
    ("en", "what is a referral"),
    ("en", "What is an activation plan?"),
    ("en", "Do I need a referral?"),
    ("en", "How do I get a referral?"),
    ("en", "Can an unemployed person apply?"),
    ("en", "who makes the multisectoral employment plan?"),
    # talking about a concept, wishing for it, hedging, conditions
    ("fi", "Kerro aktivointisuunnitelmasta"),
    ("fi", "Minulla on kysymys lähetteestä"),
    ("fi", "Minulla on ollut vaikeuksia löytää töitä"),
    ("fi", "Haluan lähetteen"),
    ("fi", "Tarvitsen aktivointisuunnitelman"),
    ("fi", "Ehkä minulla on lähete"),
    ("fi", "en tiedä onko minulla lähetettä"),
    ("fi", "Jos olen työtön, saanko kulukorvausta?"),
    ("fi", "Kuntouttavaan työtoimintaan ei tarvita lähetettä"),
    ("fi", "Sosiaalityöntekijä tekee lähetteen"),
    ("fi", "Lähete on tarpeen"),
    ("fi", "aktivointisuunnitelma"),
    ("fi", "lähete"),
    ("sv", "Man måste ha en remiss"),
    ("sv", "Jag har en fråga om remissen"),
    ("en", "I have a question about referrals"),
    ("en", "I have no idea what a referral is"),
    ("en", "I need a referral"),
    ("en", "I want an activation plan"),
    ("en", "I think I have a referral"),
    ("en", "I'll get a referral next week"),
    ("en", "I don't know if I have a referral"),
    ("en", "I'm not sure if I'm unemployed"),
    ("en", "Unemployed people can apply"),
    ("en", "You need a referral from a social worker"),
    ("en", "I'm sick of waiting"),
    ("en", "I'm sick and tired of waiting"),
    ("en", "ill get a referral next week"),  # "I'll" without the apostrophe
    ("en", "I have a job interview tomorrow"),
    ("en", "I receive disability services"),
    ("fi", "olen vammaispalveluiden asiakas"),
    # someone else
    ("fi", "poikani on työtön"),
    ("fi", "Mieheni on työtön"),
    ("fi", "Äitini on 70-vuotias ja työtön"),
    ("sv", "Min son är arbetslös"),
    ("en", "My son is unemployed"),
    ("en", "my son is 19 and unemployed"),
    ("en", "My daughter is 20 and has a disability, can she apply?"),
    ("fi", "Poikani on 19 ja hänellä on vamma"),
    ("en", "She is 45"),
    ("fi", "Poikani on kova pelaamaan. 22v mies, työtön, asuu Tampereella eikä tee mitään koko päivänä."),
    # past states
    ("fi", "olin työtön"),
    ("fi", "minulla oli lähete mutta se vanheni"),
    ("en", "I was unemployed"),
    ("en", "I had a referral, but it expired"),
    # not working while studying or retired is not being unemployed
    ("fi", "en käy töissä, oon eläkkeellä"),
    ("en", "I'm retired and not working"),
    ("sv", "jag studerar och jobbar inte"),
    # "enkä jaksa töitä" has no "have": not "I have no job"
    ("fi", "enkä jaksa töitä"),
    # a nickname in a name, a decade that is history, an inverted question, a spouse's home
    ("fi", "Työkykyisempi Stadi"),
    ("en", "the forties were hard"),
    ("sv", "är han arbetslös"),
    ("sv", "är stödet för arbetsförmågan bara för helsingforsare"),
    ("en", "my husband lives in Oulu"),
    ("en", "day activities and work activities for the disabled"),
    # "it" with nothing about health before it
    ("fi", "se vaikuttaa työkykyyn"),
    # a named condition denied says nothing about health in general
    ("fi", "minulla ei ole masennusta"),
    ("en", "I don't have depression"),
    # a negated specific service says nothing about other services
    ("fi", "en ole TYP:n asiakas"),
    ("en", "I don't have a social worker"),
    # "haven't been unemployed for long" negates the duration
    ("fi", "en ole ollut työtön kauan"),
    # unemployment still to come: not yet a fact
    ("sv", "Jag är på väg att bli arbetslös. Vad ska jag göra?"),
    ("sv", "jag kommer att bli arbetslös"),
    ("fi", "olen jäämässä työttömäksi"),
    ("fi", "jään työttömäksi ensi kuussa"),
    ("en", "I'm about to become unemployed"),
    ("en", "I will be unemployed next month"),
    # work ability gone or dropped is not being away from working life (unemployment)
    ("fi", "työkykyni on poissa"),
    ("fi", "työkyky on pudonnut"),
    # bad health denied is not good health
    ("sv", "min hälsa är inte dålig"),
    ("fi", "terveys ei oo huono"),
    ("sv", "jag har inte varit arbetslös länge"),
    ("en", "I haven't worked here long"),
    ("sv", "jag har inte jobbat här länge"),
    # having worked says nothing: it may be long ago; someone else's work is theirs
    ("sv", "jag har jobbat i 20 år på fabriken"),
    ("en", "I worked as a nurse for 20 years"),
    ("en", "I had a job"),
    ("sv", "min man har inte jobbat på tre år"),
    # Swedish "typ" means "like, sort of", not TYP; municipality names that are words
    ("sv", "jag är typ 30"),
    ("fi", "olen salossa töissä"),
    # a birthplace, heavy work done, a job that ended
    ("fi", "synnyin Kuopiossa vuonna 1980"),
    ("sv", "jag är född i Karleby"),
    ("en", "I was born in Lahti"),
    ("en", "I do heavy work"),
    ("sv", "jobbet tog slut"),
    # only the place moved from
    ("en", "I moved away from Espoo"),
    ("sv", "jag flyttade från Borgå i fjol"),
]

# Numbers that are not ages
NOT_AGES = [
    ("fi", "kävin siellä 2, 3 kertaa, 45 minuuttia kerrallaan ja olen ollut työtön kauan"),
    ("fi", "Hopeatie 6, 00440 Helsinki"),
    ("fi", "soita numeroon 040 123 4567"),
    ("fi", "puh. 09 310 73392"),
    ("fi", "jakso kestää 3-24 kuukautta"),
    ("fi", "24 kuukautta"),
    ("fi", "4 päivää viikossa"),
    ("fi", "vähintään 4 tuntia päivässä"),
    ("fi", "klo 9.00"),
    ("fi", "laki 189/2001"),
    ("fi", "vuonna 2025"),
    ("fi", "olen 3 kuukautta ollut töissä"),
    ("fi", "olen 40 tuntia viikossa töissä"),
    ("fi", "olen 100% varma"),
    ("fi", "olen 3-4 päivää viikossa töissä"),
    ("fi", "olen 4. luokalla"),
    ("fi", "1.1.2025 alkaen"),
    ("fi", "maksu on 9 euroa päivässä"),
    ("fi", "olin 45 kun jäin työttömäksi"),
    ("fi", "150"),
    ("sv", "jag har varit arbetslös i 2 år"),
    ("en", "I'm 45 minutes away"),
    ("en", "24 months"),
    ("en", "for 3-24 months"),
    ("en", "I have an appointment at 9.00"),
    ("en", "I have 3 children"),
    ("en", "Call 09 310 73392"),
    ("en", "I have 20 years of experience"),
]

# (language, message, entity, expected surface text of that fact)
SPANS = [
    ("fi", "olen 45v helsinkiläinen ja minulla on lähete", "age", "45v"),
    ("fi", "olen 45v helsinkiläinen ja minulla on lähete", "municipality", "helsinkiläinen"),
    ("fi", "olen 45v helsinkiläinen ja minulla on lähete", "referral", "lähete"),
    ("fi", "olen 45-vuotias", "age", "45-vuotias"),
    ("sv", "jag är 30 år och bor i Esbo", "age", "30 år"),
    ("sv", "jag är 30 år och bor i Esbo", "municipality", "Esbo"),
    ("en", "I'm 45 years old", "age", "45 years old"),
    ("en", "I have no activation plan", "plan", "activation plan"),
    ("en", "my health affects my ability to work", "health_affects_work_ability",
     "health affects my ability to work"),
    ("fi", "minulla ei ole lähetettä", "referral", "lähetettä"),
    ("fi", "olen TYP:n asiakas", "client_of", "TYP:n"),
    ("en", "I was 45, now I'm 46", "age", "46"),
    ("fi", "en asu Espoossa vaan Helsingissä", "municipality", "Helsingissä"),
    ("en", "  I   live in   Kempele\nand I'm 45", "municipality", "Kempele"),
    ("en", "  I   live in   Kempele\nand I'm 45", "age", "45"),
]


def facts_dict(facts: list[Fact]) -> dict[str, str]:
    return {fact.entity: fact.value for fact in facts}


def check_invariants(text: str, facts: list[Fact]) -> None:
    entities = [fact.entity for fact in facts]
    assert len(entities) == len(set(entities)), f"one fact per entity: {facts}"
    for fact in facts:
        assert fact.entity in ENTITIES
        assert isinstance(fact.value, str) and fact.value
        assert text[fact.start:fact.end] == fact.text, fact
    # One span gives several facts only for a disability pension: it also says "disability"
    # and that health affects the ability to work.
    pension = {(f.start, f.end) for f in facts if f.entity == "disability_pension"}
    spans = sorted((f.start, f.end) for f in facts if (f.start, f.end) not in pension)
    for (_, end), (start, _) in zip(spans, spans[1:]):
        assert end <= start, f"overlapping facts: {facts}"
    assert [f.start for f in facts] == sorted(f.start for f in facts), "facts in text order"


def case_id(case: tuple) -> str:
    return f"{case[0]}:{case[1][:50]}"


@pytest.mark.parametrize("language, text, expected", CASES, ids=map(case_id, CASES))
def test_extracts_exactly_the_stated_facts(language, text, expected):
    facts = extract_facts(text, language)
    check_invariants(text, facts)
    assert facts_dict(facts) == expected


@pytest.mark.parametrize("language, text, expected", CASES, ids=map(case_id, CASES))
def test_without_language_tries_all_three(language, text, expected):
    facts = extract_facts(text, None)
    check_invariants(text, facts)
    assert facts_dict(facts) == expected


@pytest.mark.parametrize("language, text", NO_FACTS, ids=map(case_id, NO_FACTS))
def test_no_statement_about_oneself_gives_no_facts(language, text):
    assert extract_facts(text, language) == []
    assert extract_facts(text, None) == []


@pytest.mark.parametrize("language, text", NOT_AGES, ids=map(case_id, NOT_AGES))
def test_numbers_that_are_not_ages(language, text):
    assert "age" not in facts_dict(extract_facts(text, language))


@pytest.mark.parametrize("language, text, entity, surface", SPANS, ids=map(case_id, SPANS))
def test_offsets_point_at_the_words(language, text, entity, surface):
    facts = {fact.entity: fact for fact in extract_facts(text, language)}
    fact = facts[entity]
    assert fact.text == surface
    assert text[fact.start:fact.end] == surface


@pytest.mark.parametrize(
    "text, value",
    [("45", "45"), ("15", "15"), ("99", "99"), ("14", None), ("100", None), ("045", None), ("45.", "45"),
     ("olen 120-vuotias", "120"), ("olen 121-vuotias", None), ("olen 14", None)],
)
def test_age_ranges(text, value):
    assert facts_dict(extract_facts(text, "fi")).get("age") == value


def test_short_reply_in_another_language_than_the_conversation():
    # the language resolver keeps the conversation's language for short replies
    assert facts_dict(extract_facts("unemployed", "fi")) == {"unemployed": "yes"}
    assert facts_dict(extract_facts("jag är arbetslös", "en")) == {"unemployed": "yes"}


def test_languages_that_read_the_same_words_differently_give_nothing():
    # Swedish has no "no": read as Swedish this is affirmative, as English negated
    assert extract_facts("no depression", None) == []
    assert facts_dict(extract_facts("depression", None)) == {"health_affects_work_ability": "yes"}


def test_long_message_uses_only_the_given_language():
    text = "I have been looking for work for a long time and I am unemployed now, what should I do next"
    assert facts_dict(extract_facts(text, "en")) == {"unemployed": "yes"}
    assert extract_facts(text, "sv") == []


def test_empty_and_blank_messages():
    assert extract_facts("", "fi") == []
    assert extract_facts("   \n ", None) == []


def test_unknown_language_code_is_treated_as_unknown():
    assert facts_dict(extract_facts("mä oon 52 ja työtön", "de")) == {"age": "52", "unemployed": "yes"}


def test_fact_is_frozen_and_entities_are_listed():
    fact = extract_facts("olen 45", "fi")[0]
    assert fact == Fact("age", "45", 5, 7, "45")
    with pytest.raises(dataclasses.FrozenInstanceError):
        fact.value = "46"  # type: ignore[misc]
    assert set(ENTITIES) == {"age", "municipality", "unemployed", "health_affects_work_ability", "disability",
                             "disability_pension", "referral", "plan", "client_of"}


def test_every_entity_and_value_is_covered_by_the_table():
    seen = {(entity, value) for _, _, expected in CASES for entity, value in expected.items()}
    values = {
        "unemployed": {"yes", "no"},
        "health_affects_work_ability": {"yes", "no"},
        "disability": {"yes", "no"},
        "referral": {"social_welfare", "criminal_sanctions", "none"},
        "plan": {"activation_plan", "multisectoral_plan", "none"},
        "client_of": {"social_services", "typ", "employment_services", "none"},
    }
    for entity, expected in values.items():
        assert {v for e, v in seen if e == entity} == expected, entity
    assert {e for e, _ in seen} == set(ENTITIES)


@pytest.mark.parametrize("language, text, expected", [
    ("fi", "Järjestetäänkö Kempeleessä kuntouttavaa työtoimintaa?", "Kempele"),
    ("sv", "Finns det arbetsverksamhet i Kempele?", "Kempele"),
    ("en", "where is it in tampere", "Tampere"),
    ("en", "not in Espoo but in Helsinki", "Helsinki"),
    ("fi", "mitä siellä tehdään", None),
    ("sv", "jag är frisk och sund", None),            # an everyday word, not Sund
    ("fi", "muutettiin Oulusta Kempeleeseen", "Kempele"),  # the place moved from does not count
    ("fi", "asuin ennen Oulussa ja nyt Kempeleessä", None),  # two places, no move: neither decides
    ("sv", "Vi flyttade hit till Kempele i våras. I Uleåborg hade jag arbetsverksamhet. Vem ordnar den?",
     "Kempele"),                                             # the place moved to is the new home
    ("fi", "Olin ennen töissä Tampereella. Onko Lahdessa kuntouttavaa työtoimintaa?", "Lahti"),  # the question's place
    ("fi", "synnyin Oulussa ja haluan kuntouttavaan työtoimintaan", None),  # a birthplace is no question's place
    ("fi", "synnyin Oulussa, onko Kempeleessä kuntouttavaa?", "Kempele"),
])
def test_the_place_a_question_names(language, text, expected):
    from bot.nlu.extract.municipality import named_municipality
    assert named_municipality(text, language) == expected


@pytest.mark.parametrize("text, expected", [
    ("ja bor i Karleby å e arbetslös", {"municipality": "Kokkola", "unemployed": "yes"}),
    ("ja e 52", {"age": "52"}),
])
def test_finland_swedish_ja_for_jag(text, expected):
    """Finland-Swedish speech writes "ja" for "jag". Only with the language known: without it
    "ja" is also the Finnish "and"."""
    assert facts_dict(extract_facts(text, "sv")) == expected


@pytest.mark.parametrize("language, text, expected", [
    ("en", "We live in Lempäälä near Tampere and my son is out of work", "Lempäälä"),
    ("fi", "Asun Siilinjärvellä ihan Kuopion lähellä", "Siilinjärvi"),
    ("sv", "Vi bor i Sibbo nära Helsingfors", "Sipoo"),
    # a direction from a place: next to it
    ("en", "Kempele, just south of Oulu", "Kempele"),
    ("sv", "Kempele, strax söder om Uleåborg", "Kempele"),
    ("fi", "Kempele, Oulun eteläpuolella", "Kempele"),
    ("sv", "jag bor utanför Åbo", None),
])
def test_a_place_near_home_is_not_home(language, text, expected):
    found = facts_dict(extract_facts(text, language)).get("municipality")
    assert found == expected


@pytest.mark.parametrize("language, text, expected", [
    ("en", "My sister (42) has been unemployed for years", {}),
    ("en", "I (42) have been unemployed for years", {"age": "42", "unemployed": "yes"}),
])
def test_an_aside_in_brackets_does_not_cut_a_clause(language, text, expected):
    assert facts_dict(extract_facts(text, language)) == expected


# --------------------------------------------------------------------- written for someone else
@pytest.mark.parametrize("language, text, expected", [
    ("fi", "Kirjoitan poikani puolesta. Hän on 22 ja asuu Tampereella omassa yksiössä. Jäi koulusta pois "
           "ja on ollut työttömänä puolitoista vuotta. Mitä hän voisi tehdä?",
     {"age": "22", "municipality": "Tampere", "unemployed": "yes"}),
    ("fi", "Veljeni on 35-vuotias ja asuu Oulussa. Hänellä on masennus eikä hän ole ollut töissä vuosiin.",
     {"age": "35", "municipality": "Oulu", "health_affects_work_ability": "yes", "unemployed": "yes"}),
    ("sv", "Min dotter är 30 och har en funktionsnedsättning. Hon bor i Helsingfors.",
     {"age": "30", "disability": "yes", "municipality": "Helsinki"}),
    ("sv", "Min son är 24 och sitter hemma i Borgå sedan gymnasiet.", {"age": "24", "municipality": "Porvoo"}),
    ("en", "Can you help my son? He is 24, lives in Espoo and has no job.",
     {"age": "24", "municipality": "Espoo", "unemployed": "yes"}),
    ("en", "My partner has been unemployed for ages and barely leaves the house. He's 38. What could help him?",
     {"age": "38", "unemployed": "yes"}),
    # the home they share counts for the person when the message says nothing else of where
    ("en", "We live in Kempele. My brother (35) has been unemployed for years.",
     {"municipality": "Kempele", "age": "35", "unemployed": "yes"}),
    ("sv", "Min man har varit hemma sen fabriken stängde. Han är arbetslös. Vi bor i Vasa.",  # "min man": husband
     {"unemployed": "yes", "municipality": "Vaasa"}),
    ("fi", "Mun mies on 45 ja ollut työttömänä kolme vuotta, asutaan Lahdessa.",
     {"age": "45", "unemployed": "yes", "municipality": "Lahti"}),
    # said outright, one fact of theirs is enough
    ("fi", "Kirjoitan poikani puolesta. Hän on ollut työttömänä monta vuotta. Voisiko hän päästä kuntouttavaan?",
     {"unemployed": "yes"}),
    ("sv", "Jag skriver för min sons räkning. Han är arbetslös sedan länge.", {"unemployed": "yes"}),
    ("en", "asking for a friend. he's been out of work for years, could he get into rehabilitative work?",
     {"unemployed": "yes"}),
    # short answers to the interview's questions for them
    ("fi", "hän on työtön", {"unemployed": "yes"}),
    ("sv", "han bor i Esbo", {"municipality": "Espoo"}),
    ("en", "he is 38", {"age": "38"}),
    # Finland-Swedish "ja" is "yes" before "he"/"she", not "jag"
    ("sv", "ja han är arbetslös", {"unemployed": "yes"}),
    ("sv", "ja hon bor i Vasa", {"municipality": "Vaasa"}),
])
def test_the_facts_of_the_person_a_message_is_written_for(language, text, expected):
    from bot.nlu.extract import facts_about_someone_else

    assert extract_facts(text, language) == [] or {f.entity for f in extract_facts(text, language)} == {"municipality"}
    assert {f.entity: f.value for f in facts_about_someone_else(text, language)} == expected


@pytest.mark.parametrize("language, text, expected", [
    # written for someone, said outright: the clauses with no subject of their own after "he"
    # are the person's, though the writer's own reading takes them too
    ("sv", "Skriver för min sambo som inte orkar själv. Han är 36, bor med mig i Borgå och har varit "
           "deprimerad och utan jobb i tre år.",
     {"age": "36", "municipality": "Porvoo", "unemployed": "yes", "health_affects_work_ability": "yes"}),
    ("fi", "Kirjoitan tyttäreni puolesta. Hän on 27, asuu vielä meillä Lahdessa eikä ole ollut töissä "
           "koulun jälkeen.",
     {"age": "27", "municipality": "Lahti", "unemployed": "yes"}),
    ("en", "Writing on behalf of my brother. He is 41, lives with us in Espoo and has had no job for years.",
     {"age": "41", "municipality": "Espoo", "unemployed": "yes"}),
])
def test_written_for_someone_outright_the_subjectless_clauses_are_theirs(language, text, expected):
    from bot.nlu.extract import facts_about_someone_else

    assert {f.entity: f.value for f in facts_about_someone_else(text, language)} == expected


@pytest.mark.parametrize("language, text", [
    ("fi", "olen 50 ja poikani on 22 ja työtön"),                       # the writer's own facts
    ("fi", "Kaveri sano et kuntsarissa maksetaan 9 euroa päivässä, pitääkö paikkansa?"),
    ("en", "My friend is unemployed and says rehab work pays 9 euros, is that true?"),  # hearsay
    ("en", "is he unemployed?"),                                         # a question
    # only the writer's home
    ("fi", "Asun Espoossa. Kaverini sanoi, että kuntsarissa maksetaan 9e, pitääkö paikkansa?"),
    ("en", "People say it is 9 euros a day. He is 40 and lives in Espoo."),
    ("sv", "Jag är 45 och bor i Vasa. Min son är 20."),                 # the writer's own
    ("fi", "olen sen puolesta että työtä pitäisi tehdä, olen työtön"),  # "puolesta": in favour of
])
def test_no_facts_of_someone_else_without_a_close_person_or_with_the_writers_own(language, text):
    from bot.nlu.extract import facts_about_someone_else

    assert facts_about_someone_else(text, language) == []


@pytest.mark.parametrize("language, text, asks", [
    ("sv", "Jag får bara utkomststöd, får jag något extra för dagarna jag är där", True),
    ("sv", "Finns det något för mig här i Vasa", True),
    ("sv", "och kan man vägra utan att förlora stödet", True),
    ("en", "Is it legal to make me work for 9 euros a day", True),
    ("en", "So I only get social assistance and do I get anything extra for the days", True),
    # an inversion after an adverb or "så" tells; "är 45" is an age, no subject follows
    ("sv", "Så har jag varit sjuk i flera år", False),
    ("sv", "Är 45 år och bor i Esbo", False),
    ("en", "I have been unemployed for ten years and nothing works", False),
    # a Finnish -ko question is a question with or without the inversions
    ("fi", "saako kuntouttavan aikana opiskella", True),
    # ... but a word that merely ends in -ko ("koko päivä": all day) asks nothing
    ("fi", "taas koko päivä samaa hommaa ja pelko siitä ettei tästä pääse pois", False),
    ("fi", "onko koko päivä pakko olla siellä", True),
    # colloquial Swedish: "e de" (är det), a second question after "elle(r)"
    ("sv", "e de gratis att delta", True),
    ("sv", "vi har inget papper elle kan man bara börja direkt", True),
])
def test_a_yes_no_question_without_a_question_mark(language: str, text: str, asks: bool) -> None:
    assert asks_something(text, language, inversions=True) is asks
    if language != "fi":
        # the extractor's own reading keeps an inversion without "?" a statement
        assert not asks_something(text, language)


@pytest.mark.parametrize("language, text, age", [
    # an age cue and the number begin a sentence: the writer introduces themselves
    ("fi", "Oon jo kuntouttavassa täällä Kotkassa mutta jakso päättyy. Ikää 38, masennus on parempi kuin vuosi sitten.",
     "38"),
    ("en", "Age 52, bad back, no job for years and nothing seems to help at all", "52"),
    ("sv", "Ålder 38, ryggen är dålig sen länge och inget jobb finns här", "38"),
    # ... unless someone else was mentioned before it
    ("fi", "Poikani on työtön. Ikää 24, asuu kotona ja pelaa koko päivät", None),
    # the age and "man" a few words in ("Kotkassa asuva 29v mies")
    ("fi", "Kotkassa asuva 29v mies, tulin vankilasta kuukausi sitten", "29"),
])
def test_an_age_cue_at_the_start_of_a_sentence_is_the_writers_age(language: str, text: str, age: str | None) -> None:
    ages = [fact.value for fact in extract_facts(text, language) if fact.entity == "age"]
    assert ages == ([age] if age else [])


@pytest.mark.parametrize("language, text, municipality", [
    # a number between the place and a negation: the negation is about what follows it
    ("fi", "kuopio 23v en oo opiskelija enkä töissä", "Kuopio"),
    # the participle "asuva" is a residence cue, also for a name that is an everyday word
    ("fi", "kotkassa asuva 29v mies, ei töitä", "Kotka"),
    # ... and a topicalised place with its negation is still no home
    ("fi", "Helsingissä en asu", None),
])
def test_the_place_read_in_a_quick_self_introduction(language: str, text: str, municipality: str | None) -> None:
    places = [fact.value for fact in extract_facts(text, language) if fact.entity == "municipality"]
    assert places == ([municipality] if municipality else [])


def test_the_forum_shorthand_for_age_and_gender_introduces_the_writer() -> None:
    """"29F" is the writer: the sentence it begins tells the writer's own situation."""
    text = "writing from Vuosaari, Helsinki. 29F, autism diagnosis that makes full-time work really hard"
    facts = {(fact.entity, fact.value) for fact in extract_facts(text, "en")}
    assert ("disability", "yes") in facts and ("municipality", "Helsinki") in facts


@pytest.mark.parametrize("text, unemployed", [
    # studies denied do not make the writer a student ("en oo opiskelija enkä oo töissä")
    ("en oo opiskelija enkä oo töissä", "yes"),
    # ... studies named do ("en ole töissä, opiskelen": not working, not unemployed either)
    ("en ole töissä, opiskelen", None),
])
def test_denied_studies_do_not_block_unemployment(text: str, unemployed: str | None) -> None:
    values = [fact.value for fact in extract_facts(text, "fi") if fact.entity == "unemployed"]
    assert values == ([unemployed] if unemployed else [])
