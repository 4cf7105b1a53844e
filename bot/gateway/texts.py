"""What the gateway itself says to residents (errors, limits), in Finnish, Swedish and English,
and how it picks the language: the request's ``language``, else Accept-Language, else Finnish.

The bot's own answers and the human contacts come from the knowledge base; these are only
the gateway's messages about the request itself.
"""
from __future__ import annotations

from bot.language.tags import DEFAULT_LANGUAGE, normalise_language_tag

TEXTS = {
    "empty": {
        "fi": "Kirjoita viesti ennen lähettämistä.",
        "sv": "Skriv ett meddelande innan du skickar.",
        "en": "Please type a message before sending.",
    },
    "too_long": {
        "fi": "Viesti on liian pitkä. Kirjoita enintään {limit} merkkiä.",
        "sv": "Meddelandet är för långt. Skriv högst {limit} tecken.",
        "en": "The message is too long. Please write at most {limit} characters.",
    },
    "control_characters": {
        "fi": "Viestissä on merkkejä, joita ei voi käsitellä. Kirjoita viesti uudelleen tavallisin merkein.",
        "sv": "Meddelandet innehåller tecken som inte kan behandlas. Skriv meddelandet igen med vanliga tecken.",
        "en": "The message contains characters that cannot be processed. "
              "Please type it again using ordinary characters.",
    },
    "symbol_run": {
        "fi": "Viestissä on liian pitkä rivi merkkejä ilman sanoja. Kirjoita viesti sanoin.",
        "sv": "Meddelandet har en för lång rad tecken utan ord. Skriv meddelandet med ord.",
        "en": "The message has too long a row of symbols without words. Please write it in words.",
    },
    "invalid_json": {
        "fi": "Pyyntöä ei voitu lukea: se ei ole kelvollista JSONia.",
        "sv": "Begäran kunde inte läsas: den är inte giltig JSON.",
        "en": "The request could not be read: it is not valid JSON.",
    },
    "not_object": {
        "fi": "Pyynnön pitää olla JSON-objekti, esimerkiksi {example}.",
        "sv": "Begäran ska vara ett JSON-objekt, till exempel {example}.",
        "en": "The request must be a JSON object, for example {example}.",
    },
    "field_missing": {
        "fi": "Kenttä ”{field}” puuttuu.",
        "sv": "Fältet ”{field}” saknas.",
        "en": "The field “{field}” is missing.",
    },
    "field_type": {
        "fi": "Kentän ”{field}” arvo on väärän tyyppinen: odotettiin {expected}.",
        "sv": "Fältet ”{field}” har fel typ: {expected} förväntades.",
        "en": "The field “{field}” has the wrong type: expected {expected}.",
    },
    "field_unknown": {
        "fi": "Kenttää ”{field}” ei tunneta.",
        "sv": "Fältet ”{field}” är okänt.",
        "en": "The field “{field}” is not known.",
    },
    "field_invalid": {
        "fi": "Kentän ”{field}” arvo ei kelpaa: odotettiin {expected}.",
        "sv": "Värdet i fältet ”{field}” är ogiltigt: {expected} förväntades.",
        "en": "The value of “{field}” is not valid: expected {expected}.",
    },
    "metadata_too_large": {
        "fi": "Kenttä ”metadata” on liian suuri: enintään {keys} avainta ja {size} tavua.",
        "sv": "Fältet ”metadata” är för stort: högst {keys} nycklar och {size} byte.",
        "en": "The field “metadata” is too large: at most {keys} keys and {size} bytes.",
    },
    "body_too_large": {
        "fi": "Pyyntö on liian suuri.",
        "sv": "Begäran är för stor.",
        "en": "The request is too large.",
    },
    "rate_limited": {
        "fi": "Liian monta viestiä lyhyessä ajassa. Odota {seconds} s ja yritä sitten uudelleen.",
        "sv": "För många meddelanden på kort tid. Vänta {seconds} s och försök sedan igen.",
        "en": "Too many messages in a short time. Please wait {seconds} s and try again.",
    },
    "busy": {
        "fi": "Edellinen viestisi on vielä käsittelyssä. Odota hetki ja yritä uudelleen.",
        "sv": "Ditt förra meddelande behandlas fortfarande. Vänta en stund och försök igen.",
        "en": "Your previous message is still being processed. Please wait a moment and try again.",
    },
    "unavailable": {
        "fi": "Neuvontabotti ei juuri nyt vastaa. Yritä hetken päästä uudelleen.",
        "sv": "Rådgivningsboten svarar inte just nu. Försök igen om en stund.",
        "en": "The guidance bot is not answering right now. Please try again in a moment.",
    },
    "not_found": {
        "fi": "Sivua tai tietoa ei löydy.",
        "sv": "Sidan eller uppgiften finns inte.",
        "en": "The page or item was not found.",
    },
    "service_not_found": {
        "fi": "Palvelua ”{id}” ei löydy.",
        "sv": "Tjänsten ”{id}” finns inte.",
        "en": "There is no service “{id}”.",
    },
    "method_not_allowed": {
        "fi": "Tätä pyyntötapaa ei tueta tässä osoitteessa.",
        "sv": "Den här metoden stöds inte på den här adressen.",
        "en": "This method is not supported at this address.",
    },
}

# What a field should hold, for the "expected ..." part of the messages above.
EXPECTED = {
    "text": {"fi": "tekstiä", "sv": "text", "en": "text"},
    "object": {"fi": "JSON-objekti", "sv": "ett JSON-objekt", "en": "a JSON object"},
    "list": {"fi": "lista", "sv": "en lista", "en": "a list"},
    "scalar": {"fi": "teksti, luku tai totuusarvo", "sv": "text, tal eller sanningsvärde",
               "en": "text, a number or true/false"},
    "language": {"fi": "fi, sv tai en", "sv": "fi, sv eller en", "en": "fi, sv or en"},
    "date": {"fi": "päivämäärä muodossa VVVV-KK-PP", "sv": "ett datum i formen ÅÅÅÅ-MM-DD",
             "en": "a date in the form YYYY-MM-DD"},
    "date_from": {"fi": "päivämäärä {date} tai myöhemmin (sitä ennen oppaalla ei ole sääntöjä)",
                  "sv": "ett datum {date} eller senare (före det har guiden inga regler)",
                  "en": "a date on or after {date} (the guide has no rules before it)"},
    "age": {"fi": "ikä kokonaislukuna {low}–{high}", "sv": "ålder som ett heltal {low}–{high}",
            "en": "an age as a whole number {low}–{high}"},
    "yes_no": {"fi": "kyllä tai ei (true/false)", "sv": "ja eller nej (true/false)", "en": "yes or no (true/false)"},
    "one_of": {"fi": "jokin näistä: {values}", "sv": "ett av följande: {values}", "en": "one of: {values}"},
    "municipality": {"fi": "suomalaisen kunnan nimi", "sv": "namnet på en finländsk kommun",
                     "en": "the name of a Finnish municipality"},
    "field_names": {"fi": "kenttien nimiä: {values}", "sv": "fältnamn: {values}", "en": "field names: {values}"},
}


def text(key: str, language: str, **params: object) -> str:
    return TEXTS[key][language].format(**params)


def expected(kind: str, language: str, **params: object) -> str:
    return EXPECTED[kind][language].format(**params)


def from_accept_language(header: str | None) -> str | None:
    """The best supported language in an Accept-Language header (q-values respected)."""
    if not header or len(header) > 500:
        return None
    ranked = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        code = normalise_language_tag(tag)
        if code and quality > 0:
            ranked.append((-quality, position, code))
    return min(ranked)[2] if ranked else None


def pick_language(explicit: object | None, accept_language: str | None = None) -> str:
    """The language for the gateway's own messages to this request."""
    if isinstance(explicit, str):
        code = normalise_language_tag(explicit[:40])
        if code:
            return code
    return from_accept_language(accept_language) or DEFAULT_LANGUAGE
