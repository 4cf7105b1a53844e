"""Redaction of personal data that residents type into the chat.

``redact(text)`` replaces, with language-neutral tokens:

* ``[HETU]``    Finnish personal identity codes (henkilötunnus) DDMMYYCZZZQ with every
  century sign (``+``; ``-`` and the 2023 additions ``Y X W V U`` for the 1900s; ``A`` and
  ``B C D E F`` for the 2000s; a typed en dash or minus sign counts as ``-``). The date
  part must be a real date; the check character is **not** required to be right,
  because a mistyped code is still personal data. Codes typed without the century sign
  or with a space instead (``010190 123A``) count only when the check character is right.
* ``[PHONE]``   phone numbers: Finnish national forms (``040 123 4567``, ``0401234567``,
  ``09 310 12345``, ``(09) 3101 2345``, ``0295 020 701``, ``040-123 45 67``) and
  international ones (``+358 40 123 4567``, ``+358 (0)40 ...``, ``00358 ...``,
  ``+46 70 123 45 67``). Ages, years, law numbers (``189/2001``), dates (``30.4.2021``),
  times (``9.00–11.00``), postcodes alone (``00440``) and durations (``3–24``) are not
  phone numbers: a national number starts with 0 (not 00), has 7–11 digits, at most 8
  after the area code and at least one group of three or more digits; dots and slashes
  never join groups.
* ``[EMAIL]``   e-mail addresses.
* ``[IBAN]``    ``FI`` + 16 digits (spaces anywhere, any check digits: a mistyped
  account number is still personal data), and other countries' IBANs of their
  registered length that pass the mod-97 check.
* ``[ADDRESS]`` street addresses with a number: a Finnish or Swedish street name ending
  in a street word (-tie, -katu, -kuja, -polku, -raitti, -tori, -väylä, -kaari, -rinne,
  -puisto, -ranta, -aukio, ..., -gatan, -vägen, -gränd, -stigen, ...; also the Finnish
  "-tiellä/-kadulla" forms; Esplanadi/Bulevardi on their own) followed by a house number
  (``12``, ``6a``, ``26–28``) and an optional staircase/apartment (``B 34``, ``J``,
  ``as. 5``, ``lgh 1102``), and English addresses (``12 Baker Street``,
  ``Baker Street 12``). A number followed by a unit (``3 vuotta``, ``2 krt``, ``5 €``)
  is not a house number.

Only what the **resident** typed is redacted (the tracker store applies this to user
events); the assistant's own messages name service addresses and phone numbers and are
stored as they are.

Guarantees (property-tested in tests/test_redact.py): never raises, idempotent
(``redact(redact(x)) == redact(x)``), output longer than the input by at most one token
length per token, text without a digit or ``@`` returned unchanged (and fast). Free-text
health details cannot be recognised by patterns: they are protected by retention, the
"forget me" command and by not logging message text at all (see README.md here).
"""
from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from typing import NamedTuple

HETU = "[HETU]"
PHONE = "[PHONE]"
EMAIL = "[EMAIL]"
IBAN = "[IBAN]"
ADDRESS = "[ADDRESS]"
TOKENS = (HETU, PHONE, EMAIL, IBAN, ADDRESS)
MAX_TOKEN_LENGTH = max(len(t) for t in TOKENS)

# When two findings overlap they are merged into one redaction named after the more
# specific kind (lower number).
_PRIORITY = {EMAIL: 0, IBAN: 1, HETU: 2, PHONE: 3, ADDRESS: 4}


class Span(NamedTuple):
    start: int
    end: int
    token: str


# Every pattern needs a digit, except e-mail which needs "@".
_MAY_CONTAIN = re.compile(r"[\d@]")

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"  # - ‐ ‑ ‒ – — −
_SP = "[ \u00a0]"  # a space inside a number or an address (never a line break)

# --------------------------------------------------------------------------- henkilötunnus

_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_HETU_RE = re.compile(
    r"(?<!\d)(?P<d>\d\d)(?P<m>\d\d)(?P<y>\d\d)"
    r"(?:(?P<sign>[+" + _DASHES + r"ABCDEFYXWVUabcdefyxwvu])|" + _SP + r"?)"
    r"(?P<n>\d\d\d)(?P<q>[0-9A-Za-z])(?![0-9])"
)


def _valid_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def hetu_check_char(ddmmyy: str, individual: str) -> str:
    """The check character of a henkilötunnus (the century sign does not take part)."""
    return _HETU_CHECK[int(ddmmyy + individual) % 31]


def _hetu_spans(text: str, runs: list[tuple[int, int]]) -> list[Span]:
    spans = []
    for start, end in runs:
        # DDMMYY then a sign or a space (run of 6), or no separator (run of 9 or 10)
        if end - start not in (6, 9, 10):
            continue
        m = _HETU_RE.match(text, start)
        if m is None:
            continue
        day, month, yy = int(m["d"]), int(m["m"]), int(m["y"])
        sign = m["sign"]
        if sign is not None:
            s = sign.upper()
            century = 1800 if s == "+" else 2000 if s in "ABCDEF" else 1900
            ok = _valid_date(century + yy, month, day)
        else:
            ok = (_valid_date(1900 + yy, month, day) or _valid_date(2000 + yy, month, day)) and (
                hetu_check_char(m["d"] + m["m"] + m["y"], m["n"]) == m["q"].upper()
            )
        if ok:
            spans.append(Span(m.start(), m.end(), HETU))
    return spans


# --------------------------------------------------------------------------- phone numbers

# A run of digit groups that may be a phone number: groups joined by one space, a dash
# (with optional spaces around it) or nothing next to a parenthesis. Dots, slashes,
# commas and colons never join groups (dates, law numbers, decimals, times).
_PHONE_SEP = rf"(?:{_SP}?[{_DASHES}]{_SP}?|{_SP}|(?<=\))|(?=\())"
_PHONE_RUN = re.compile(rf"(?P<plus>\+{_SP}?)?(?P<body>\(?\d+\)?(?:{_PHONE_SEP}\(?\d+\)?)*)")
_PIECE = re.compile(r"\(?(\d+)\)?")
# "01-02-2025", "1–2–25": a date written with dashes
_DATE_LIKE = re.compile(rf"\d{{1,2}}[{_DASHES}]\d{{1,2}}[{_DASHES}](?:\d\d|(?:19|20)\d\d)")
# A short last group followed by an age word is an age, not part of the number.
_AGE_AFTER = re.compile(
    r"[ \u00a0]*-?(?:v\b|vuo|vee\b|år\b|ar\b|years?\b|yrs?\b|y/?o\b|-?åring)", re.IGNORECASE
)


class _Piece(NamedTuple):
    start: int  # in text, including a parenthesis
    end: int
    digits: str


def _international_ok(digits: str, plus: bool) -> bool:
    if digits.startswith("358"):
        nsn = digits[3:]
        if nsn.startswith("0"):  # "+358 040 ..." typed with the trunk zero
            nsn = nsn[1:]
        return (5 if plus else 8) <= len(nsn) <= 10
    return plus and 8 <= len(digits) <= 15


def _longest_number(pieces: list[_Piece], kind: str) -> int:
    """How many pieces (from the start) form the longest valid number; 0 if none.

    National: 7-11 digits, at most 8 after a separate area code of up to 4 digits, and
    at least one group of 3+ digits (so "08-16 17-20" is not a number). International:
    +358 with 5-10 digits after the country code (8-10 without the "+"), other
    countries 8-15 digits in all."""
    joined = "".join(p.digits for p in pieces)
    first = len(pieces[0].digits)
    best = total = 0
    has_long_group = False
    for count, piece in enumerate(pieces, 1):
        size = len(piece.digits)
        total += size
        has_long_group = has_long_group or size >= 3
        if kind == "national":
            if total > 11:
                break
            ok = total >= 7 and has_long_group and not (count > 1 and first <= 4 and total - first > 8)
        else:
            digits = joined[2:total] if kind == "00" else joined[:total]
            if len(digits) > 15:
                break
            ok = _international_ok(digits, kind != "358")
        if ok:
            best = count
    return best


def _phone_kind(first: _Piece, plus: bool, text: str) -> str | None:
    if plus:
        return "plus"
    if first.digits.startswith("00"):
        return "00"
    if first.digits.startswith("0"):
        return "national"
    if first.digits.startswith("358") and text[first.start] != "(":
        return "358"
    return None


def _phone_end(text: str, pieces: list[_Piece], plus: bool) -> int:
    """End offset of a phone number made of the first of ``pieces`` onwards (0: none)."""
    kind = _phone_kind(pieces[0], plus, text)
    if kind is None:
        return 0
    if kind != "national" and len(pieces) > 1 and pieces[1].digits == "0" and text[pieces[1].start] == "(":
        # "+358 (0)40 ...": the bracketed trunk zero is not part of the number
        pieces = [pieces[0], *pieces[2:]]
    if kind == "00" and len(pieces) > 1 and len(pieces[0].digits) == 5 and pieces[1].digits.startswith("0") \
            and not pieces[0].digits.startswith("00358"):
        return 0  # "00440 040 ...": a postcode followed by a national number
    count = _longest_number(pieces, kind)
    # "040 123 4567 45v": a short last group followed by an age word is an age
    while count > 1 and len(pieces[count - 1].digits) <= 3 and _AGE_AFTER.match(text, pieces[count - 1].end):
        count = _longest_number(pieces[:count - 1], kind)
    if count == 0:
        return 0
    end = pieces[count - 1].end
    following = text[end:end + 1]
    if following.isalnum() or following == "@" or _DATE_LIKE.fullmatch(text, pieces[0].start, end):
        return 0
    return end


def _pieces(text: str, run: re.Match[str]) -> list[_Piece]:
    body_start = run.start("body")
    pieces = []
    for p in _PIECE.finditer(run["body"]):
        whole = p.group(0)
        bracketed = whole.startswith("(") and whole.endswith(")")
        start = body_start + (p.start() if bracketed else p.start(1))
        end = body_start + (p.end() if bracketed else p.end(1))
        pieces.append(_Piece(start, end, p.group(1)))
    return pieces


def _phone_spans(text: str, runs: list[tuple[int, int]]) -> list[Span]:
    spans: list[Span] = []
    for start, _ in runs:
        if spans and start < spans[-1].end:
            continue
        # Where a number could begin: "+", "(0", or a digit group starting 0 or 358.
        begin, before = start, text[start - 1:start]
        if before == "(":
            begin -= 1
        elif before == "+" or (before in (" ", "\u00a0") and text[start - 2:start - 1] == "+"):
            begin = text.rindex("+", 0, start)
        elif not (text.startswith("0", start) or text.startswith("358", start)):
            continue
        if begin > 0 and (text[begin - 1].isalnum() or text[begin - 1] in "_+"):
            continue  # inside a word or a longer number
        run = _PHONE_RUN.match(text, begin)
        if run is None:
            continue
        plus = run["plus"] is not None
        pieces = _pieces(text, run)
        if not pieces:
            continue
        end = _phone_end(text, pieces, plus)
        if end:
            begin = run.start() if plus else pieces[0].start
            if text[begin] == "(" and end == pieces[0].end:
                begin, end = begin + 1, end - 1  # "(0401234567)": the brackets are not part of it
            spans.append(Span(begin, end, PHONE))
    return spans


# --------------------------------------------------------------------------- e-mail

_EMAIL_RE = re.compile(
    r"(?<![\w.+%-])[\w.+%-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})*\.[^\W\d_]{2,24}(?![\w-])"
)


def _email_spans(text: str, runs: list[tuple[int, int]]) -> list[Span]:
    if "@" not in text:
        return []
    return [Span(m.start(), m.end(), EMAIL) for m in _EMAIL_RE.finditer(text)]


# --------------------------------------------------------------------------- IBAN

# Registered IBAN lengths (SWIFT IBAN registry).
_IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22,
    "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31,
    "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23,
    "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}
_FI_IBAN_RE = re.compile(rf"[Ff][Ii]{_SP}?\d\d(?:{_SP}?\d){{14}}(?!\d)")
_IBAN_RE = re.compile(rf"(?P<cc>[A-Z]{{2}})\d\d(?:{_SP}?[A-Z0-9]){{11,30}}")


def iban_checksum_ok(iban: str) -> bool:
    compact = re.sub(r"\s", "", iban).upper()
    if not compact.isalnum() or not compact.isascii():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def _iban_spans(text: str, runs: list[tuple[int, int]]) -> list[Span]:
    spans: list[Span] = []
    for start, _ in runs:
        # The check digits follow the country code directly ("FI21") or after a space.
        for begin in (start - 2, start - 3):
            if begin < 0 or (begin > 0 and text[begin - 1].isascii() and text[begin - 1].isalnum()):
                continue
            if spans and begin < spans[-1].end:
                break
            m = _FI_IBAN_RE.match(text, begin)
            if m is not None:
                spans.append(Span(begin, m.end(), IBAN))
                break
            m = _IBAN_RE.match(text, begin)
            if m is None or m["cc"] == "FI" or m["cc"] not in _IBAN_LENGTHS:
                continue
            length = _IBAN_LENGTHS[m["cc"]]
            # Walk to the registered length; the IBAN must end there.
            count, end = 0, begin
            while end < m.end() and count < length:
                if text[end].isalnum():
                    count += 1
                end += 1
            if count != length or (end < len(text) and text[end].isascii() and text[end].isalnum()):
                continue
            if iban_checksum_ok(text[begin:end]):
                spans.append(Span(begin, end, IBAN))
                break
    return spans


# --------------------------------------------------------------------------- street addresses

_A = "[aä]"  # residents often type without diacritics
_FI_SV_STREET_WORDS = "|".join([
    # Finnish (base form, then the "on the street" forms residents write)
    # ("-tori" but not koordinaattori/sektori: no t or k before it)
    "tie", "katu", "kuja", "polku", "raitti", "(?<![tk])tori", rf"v{_A}yl{_A}", "kaari",
    "rinne", "puisto", "ranta", "aukio", "kaarre", "portti", "penger", "laituri", "tanhua",
    "puistikko", "kierto", "lenkki", "kaarto",
    rf"tiell{_A}", "kadulla", "kujalla", "polulla", "raitilla", "(?<![tk])torilla",
    rf"v{_A}yl{_A}ll{_A}", "kaarella", rf"rinteell{_A}", "puistossa", "rannassa",
    "aukiolla", "kaarteella", "portilla", "tanhualla",
    # Swedish (the definite forms used in Finnish street names)
    "gatan", rf"v{_A}gen", rf"gr{_A}nd", rf"gr{_A}nden", "stigen", "backen", "torget",
    "kajen", "platsen", "all[eé]n", "g[aå]ngen", "b[aå]gen", rf"sv{_A}ngen", "slingan",
    "stranden", "parken", "kroken",
])
_STANDALONE_STREETS = "esplanadi|bulevardi|esplanaden|bulevarden"
# A number followed by one of these is an amount, a duration or a count, not a house number.
_UNIT_AFTER = (
    # single lower-case letters only when no number follows ("6 e 5" is an apartment)
    rf"(?:[vehm]\b(?!{_SP}?\d)|"
    r"(?i:-v|-?vuo|vee\b|kk\b|kuuk|viik|vk\b|p[aä]iv|pv\b|tunt|min|sek|krt\b|kert|"
    r"%|€|eur|snt|[aå]r\b|m[aå]n|veck|dag|tim|g[aå]ng|st\b|kr\b|"
    r"years?\b|yrs?\b|months?\b|weeks?\b|days?\b|hours?\b|times\b|mins?\b|km\b|kg\b|"
    r"§|luku|kohta|mom|asti|j[aä]lkeen|alkaen|aikaan|menness[aä]))"
)
_HOUSE_NUMBER = (
    rf"\d{{1,3}}(?:{_SP}?[{_DASHES}]{_SP}?\d{{1,3}})?"
    r"(?![\d]|[.,/:]\d)"
    rf"(?!{_SP}*{_UNIT_AFTER})"
    r"[a-zA-Z]?"
)
_APARTMENT = (
    rf"(?:{_SP}+(?:[A-HJ-ZÅÄÖ](?:{_SP}?\d{{1,3}})?|I{_SP}?\d{{1,3}}|[a-zåäö]{_SP}?\d{{1,3}}"
    rf"|(?i:as|asunto|lgh|bst|apt|flat|huone)\.?{_SP}?\d{{1,4}})(?![\w]))?"
)
_CASE_ENDING = r"(?::[^\W\d_]{1,5})?"
_HOUSE_RE = re.compile(rf"{_HOUSE_NUMBER}{_APARTMENT}{_CASE_ENDING}(?![\w])")
_STREET_NAME_RE = re.compile(
    rf"(?:[^\W\d_-]{{2}}.*(?:{_FI_SV_STREET_WORDS})|.*(?:{_STANDALONE_STREETS}))",
    re.IGNORECASE | re.DOTALL,
)
_ORDINAL_RE = re.compile(r"ensimm[aä]inen|toinen|kolmas|nelj[aä]s|viides", re.IGNORECASE)
_EN_NAME_FIRST_TYPES = ("Street", "Road", "Avenue", "Lane")
_EN_WORD_RE = re.compile(r"[A-Z][a-z'’]+")
_EN_STREET_TYPES = (
    r"(?:[Ss]treet|[Rr]oad|[Aa]venue|[Ll]ane|[Dd]rive|[Ww]ay|[Cc]ourt|[Pp]lace|[Ss]quare"
    r"|[Bb]oulevard|[Cc]lose|[Cc]rescent|[Tt]errace|[Gg]ardens|[Gg]rove|[Rr]ow|[Pp]arkway"
    r"|[Hh]ighway|St|Rd|Ave|Ln|Dr|Ct|Pl|Sq|Blvd)"
)
# 12 Baker Street, 221B Baker Street
_EN_NUMBER_FIRST_RE = re.compile(
    rf"\d{{1,4}}[A-Za-z]?{_SP}+(?:[A-Z][a-z'’]+{_SP}+){{1,3}}{_EN_STREET_TYPES}\b\.?"
)


def _word_before(text: str, end: int) -> tuple[int, int]:
    """(start, end) of the word that ends at ``end`` after skipping spaces back from it;
    start == end when there is none. A word is letters with inner hyphens."""
    k = end
    while k > 0 and text[k - 1] in " \u00a0":
        k -= 1
    j = k
    while j > 0 and (text[j - 1].isalpha() or (text[j - 1] == "-" and j > 1 and text[j - 2].isalpha() and j < k)):
        j -= 1
    if j > 0 and (text[j - 1].isalnum() or text[j - 1] in "_-"):
        return k, k  # glued to a number or other word characters
    return j, k


def _address_spans(text: str, runs: list[tuple[int, int]]) -> list[Span]:
    spans: list[Span] = []
    for start, _ in runs:
        if spans and start < spans[-1].end:
            continue
        before = text[start - 1:start]
        if before in (" ", "\u00a0"):
            name_start, name_end = _word_before(text, start)
            name = text[name_start:name_end]
            begin = None
            if not name:
                pass
            elif _STREET_NAME_RE.fullmatch(name):
                begin = name_start
            elif name.lower() == "linja":  # "Toinen linja 7"
                ordinal_start, ordinal_end = _word_before(text, name_start)
                if ordinal_end < name_start and _ORDINAL_RE.fullmatch(text[ordinal_start:ordinal_end]):
                    begin = ordinal_start
            elif name in _EN_NAME_FIRST_TYPES:  # "Baker Street 12"
                word_start = name_start
                for _ in range(3):
                    prev_start, prev_end = _word_before(text, word_start)
                    if prev_end == word_start or not _EN_WORD_RE.fullmatch(text[prev_start:prev_end]):
                        break
                    word_start = prev_start
                if word_start < name_start:
                    begin = word_start
            if begin is not None:
                m = _HOUSE_RE.match(text, start)
                if m is not None:
                    spans.append(Span(begin, m.end(), ADDRESS))
                    continue
        if not before or not (before.isalnum() or before in "_-"):
            m = _EN_NUMBER_FIRST_RE.match(text, start)
            if m is not None:
                spans.append(Span(start, m.end(), ADDRESS))
    return spans


# --------------------------------------------------------------------------- API

_DIGIT_RUN = re.compile(r"\d+")
_FINDERS: tuple[Callable[[str, list[tuple[int, int]]], list[Span]], ...] = (
    _email_spans, _iban_spans, _hetu_spans, _phone_spans, _address_spans,
)


def find_spans(text: str) -> list[Span]:
    """Non-overlapping spans of personal data in ``text``, in order (one pass)."""
    if not text or not _MAY_CONTAIN.search(text):
        return []
    runs = [m.span() for m in _DIGIT_RUN.finditer(text)]
    found = sorted((s for finder in _FINDERS for s in finder(text, runs)), key=lambda s: (s.start, -s.end))
    merged: list[Span] = []
    for span in found:
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            token = min(last.token, span.token, key=_PRIORITY.__getitem__)
            merged[-1] = Span(last.start, max(last.end, span.end), token)
        else:
            merged.append(span)
    return merged


def _apply(text: str, spans: list[Span]) -> str:
    if not spans:
        return text
    parts, position = [], 0
    for span in spans:
        parts.append(text[position:span.start])
        parts.append(span.token)
        position = span.end
    parts.append(text[position:])
    return "".join(parts)


def redact_with_spans(text: str) -> tuple[str, list[Span]]:
    """``redact(text)`` and the spans of the *original* text that the first pass replaced
    (for re-mapping character offsets, e.g. of NLU entities)."""
    spans = find_spans(text)
    if not spans:
        return text, spans
    result = _apply(text, spans)
    # Rarely a replacement exposes a new match (a number glued to a removed e-mail);
    # repeat until nothing changes, so that redaction is idempotent. Every pass removes
    # digits or "@" that are not part of a token, so this ends.
    while True:
        again = find_spans(result)
        if not again:
            return result, spans
        result = _apply(result, again)


def redact(text: str) -> str:
    """``text`` with personal identity codes, phone numbers, e-mail addresses, IBANs and
    street addresses replaced by ``[HETU]``, ``[PHONE]``, ``[EMAIL]``, ``[IBAN]`` and
    ``[ADDRESS]``. Anything that is not a ``str`` is returned unchanged."""
    if not isinstance(text, str) or not text:
        return text
    return redact_with_spans(text)[0]


def map_offset(spans: list[Span], offset: int, end: bool = False) -> int:
    """Where character ``offset`` of the original text is in the first-pass redacted text.
    An offset inside a span maps to the start of its token, or to its end for the end
    offset of a range (``end=True``), so a range overlapping a span covers the token."""
    shift = 0
    for span in spans:
        if offset <= span.start:
            break
        if offset < span.end:
            return span.start + shift + (len(span.token) if end else 0)
        shift += len(span.token) - (span.end - span.start)
    return offset + shift


def overlapping(spans: list[Span], start: int, end: int) -> Span | None:
    """The first span overlapping the character range [start, end), if any."""
    for span in spans:
        if span.start < end and start < span.end:
            return span
    return None
