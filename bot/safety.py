"""Safety net for messages about immediate danger or suicide (fi/sv/en).

The intent classifier recognises most such messages, but a miss would be the worst
possible error, so clear phrases are matched here too and always lead to the emergency
answer (112). Matching is on lower-cased text with diacritics optional; it errs on the
side of answering with 112.
"""
from __future__ import annotations

import re
import unicodedata

# Each pattern is a regular expression over lower-case text without diacritics.
PATTERNS = {
    "fi": [
        r"itsemurh", r"\btappaa? itse", r"\btapan itse", r"paatta\w* (paivani|elamani|henkeni)",
        r"\bhaluan kuolla", r"\ben (halua|jaksa) (enaa )?elaa",
        r"\b(satuttaa|satutan|vahingoittaa|vahingoitan|viilla\w*) itse",
        r"hengenvaara", r"hatatilan", r"\b(joku|mieheni|vaimoni|puolisoni|exani) (uhkaa|lyo|satuttaa|pahoinpitelee)",
        # a threat with a weapon or to kill, whoever makes it ("avopuoliso uhkaa mua veitsellä")
        r"\buhka(a|ilee|si|ili) (minua|mua|meita|lapsia|lastani|lapsiani) (\w+ )?"
        r"(veitsella|puukolla|aseella|kirveella|pyssylla|tappaa|tappavansa)\b",
        r"\buhka(a|ilee|si|ili) tappaa (minut|mut|meidat|lapset)\b",
        # someone says or shouts that they will kill the writer ("se huutaa et se tappaa mut");
        # a thing that "tappaa mut" (bores or tires one to death) has no person saying it
        r"\b(sanoo|sano|sanoi|huutaa|huutaen|huusi|karjuu|lupaa|lupasi|aikoo|meinaa)\b.{0,25}"
        r"\btappaa?\w* (minut|mut|meidat|meijat|lapset|lapseni)\b",
        r"\b(han|se|joku|ex\w*|mieheni|poikaystava\w*|puolisoni|naapuri) (aikoo|meinaa|haluaa|yrittaa) "
        r"tappaa (minut|mut|meidat|meijat|lapset|lapseni)\b",
        r"\bhengen?hada", r"\bajattelen (jatkuvasti |koko ajan )?kuolemaa",
        # "teen itselleni jotain" (I'll do something to myself), not something to eat or nice
        r"\bteen itselleni jotain\b(?!\s+(syotava|juotava|ruoka|safka|hyvaa|kivaa|pienta|lamminta|iltapala))",
        r"\b(otin|otti|nielin|nieli|ottanut|ottanu|niellyt|nielly) (kaikki|koko purkin|purkillisen|liikaa|"
        r"koko paketin|koko pakkauksen|koko levyn|kourallisen) "
        r"(\w+ )?\w*(laakk|piller|tablet|napp)", r"\byliannostu",
        # the intention to take all one's pills at once ("ottaisin kaikki lääkkeet kerralla");
        # "otan kaikki lääkkeet aamulla" (I take all my medicines in the morning) is no danger
        r"\b(kaikki|koko purkin|purkillisen) (\w+ )?(laakk|piller|tablet|napp)\w*( \w+)?"
        r" (kerralla|kerrasta|yhdella kertaa|kertaheitolla)\b",
        r"\b(kerralla|yhdella kertaa) (\w+ )?(kaikki|koko purkin|purkillisen) (\w+ )?(laakk|piller|tablet|napp)",
        r"\b(en|ei) (jaksa|halua) (enaa )?(elaa|olla olemassa)\b",
        # "en halua enää herätä" is a wish not to live; "en jaksa herätä aamulla" and a cat that
        # "ei halua herätä" are mornings
        r"\ben (jaksa|halua) enaa herata\b",
        r"\ben (jaksa|halua) herata\b(?! (aamu|aikais|ajoissa|kouluun|toihin|kuntsariin|herat))",
        # not waking up any more as a wish, in the conditional ("ois helpompi kun ei heräis enää
        # ollenkaan", "toivon etten heräisi enää"); "kissa ei herää enää" is no wish
        r"\b(en|ei|etten|ettei|kun en|kun ei|jos en|jos ei) (heraisi|herais|heraisin|heraiskaan)\w* "
        r"(enaa|koskaan|ikina|ollenkaan|huomenna)\b",
        r"\b(hyppaan|hyppaisin|heittaydyn|heittaytyisin) (sillalta|katolta|parvekkeelta|junan alle|auton alle)",
        # someone else about to jump or to kill themselves ("kaveri on hyppäämässä sillalta");
        # "lapset hyppää sillalta uimaan" is summer, not danger
        r"\b(hypata|hyppaa|hyppaamassa|hyppaavansa|heittaytya|heittaytymassa|heittaytyvansa) (alas )?"
        r"(sillalta|katolta|parvekkeelta|ikkunasta|junan alle|auton alle)\b(?! (uimaan|veteen|jarveen|mereen))",
        r"\b(aikoo|uhkaa|uhkailee|meinaa|haluaa|yrittaa) (tappaa|satuttaa|vahingoittaa) itse(nsa|aan)\b",
        r"\bjaahyvaiskirje",
        # indirect words of suicidal thoughts: others better off without me, no reason to live
        r"\b(helpompaa|parempi|paremmin)\b.{0,30}\bjos (mua|minua|ma|mina) ei (olis|olisi|ois)\w*\b",
        r"\bjos (mua|minua) ei (olis|olisi|ois)\w* (ollenkaan|olemassa|enaa)",
        r"\bjos en (olis|olisi|ois)\w* (olemassa|enaa|ollenkaan)\b",
        r"\b(mitaan|yhtaan) syyta (herata|elaa|jatkaa)\b",
        # no sense in living ("ei oo mitään järkeä elää"); "ei oo mitään järkeä tässä kuntsarissa"
        # names no life
        r"\b(ei|ole|oo) (enaa )?(mitaan |yhtaan )?(jarkea|tarkoitusta) (elaa|elaa enaa|jatkaa elamaa)\b",
        r"\ben halua (enaa )?olla (enaa )?olemassa", r"\btoivon (etta|et) (kuolisin|olisin kuollut)",
        r"\bviil[lt]el\w* (itse|kasi|ranne)", r"\b(aion|meinaan|haluan) ottaa (oman )?henkeni",
        # pills named, then the intention to take them all ("mulla on pillerit tässä ja aion
        # ottaa ne kaikki tänä yönä"); "ottaa ne kaikki mukaan" (take them along) is no danger
        r"(laakk|piller|tablet|napp)\w*\b.{0,60}\b(aion|meinaan|taidan|haluan|ajattelin) (ottaa|niella|vetaa|syoda)"
        r" ne kaikki\b(?! (mukaan|mukaani|pois|esille|talteen))",
        # a medical emergency now: not breathing, blue lips, unconscious
        r"\b(ei|eika) (enaa )?hengita\b",
        r"\bhengittaa (tosi|todella|erittain|hyvin) (huonosti|vaivalloisesti|katkonaisesti)",
        r"\bhuulet (on |ovat )?(sinise|sinert)", r"\btajuttoma", r"\b(meni|menetti|menettanyt) tajun",
        r"\brintaki?pu\w*\b.{0,40}\b(puutu|hengit|sateil|kasi)", r"\b(en|ei) saa henkea\b",
        # someone collapsing in front of the writer ("kaveri lyyhistyi ja hengittää oudosti")
        r"\b(lyyhistyi|lyyhahti|romahti maahan|kaatui maahan|pyortyi)\b.{0,60}"
        r"\b((ei|eika) hera|(ei|eika) reagoi|ei vastaa|hengit\w* (oudosti|oudon|kummallisesti|raskaasti|huonosti))",
        r"\bhengittaa (oudosti|kummallisesti|korisevasti)\b",
        # wishing to be dead, ending everything now, a break-in now
        r"\b(olisi|olis|ois)\w* (parempi|helpompaa) (olla )?kuollu", r"\bolisinpa kuollut",
        r"\b(teen|tekisin) (tanaan |nyt |tana yona )?lopun (kaikesta|itsestani|elamastani)",
        r"\blopetan (taman |tan )?kaiken (tana yona|tanaan|nyt)\b",
        r"\b(joku|jotkut|joku mies) (yrittaa|yrittavat|yritti) (murtautua|tunkeutua)",
        # violence against someone else, happening now
        r"\b(lyo|hakkaa|pahoinpitelee|kuristaa|puukottaa|potkii) (vaimoaan|miestaan|puolisoaan|lastaan|lapsiaan|"
        r"lasta|naista|miesta|ihmista|jotakuta|minua|aitia|isaa|siskoa|veljea|aitiaan|isaansa|mua|meita)\b",
    ],
    "sv": [
        r"sjalvmord", r"\bta livet av mig", r"\bvill (do|inte leva)\b", r"\bskadar? mig sjalv", r"livsfara",
        r"nodsituation", r"\bnagon (hotar|slar|skadar) mig", r"\btanker (hela tiden |jamt )?pa doden",
        # a threat with a weapon or to kill, whoever makes it ("min sambo hotar mig med kniv")
        r"\bhota(r|de) (mig|oss|barnen|mina barn) med (en )?(kniv|vapen|pistol|yxa|gevar)",
        r"\bhota(r|de) att doda (mig|oss|barnen)\b",
        # someone says or shouts that they will kill the writer ("han skriker att han ska döda mig");
        # "jobbet kommer att döda mig" (an idiom) has no person saying it
        r"\b(han|hon|de|hen|nagon|exet|exmaken|mannen|sambon|pojkvannen)\b.{0,30}"
        r"\b(ska|kommer att|tanker|vill|hotar att|lovar att|skulle) (doda|morda|sla ihjal) "
        r"(mig|oss|barnen|mina barn)\b",
        # whole words: "gör mig illamående" (makes me feel sick) is no danger
        r"\bgora? (nagot|mig) (at mig sjalv|illa)\b",
        r"\b(tog|svalde|har tagit|har svalt) (alla|en hel burk|en burk|for manga|en hel (forpackning|ask|karta)|"
        r"en hel (forpackning|ask|karta) med|en hel (forpackning|ask|karta) av|en nave|en hand full) "
        r"(\w+ )?(tabletter|piller|mediciner)",
        # not waking up any more as a wish ("det vore lättare om jag inte vaknade mer")
        r"\b(om jag|att jag) (inte|aldrig) (vaknade|vaknar|skulle vakna) (mer|igen|nagonsin|alls|i morgon)\b",
        r"\boverdos",
        r"\borkar (inte|int|ej) (langre |mer )?leva\b",
        r"\bgora slut pa (mig( sjalv)?|mitt liv|livet)\b", r"\b(tanker|ska|vill|kommer att) gora slut pa (det|allt)\b",
        r"\bta mitt (eget )?liv\b", r"\bavskedsbrev",
        # someone else about to jump or to take their life ("han står på bron och ska hoppa")
        r"\bta livet av sig\b", r"\bta sitt (eget )?liv\b",
        r"\b(hoppa|hoppar) (fran|ner fran|ut fran|ut genom) (bron|taket|balkongen|fonstret)\b(?! (och bada|i vattnet))",
        r"\b(pa|vid) (bron|taket|kanten|racket)\b.{0,60}\b(ska|tanker|vill|kommer att|hotar att) hoppa\b",
        r"\b(battre|lattare) for (alla|er|dem|min familj|familjen|mina barn)\b.{0,20}\butan mig\b",
        r"\butan mig (vore|blir|skulle) (det |allt |alla )?(\w+ )?(battre|lattare)\b",
        r"\bingen (mening|anledning) (att|med att) (leva|vakna|fortsatta)\b",
        r"\bingen ide (att|med att) (leva|vakna|fortsatta leva)\b",
        r"\b(gett|gav) bort (allt|det mesta|alla mina saker|mina saker)",
        r"\bvill inte finnas (langre|mer)\b", r"\bonskar (att )?jag (var|vore) dod", r"\bskar mig sjalv",
        r"\bavsluta mitt (eget )?liv",
        r"\b(tanker|ska|vill) (ta|svalja) (alla|en hel burk|hela burken) (mina )?(tabletter|piller|mediciner)\b"
        r"(?! med)",
        r"\b(alla|en hel burk|hela burken) (mina )?(tabletter|piller|mediciner) pa en (och samma )?gang",
        r"(tablett|piller|medicin)\w*\b.{0,60}\b(tanker|ska|vill|kommer att)( jag)? (ta|svalja) "
        r"(alla|dem alla|allihop)\b"
        r"(?! (med|med mig))",
        r"\b(andas|andades) (inte|int|ej|knappt)\b",
        # someone collapsing in front of the writer ("en kille föll ihop o andas konstigt")
        r"\b(han|hon|nagon|en (kille|man|kvinna|tjej|pojke|flicka|kollega|deltagare|arbetskamrat)|"
        r"min (man|fru|son|dotter|bror|syster|mamma|pappa|kompis|van|sambo|kollega)) (plotsligt |just )?"
        r"(foll|har fallit|segnade|segnar) ihop\b", r"\b(andas|andades) (konstigt|konstig|rosslande|tungt och)",
        r"\b(blaa|bla) (lappar|lapparna)\b", r"\bmedvetslos",
        r"\bont i brostet\b.{0,40}\b(andas|andning|domnar|armen)", r"\bkan (inte|int|ej) andas\b(?! ut)",
        r"\b(vore|ar|var) (det )?battre (om jag (var|vore)|att vara) dod",
        r"\bnagon (forsoker|haller pa att) bryta sig in",
        r"\b(slar|misshandlar|sparkar) (mamma|pappa|min mamma|min pappa|min syster|min bror|oss)\b",
        r"\b(slar|misshandlar|stryper|knivhugger|sparkar) (sin fru|sin man|sin partner|sitt barn|sina barn|barnet|"
        r"en kvinna|en man|nagon|mig)\b",
    ],
    "en": [
        r"suicid", r"\bkill(ing)? myself", r"\bend(ing)? (my|it) (life|all)\b", r"\bwant to die\b",
        r"\bdon'?t want to (live|be alive)", r"\b(hurt|harm)(ing)? myself", r"self[- ]harm",
        r"\b(i am|i'm|im) in danger", r"\b(someone|somebody) is (hurting|threatening|attacking) me",
        # a threat with a weapon or to kill, whoever makes it ("my boyfriend is threatening me with a knife")
        r"\bthreaten\w* (me|us|my (kids|children|son|daughter)) with (a |his |her )?(knife|gun|weapon|axe)",
        r"\bthreaten\w* to kill (me|us|my (kids|children|son|daughter))\b",
        # someone says or shouts that they will kill the writer ("he is screaming that he'll kill
        # me"); "this job is killing me" and "my back is killing me" have no person saying it
        r"\b(he|she|they|someone|somebody)( is| are|'s|'re)? (going to|gonna|will|wants to|trying to|"
        r"about to) kill (me|us|my (kids|children|son|daughter))\b",
        r"\b(he|she|they)('ll| will|'d| would) kill (me|us|my (kids|children|son|daughter))\b",
        r"life[- ]threatening", r"\bthink(ing)? about (death|dying)\b",
        r"\b(is|are) (hitting|beating|attacking|stabbing|strangling|choking|kicking) (his|her|their|a|the|someone|"
        r"somebody|me|my (wife|husband|partner|mother|mom|father|dad|child|kid|son|daughter|sister|brother|friend))\b",
        r"\bbeing (beaten|attacked|stabbed|strangled)\b",
        r"\b(swallowed|took|taken|has taken|have taken) "
        r"(a whole|the whole|a|all|all the|all his|all her|all my|too many) "
        r"(bottle of |box of |of )?(pills|tablets|medicine|meds)",
        # "swallowed a whole pack of pills", "took a handful of sleeping pills"
        r"\b(swallowed|took|taken) (a whole|the whole|an entire|all (of )?(his|her|my|their|the)) "
        r"(pack|packet|strip|jar|bottle|box) of (\w+ )?(pills|tablets|medicine|meds|painkillers)",
        r"\b(swallowed|took|taken) (a handful|handfuls) of (\w+ )?(pills|tablets|meds|painkillers)",
        # not waking up any more as a wish ("it would be easier if I just didn't wake up")
        r"\b(easier|better)\b.{0,30}\bif i (just )?(didn'?t|did not|never|wouldn'?t|would not) wake up"
        r"( again| anymore| any more| ever again| tomorrow| at all)?\s*([.!,;]|$)",
        r"\b(wish|hope) i (don'?t|didn'?t|won'?t|wouldn'?t|would not|never|could just not) wake up"
        r"( again| anymore| any more| ever again| tomorrow| at all)?\s*([.!,;]|$)",
        r"\boverdos", r"\bdo something to myself\b",
        r"\b(going to|gonna|want to|wanna|will|thinking (of|about)) (take|taking|swallow|swallowing) "
        r"(all|all of|all my|the whole|a whole) (bottle of |box of |of )?(my )?(pills|tablets|meds|medicine)",
        r"\b(all|all of) my (pills|tablets|meds) at once\b",
        r"\bcan'?t (go on|keep) living\b", r"\bno (reason|point) (to|in) (live|living|going on)\b",
        r"\b(going to|gonna|will) end it (all )?(tonight|today|now)\b",
        r"\bbetter off without me\b",
        r"\bno (reason|point) (to|in) (wake|waking) up( anymore| at all| again)?\s*([.!,]|$)",
        r"\b(given|gave) away (most of |all of )?(my|all my) (stuff|things|belongings)\b",
        r"\bsuicide note\b", r"\bgoodbye letter\b",
        r"\bwish i (was|were) dead\b", r"\bdon'?t want to exist\b",
        r"\bi('ve| have)? (cut|cutting|been cutting) myself( again| every| when| on purpose|\s*[.!,]|$)",
        r"\btake (my|his|her|their) (own )?life\b",
        # someone else about to jump or to kill themselves ("he is on the bridge and going to jump")
        r"\b(going to|gonna|about to|wants to|want to|will|threaten\w* to|trying to|tried to) "
        r"(kill|hurt|harm) (himself|herself|themselves|themself)\b",
        r"\bjump(ing)? (off|from) (the|a|my|his|her|their) (bridge|roof|rooftop|balcony|building|window|ledge|cliff)\b",
        r"\b(on|at|to) (the|a) (bridge|roof|rooftop|ledge|balcony)\b.{0,60}"
        r"\b(going to|gonna|about to|will|wants to|threaten\w* to) jump\b",
        r"(pills|tablets|meds|medicine)\b.{0,60}\b(going to|gonna|will|want to) (take|swallow) (them all|all of them)\b"
        r"(?! (with|along))",
        r"\b(is|are|he'?s|she'?s|they'?re) not breathing\b", r"\b(isn'?t|aren'?t|stopped) breathing\b",
        r"\bbarely breathing\b", r"\b(lips are|lips turned|lips have turned) (blue|purple)\b", r"\bblue lips\b",
        r"\b(is|are|he'?s|she'?s|they'?re|lying|lies) unconscious\b",
        r"\bpassed out and (won'?t|doesn'?t|can'?t|will not|does not) wake",
        # someone collapsing in front of the writer ("a guy just collapsed and breathes weirdly")
        r"\b(he|she|someone|somebody|a (guy|man|woman|girl|boy|colleague|participant)|my (dad|father|mom|mum|"
        r"mother|husband|wife|son|daughter|brother|sister|friend|partner|colleague|boyfriend|girlfriend))\b"
        r"[^.!?]{0,40}\b(collapsed|fainted|passed out)\b(?! (from|of|with) (laughter|laughing))",
        r"\bbreathing (strangely|weirdly|weird|funny|oddly)\b",
        r"\bchest pain\b.{0,40}\b(arm|numb|breath|breathe)", r"\b(can'?t|cannot|can not) breathe\b(?! a word)",
        r"\bbetter off dead\b", r"\b(someone|somebody) is (trying to )?break(ing)? in(to)?\b",
    ],
}
_COMPILED = re.compile("|".join(f"(?:{p})" for patterns in PATTERNS.values() for p in patterns))

# Words of hopelessness that are common in complaints too ("en jaksa tätä kuntsaria", "I don't
# see the point of this activity") are danger only together with a sign of acting on it now:
# farewell messages written, standing on a roof or a bridge, "it ends today", pills saved up.
HOPELESS = {
    "fi": r"\b(en|ei) (jaksa|kesta)\b|\b(en|ei) nae (enaa )?(mitaan )?jarkea\b|\bkaikki on turhaa\b",
    "sv": r"\borkar (inte|int|ej)\b|\bser (ingen|inte nagon) mening\b|\bingen mening (langre|med nagot)",
    "en": r"\b(don'?t|do not|can'?t) see (the|any) point (anymore|in (living|anything|going on))\b"
          r"|\bno point anymore\b|\bcan'?t (take|do) (it|this) anymore\b|\bnothing matters anymore\b"
          r"|\b(texted|messaged|sent|wrote) (me )?(a )?(goodbye|farewell)\b",
}
ACTING_NOW = {
    "fi": r"\b(tanaan|tana yona|tana iltana) (kaikki |se )?loppuu\s*([.!,;]|$)"
          r"|\b(kaikki|se) loppuu (tanaan|tana yona|tana iltana)\s*([.!,;]|$)"
          r"|\b(viestit|kirjeet|kirjeen|viestin)\b.{0,15}\bvalmii"
          r"|\b(seison|istun|kiipesin|olen) (nyt )?(katolla|sillalla|kaiteella|kaiteen paalla|raiteilla)\b"
          r"|\b(keranny|kerannyt|kerannut|saastanyt|saastany) (\w+ )?"
          r"(laakkeita|pillereita|tabletteja|nappeja)"
          # how to make it all end ("mietin vaan miten saisin tän kaiken loppumaan")
          r"|\b(saisin|saan|saada|voisin) (taman|tan|ta) (kaiken|elaman) (loppumaan|paattymaan)\s*([.!,;]|$)",
    "sv": r"\b(i kvall|i natt|idag) (tar det|ar det) slut\b"
          r"|\b(star|sitter|klattrat upp) (nu )?pa (taket|bron|racket|kanten|sparet)\b"
          r"|\b(samlat|sparat) (pa )?(mina )?(tabletter|piller|mediciner)"
          r"|\b(fa|far) (allt|alltihop|det hela|livet) att (ta slut|sluta)\b",
    "en": r"\b(standing|sitting|climbed|i'?m) (right now )?on (the|a|my|top of the) "
          r"(ledge|edge|railing|roof|rooftop|bridge|"
          r"tracks)\b|\b(standing|sitting) on (the|a|my) balcony\b.{0,40}\b(floor|right now|railing|high)\b"
          r"|\b(goodbye|farewell) (letters|notes|messages)\b"
          r"|\b(letters|notes) (to|for) (my )?(family|kids|children|parents|mom|dad|everyone)\b"
          r".{0,20}\b(ready|written)\b"
          r"|\b(saved|collected|hoarded|been saving|been collecting) (up )?(my )?(pills|tablets|meds)\b"
          r"|\bit ends (tonight|today)\b"
          r"|\b(make|making) (it|this|everything) (all )?(stop|end) (for good|forever)\b"
          r"|\b(how to|how i could|how i can|how do i) (make )?(it all|everything) (stop|end)\b",
}
_HOPELESS = re.compile("|".join(f"(?:{p})" for p in HOPELESS.values()))
_ACTING_NOW = re.compile("|".join(f"(?:{p})" for p in ACTING_NOW.values()))
# "Who pays if I hurt myself there?" is a question about an accident, not about self-harm: in a
# message about insurance, pay or the workplace, a hurt-oneself phrase right after "if" is left
# out before matching ("jos satutan itseni taas tänä yönä" still is an emergency).
_ACCIDENT_CONTEXT = re.compile(
    r"vakuut|korvaa|korvau|maksaa|maksa[av]|tapaturm|tyotoimin|kuntouttav|tyopaik|verstaa|"
    r"forsakr|betala|ersatt|olycks|arbetsverksamhet|verkstad|arbetsplats|"
    r"insur|\bpays?\b|\bcover|accident|\bwork|\bthere\b"
)
_ACCIDENT = re.compile(
    r"\b(jos|jos ma|jos mina|mikali|om|ifall|if|in case|what if)\b( \w+){0,2} "
    r"(satutan itseni|satutan itseani|loukkaan itseni|vahingoitan itseni|gor mig illa|skadar mig( sjalv)?|"
    r"hurt myself|injure myself|get hurt)"
)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_emergency(text: str) -> bool:
    """True when the message clearly speaks of immediate danger or suicide."""
    if not text or text.startswith("/"):
        return False
    folded = _fold(text)
    if _ACCIDENT_CONTEXT.search(folded):
        folded = _ACCIDENT.sub(" ", folded)
    return _COMPILED.search(folded) is not None or (
        _HOPELESS.search(folded) is not None and _ACTING_NOW.search(folded) is not None)
