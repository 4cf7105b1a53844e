"""Who can answer a question the assistant has no answer for (bot/guidance/asking.py and the
word lists of bot/knowledge/asking.yml): the kind of question read from its words.

The questions are next to the assistant's subject, written for this test (not taken from the
evaluation sets): benefits whose names are compounds ("työkyvyttömyyseläke",
"handikappbidrag"), everyday names of a benefit ("työttömyystuki", "the dole"), and questions
that name two contacts' matters (studies while on the unemployment benefit: the employment
services decide; falling ill while unemployed: Kela's sickness allowance; a library or day care
question that mentions a job: the municipality).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.guidance.asking import kind_of
from bot.nlu.beginnings import beginning, first_match, folded_words, length

KINDS = [
    # a member of the fund: the fund pays the adjusted allowance too
    ("fi", "teen keikkaa välillä, miten se vaikuttaa soviteltuun päivärahaan? olen kassan jäsen", "unemployment_fund"),
    # how many jobs to apply for is the job-search duty
    ("sv", "Hur många jobb måste man söka varje månad?", "employment_services"),
    ("en", "how many jobs do I have to apply for each month", "employment_services"),
    ("fi", "montako työpaikkaa pitää hakea kuussa", "employment_services"),
    # being evicted, in any form of the word
    ("en", "my landlord is going to evict us, I can't pay the rent", "social_services"),
    # a place in day care, in everyday words
    ("sv", "Hur söker jag dagisplats åt mitt barn?", "municipality"),
    ("fi", "kehen otan yhteyttä kun päiväkotipaikasta ei kuulu mitään", "municipality"),
    # Kela: benefits, also as the last part of a compound and by everyday names
    ("fi", "Voinko saada työkyvyttömyyseläkkeen?", "kela"),
    ("fi", "Miten haen kuntoutustukea?", "kela"),
    ("fi", "Kuka maksaa työttömyystukea?", "kela"),
    ("fi", "Mistä haen työttömyyskorvausta?", "kela"),
    ("fi", "Olen sairauslomalla, mistä saan rahaa?", "kela"),
    ("fi", "Saanko tukea vuokraan?", "kela"),
    ("fi", "Vaikuttaako puolison palkka minun tukiin?", "kela"),
    ("fi", "Mitä tapahtuu jos sairastun kesken työttömyyden?", "kela"),
    ("sv", "Hur mycket får man i invalidpension?", "kela"),
    ("sv", "Kan jag få handikappbidrag?", "kela"),
    ("sv", "Kan jag få bidrag för hyran?", "kela"),
    ("sv", "Vem betalar ut arbetslöshetsunderstöd?", "kela"),
    ("sv", "Vad är grundtryggheten för arbetslösa?", "kela"),
    ("sv", "Vad händer om jag blir sjuk när jag är arbetslös?", "kela"),
    ("sv", "Har jag rätt till stöd från FPA om jag är arbetslös?", "kela"),
    ("sv", "Jag är sjukskriven, vad gäller för min ersättning?", "kela"),
    ("en", "What happens if I get sick while unemployed?", "kela"),
    ("en", "Can I get sick pay if I'm on the dole?", "kela"),
    ("en", "Can I get help with my rent?", "kela"),
    ("en", "Can I get student financial aid while I study?", "kela"),
    ("fi", "Mitä työssäoloehto tarkoittaa?", "kela"),
    ("sv", "Vad är jämkad dagpenning?", "kela"),
    ("fi", "Voinko tehdä osa-aikatyötä ja saada soviteltua päivärahaa?", "kela"),
    # Kela's own rehabilitation (psychotherapy, courses, vocational and medical rehabilitation)
    ("fi", "Miten haen kuntoutuspsykoterapiaa?", "kela"),
    ("fi", "Pääsisinkö ammatilliseen kuntoutukseen selkävaivojen takia?", "kela"),
    ("sv", "Terapin tar slut, kan jag få mer psykoterapi?", "kela"),
    ("en", "How do I apply for a rehabilitation course for my illness?", "kela"),
    # the employment services decide on studies and the job-search duties
    ("fi", "Voinko opiskella päätoimisesti ja saada työttömyysetuutta?", "employment_services"),
    ("sv", "Får jag behålla mitt stöd om jag studerar?", "employment_services"),
    ("en", "Can I study full time and keep my unemployment benefit?", "employment_services"),
    ("fi", "Pitääkö hakea neljää työpaikkaa kuussa?", "employment_services"),
    ("sv", "Måste jag söka fyra jobb i månaden?", "employment_services"),
    ("en", "Will Kela give me a karenssi if I missed the appointment?", "employment_services"),
    ("fi", "Pitääkö minun ottaa vastaan osa-aikatyö?", "employment_services"),
    ("en", "Can I travel abroad while I am a jobseeker?", "employment_services"),
    ("sv", "Vad händer om jag tackar nej till ett jobberbjudande?", "employment_services"),
    # losing one's job soon: register as a job seeker (a dismissal itself is working life's)
    ("fi", "Minut lomautetaan ensi kuussa, mitä pitää tehdä?", "employment_services"),
    ("fi", "Määräaikaiseni päättyy toukokuussa, mihin ilmoittaudun?", "employment_services"),
    ("sv", "Jag blir permitterad i mars, vart ska jag vända mig?", "employment_services"),
    ("sv", "Mitt vikariat tar slut, vad gör jag nu?", "employment_services"),
    ("en", "My fixed-term job ends in May, where do I register?", "employment_services"),
    ("en", "I am being laid off next month, what should I do?", "employment_services"),
    ("fi", "Onko irtisanominen laillinen jos olin sairaslomalla?", "working_life"),
    # unpaid wages are working life's; an unpaid rent with an eviction the social services'
    ("fi", "Palkka jäi maksamatta viime kuussa, mitä teen?", "working_life"),
    # one's own employer or the collective agreement names the matter, whatever rights are asked
    ("en", "my employer isn't paying overtime and says it's normal. what are my rights", "working_life"),
    ("fi", "saako palkkatukityössä maksaa vähemmän kuin tessin mukaan kuuluu", "working_life"),
    ("sv", "min arbetsgivare betalar mindre än kollektivavtalet säger, är det lagligt?", "working_life"),
    ("en", "how does an employer apply for a wage subsidy", "employment_services"),
    # an application, a form or a decision with nothing else named is most often a benefit's (Kela);
    # one that names a social worker is the social services'
    ("fi", "kauanko hakemuksen käsittely kestää nykyään", "kela"),
    ("en", "I sent the application a month ago and still no decision", "kela"),
    ("sv", "vilken blankett ska jag fylla i", "kela"),
    ("fi", "sosiaalityöntekijä teki päätöksen, mitä nyt", "social_services"),
    ("en", "my social worker says she can't make a decision yet", "social_services"),
    ("fi", "vuokra on maksamatta ja häätö uhkaa, mistä apua", "social_services"),
    # the social services: debts, informal care, disability services
    ("fi", "Mulla on velkoja ja ulosotto, kuka auttaa?", "social_services"),
    ("fi", "Miten saan omaishoidon tukea?", "social_services"),
    ("sv", "Jag har skulder och kan inte betala räkningarna, vem kan hjälpa?", "social_services"),
    ("en", "I have debts and a bailiff is after me, who can help?", "social_services"),
    ("fi", "Miten saan henkilökohtaisen avustajan?", "social_services"),
    # the municipality: its own services, though the question names jobs or unemployment too
    ("fi", "Saako työtön alennusta kaupungin uimahalliin?", "municipality"),
    ("sv", "Hur får jag en daghemsplats när jag börjar i arbetsverksamheten?", "municipality"),
    ("en", "Can I print my CV at the library for free?", "municipality"),
    # the social ombudsman: complaints about treatment
    ("fi", "Sossu kohteli minua huonosti, kenelle voin kertoa?", "social_ombudsman"),
    ("sv", "Jag vill klaga på hur socialarbetaren behandlade mig", "social_ombudsman"),
    # ... whatever benefit the meeting was about
    ("sv", "Vill klaga på hur handläggaren bemötte mig när jag sökte utkomststöd", "social_ombudsman"),
    ("en", "The social worker was rude to me at the social assistance meeting, where do I complain?",
     "social_ombudsman"),
    ("en", "Who can help us complain about the cut in my sister's personal assistant hours?", "social_ombudsman"),
    # an appeal stays with the one who decided
    ("en", "How do I appeal Kela's decision on my housing allowance?", "kela"),
    # Kela's words for its benefits' details
    ("fi", "Milloin on seuraava maksupäivä?", "kela"),
    ("fi", "Saako lapsikorotusta, jos lapsi asuu toisella vanhemmalla?", "kela"),
    ("fi", "Saanko matkakorvausta lääkärikäynnistä?", "kela"),
    ("sv", "Hur fyller jag i en efterhandsutredning?", "kela"),
    ("sv", "Räknas makens inkomster med?", "kela"),
    ("en", "When is the next payment date?", "kela"),
    ("en", "Are my spouse's earnings counted?", "kela"),
    # the employment services' coaching
    ("fi", "Mistä saan uravalmennusta?", "employment_services"),
    # being unemployed is the setting, not the matter
    ("fi", "Olen työtön, saanko Kelalta rahaa silmälaseihin?", "kela"),
    ("fi", "Olen työtön, mitä minun pitäisi tehdä?", "employment_services"),
    # one's annual holidays and one's own boss are working life's, whatever else the question names
    ("fi", "Kertyykö osa-aikatyössä vuosilomaa, jos teen vain kaksi päivää viikossa?", "working_life"),
    ("sv", "Har jag rätt till semester fast jag jobbar deltid?", "working_life"),
    ("en", "my boss hasn't paid my holiday pay, can I complain somewhere?", "working_life"),
    # ... but how a worker of the activity treated the resident stays the ombudsman's
    ("en", "my boss at the workshop treats me badly, where can I complain", "social_ombudsman"),
    # the activation model's activity condition was followed by Kela
    ("fi", "Miten Kela tarkistaa aktiivisuusehdon täyttymisen?", "kela"),
    ("fi", "mihin mä ilmoitan aktiivisuuteni?", "kela"),
    ("en", "who checks the activation requirement these days", "kela"),
    ("sv", "vem följer upp aktiveringsvillkoret", "kela"),
    # the job seeker's own official is at the employment services
    ("fi", "vastuuvirkailijani ei ole soittanut takaisin", "employment_services"),
    # the Nordic service model of the employment services, by its everyday names
    ("fi", "miten se uusi asiakaspalvelumalli muuttaa työnhakua", "employment_services"),
    ("sv", "vad betyder den nordiska modellen för mig som arbetssökande", "employment_services"),
    ("en", "what changed with the new customer service model", "employment_services"),
    # a visa or a work permit is Migri's
    ("en", "what happens to my visa after graduation", "immigration"),
    ("fi", "mistä haen työluvan", "immigration"),
    ("sv", "hur förlänger jag mitt visum", "immigration"),
    # extra social assistance in residents' words is the supplementary one: the social services'
    ("en", "Kela said no, can I get extra social assistance for my son's glasses?", "social_services"),
]


@pytest.mark.parametrize("language, question, expected", KINDS)
def test_the_kind_of_question_names_who_can_answer(language: str, question: str, expected: str) -> None:
    assert kind_of(question).id == expected


def test_an_entry_marked_inside_matches_the_last_part_of_a_compound() -> None:
    words = folded_words("Onko työttömyystuki verotettavaa? Tukihenkilö kysyy.")
    assert first_match(words, (beginning("*tuki$"),))
    assert not first_match(folded_words("Tukihenkilö kysyy"), (beginning("*tuki$"),))
    assert first_match(folded_words("työkyvyttömyyseläkkeen hakeminen"), (beginning("*eläk"),))
    assert not first_match(folded_words("työkyvyttömyyseläkkeen hakeminen"), (beginning("eläk"),))
    # the mark does not count in how specific an entry is
    assert length(beginning("*eläk")) == length(beginning("eläk")) == 4



@pytest.mark.parametrize("language, question", [
    ("fi", "Jään työttömäksi ensi kuussa, mitä mun pitää tehdä?"),
    ("sv", "Jag är på väg att bli arbetslös. Vad ska jag göra?"),
    ("en", "I'm about to lose my job, what should I do?"),
])
def test_losing_ones_job_gets_the_first_step_for_sure_then_the_contact(language, question):
    from bot.guidance.chat import unknown_reply
    from bot.knowledge import get_knowledge

    kb = get_knowledge()
    reply = unknown_reply(question, language)
    assert reply.text.startswith(kb.text("advice.register_as_job_seeker", language))
    assert kb.text("answer.unknown_question", language) not in reply.text
    assert "tyomarkkinatori.fi" in reply.text and reply.extra == {"contact": "employment_services"}
    assert kb.messages["advice.register_as_job_seeker"].sources  # told as a fact: sourced


def test_other_employment_questions_still_say_they_do_not_know():
    from bot.guidance.chat import unknown_reply
    from bot.knowledge import get_knowledge

    reply = unknown_reply("Can I study full time and keep my unemployment benefit?", "en")
    assert reply.text.startswith(get_knowledge().text("answer.unknown_question", "en"))


def test_advice_must_name_a_sourced_message(tmp_path):
    from bot.guidance.asking import check
    from bot.knowledge import get_knowledge

    text = (Path(__file__).parents[1] / "bot/knowledge/asking.yml").read_text(encoding="utf-8")
    broken = tmp_path / "asking.yml"
    broken.write_text(text.replace("message: advice.register_as_job_seeker", "message: answer.ask_more"),
                      encoding="utf-8")
    assert any("needs a source" in e for e in check(get_knowledge(), broken))


@pytest.mark.parametrize("language, question, contact, address", [
    ("fi", "Miten haen jatkolupaa? Oleskelulupa loppuu keväällä", "immigration", "migri.fi"),
    ("sv", "Var ansöker jag om fortsatt uppehållstillstånd?", "immigration", "migri.fi/sv"),
    ("en", "my residence permit runs out soon, how do I extend it", "immigration", "migri.fi/en"),
    ("fi", "Milloin veronpalautukset maksetaan?", "taxation", "vero.fi"),
    ("sv", "Hur ändrar jag mitt skattekort?", "taxation", "skatt.fi"),
    ("en", "how do I fix my tax return, I forgot some income", "taxation", "tax.fi"),
])
def test_a_matter_outside_the_subject_is_said_to_be_so_with_the_authority(language, question, contact, address):
    """Not "I don't know, ask the social services": the question is outside what the
    assistant knows, and the authority that answers it is named."""
    from bot.guidance.chat import unknown_reply
    from bot.knowledge import get_knowledge

    kb = get_knowledge()
    reply = unknown_reply(question, language)
    assert reply.answer == "out_of_scope" and reply.extra == {"contact": contact}
    assert reply.text.startswith(kb.text("dialogue.out_of_scope", language))
    assert kb.text("answer.unknown_question", language) not in reply.text
    assert address in reply.text


def test_a_tax_question_about_the_benefit_stays_with_kela():
    """Taxes in general are a benefit's question (is the allowance taxable?), not the Tax
    Administration's: only its own matters (a tax return, a tax card) are outside."""
    from bot.guidance.asking import kind_of

    assert kind_of("Onko työmarkkinatuki veronalaista tuloa?").id == "kela"
    assert kind_of("Is the labour market subsidy taxable income?").id == "kela"


def test_outside_must_be_true_or_false(tmp_path):
    from bot.guidance.asking import check
    from bot.knowledge import get_knowledge

    text = (Path(__file__).parents[1] / "bot/knowledge/asking.yml").read_text(encoding="utf-8")
    broken = tmp_path / "asking.yml"
    broken.write_text(text.replace("outside: true", "outside: maybe", 1), encoding="utf-8")
    assert any("outside must be true or false" in e for e in check(get_knowledge(), broken))


def test_a_question_about_the_activity_that_names_a_permit_stays_ours():
    """"Can a foreigner with a residence permit do rehab work activity?" is about the activity:
    not "I can't help with that" with the Immigration Service."""
    from bot.guidance.chat import unknown_reply

    reply = unknown_reply("can foreigner with residence permit do rehab work activity", "en")
    assert reply.answer == "fallback" and "migri" not in reply.text.lower()


@pytest.mark.parametrize("language, question, expected", [
    ("en", "my employer won't extend my contract and my residence permit depends on it, what can I do?",
     "working_life"),
    ("fi", "Oleskelulupani riippuu työpaikasta. Voinko ilmoittautua työnhakijaksi, jos työ loppuu?",
     "employment_services"),
    ("sv", "Mitt uppehållstillstånd går ut, kan jag ändå få arbetsmarknadsstöd från FPA?", "kela"),
])
def test_a_permit_beside_a_matter_of_ours_or_our_neighbours_is_that_matter(language, question, expected):
    """A matter outside the subject (the residence permit) only names the contact when nothing
    else does: its long words would otherwise win every question they appear in."""
    assert kind_of(question).id == expected
