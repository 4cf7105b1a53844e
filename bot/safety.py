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
        r"\bhengen?hada", r"\bajattelen (jatkuvasti |koko ajan )?kuolemaa",
        # "teen itselleni jotain" (I'll do something to myself), not something to eat or nice
        r"\bteen itselleni jotain\b(?!\s+(syotava|juotava|ruoka|safka|hyvaa|kivaa|pienta|lamminta|iltapala))",
        r"\b(otin|otti|nielin|nieli|ottanut|niellyt) (kaikki|koko purkin|purkillisen|liikaa) "
        r"(laakkeet|pillerit|laakkeita|pillereita|tabletit|tabletteja)", r"\byliannostu",
        # violence against someone else, happening now
        r"\b(lyo|hakkaa|pahoinpitelee|kuristaa|puukottaa|potkii) (vaimoaan|miestaan|puolisoaan|lastaan|lapsiaan|"
        r"lasta|naista|miesta|ihmista|jotakuta|minua)",
    ],
    "sv": [
        r"sjalvmord", r"\bta livet av mig", r"\bvill (do|inte leva)\b", r"\bskada mig sjalv", r"livsfara",
        r"nodsituation", r"\bnagon (hotar|slar|skadar) mig", r"\btanker (hela tiden |jamt )?pa doden",
        # whole words: "gör mig illamående" (makes me feel sick) is no danger
        r"\bgora? (nagot|mig) (at mig sjalv|illa)\b",
        r"\b(tog|svalde|har tagit|har svalt) (alla|en hel burk|en burk|for manga) (tabletter|piller|mediciner)",
        r"\boverdos",
        r"\b(slar|misshandlar|stryper|knivhugger|sparkar) (sin fru|sin man|sin partner|sitt barn|sina barn|barnet|"
        r"en kvinna|en man|nagon|mig)\b",
    ],
    "en": [
        r"suicid", r"\bkill(ing)? myself", r"\bend(ing)? (my|it) (life|all)\b", r"\bwant to die\b",
        r"\bdon'?t want to (live|be alive)", r"\b(hurt|harm)(ing)? myself", r"self[- ]harm",
        r"\b(i am|i'm|im) in danger", r"\b(someone|somebody) is (hurting|threatening|attacking) me",
        r"life[- ]threatening", r"\bthink(ing)? about (death|dying)\b",
        r"\b(is|are) (hitting|beating|attacking|stabbing|strangling|choking|kicking) (his|her|their|a|the|someone|"
        r"somebody|me|my (wife|husband|partner|mother|mom|father|dad|child|kid|son|daughter|sister|brother|friend))\b",
        r"\bbeing (beaten|attacked|stabbed|strangled)\b",
        r"\b(swallowed|took|taken|has taken|have taken) "
        r"(a whole|the whole|a|all|all the|all his|all her|all my|too many) "
        r"(bottle of |box of |of )?(pills|tablets|medicine|meds)",
        r"\boverdos", r"\bdo something to myself\b",
    ],
}
_COMPILED = re.compile("|".join(f"(?:{p})" for patterns in PATTERNS.values() for p in patterns))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_emergency(text: str) -> bool:
    """True when the message clearly speaks of immediate danger or suicide."""
    return bool(text) and not text.startswith("/") and _COMPILED.search(_fold(text)) is not None
