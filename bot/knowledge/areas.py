"""Every municipality's wellbeing services county and employment area (``bot/reference/``).

Social services, rehabilitative work activity included, come from the wellbeing services
county of the municipality of residence (Helsinki organises its own; Åland its own);
employment services from the employment area, reached through Job Market Finland. Three
dated CSV tables hold this, each row with its public source (see bot/reference/README.md):

* ``wellbeing_counties.csv`` — id, name_fi, name_sv, name_en, web, source, source_date
* ``employment_areas.csv``   — id, name_fi, name_sv, name_en, web, source, source_date
* ``municipality_areas.csv`` — code, name_fi, county_id, employment_area_id, ...

``check()`` validates them (``python -m bot check-content`` runs it).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from bot.knowledge.formats import PartialDate, url_problem
from bot.knowledge.model import Contact, Source, Text
from bot.language.tags import LANGUAGES

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "reference"
COUNTIES, AREAS, MEMBERS = "wellbeing_counties.csv", "employment_areas.csv", "municipality_areas.csv"
_AREA_COLUMNS = ("id", "name_fi", "name_sv", "name_en", "source", "source_date")
_MEMBER_COLUMNS = ("code", "name_fi", "county_id", "employment_area_id")
#: The source titles shown for the tables' rows (the page named in the row is the address).
_TITLES = {
    COUNTIES: Text("Hyvinvointialueet ja niiden kunnat", "Välfärdsområdena och deras kommuner",
                   "Wellbeing services counties and their municipalities"),
    AREAS: Text("Työllisyysalueet ja niiden kunnat", "Sysselsättningsområdena och deras kommuner",
                "Employment areas and their municipalities"),
}


@dataclass(frozen=True)
class Area:
    """A wellbeing services county or an employment area, as the resident is told it."""

    id: str
    name: Text
    web: Text | None
    source: Source
    certainty: str = "confirmed"

    def contact(self, service_id: str) -> Contact:
        """The area as the contact of ``service_id`` (its name, web address and source)."""
        return Contact(sources=(self.source,), valid_from=None, valid_until=None, certainty=self.certainty,
                       id=f"area_{self.id}", service_id=service_id, name=self.name, web=self.web)


@dataclass(frozen=True)
class _Tables:
    counties: dict[str, Area]
    areas: dict[str, Area]
    members: dict[str, tuple[str | None, str | None, str]]  # Finnish name -> (county, area, certainty)
    errors: tuple[str, ...]


def _read(path: Path, required: tuple[str, ...], errors: list[str]) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                errors.append(f"{path.name}: missing column(s) {', '.join(missing)}")
                return []
            return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except FileNotFoundError:
        errors.append(f"{path.name}: file is missing from {path.parent}")
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        errors.append(f"{path.name}: cannot be read: {exc}")
    return []


def _areas(path: Path, errors: list[str]) -> dict[str, Area]:
    out: dict[str, Area] = {}
    for number, row in enumerate(_read(path, _AREA_COLUMNS, errors), start=2):
        where = f"{path.name} line {number}"
        names = Text(row["name_fi"], row["name_sv"] or row["name_fi"], row["name_en"] or row["name_fi"])
        if not row["id"] or not row["name_fi"]:
            errors.append(f"{where}: id and name_fi are required")
            continue
        web = row.get("web") or ""
        if web and url_problem(web):
            errors.append(f"{where}: web: {url_problem(web)}")
            web = ""
        source_url = row["source"]
        if url_problem(source_url):
            errors.append(f"{where}: source must be the public page's address, got {source_url!r}")
            continue
        try:
            when = PartialDate.parse(row["source_date"])
        except ValueError as exc:
            errors.append(f"{where}: source_date: {exc}")
            continue
        site = urlsplit(source_url).netloc.removeprefix("www.")
        source = Source(id=f"{path.stem}:{row['id']}", publisher=Text(site, site, site),
                        title=_TITLES.get(path.name, names), url=Text(source_url, source_url, source_url),
                        date=when, date_kind="read")
        if row["id"] in out:
            errors.append(f"{where}: duplicate id {row['id']!r}")
        certainty = row.get("certainty") or "confirmed"
        out[row["id"]] = Area(row["id"], names, Text(web, web, web) if web else None, source,
                              certainty if certainty in ("confirmed", "uncertain") else "uncertain")
    return out


@lru_cache(maxsize=4)
def _tables(directory: Path = REFERENCE_DIR) -> _Tables:
    errors: list[str] = []
    counties = _areas(directory / COUNTIES, errors)
    areas = _areas(directory / AREAS, errors)
    members: dict[str, tuple[str | None, str | None, str]] = {}
    for number, row in enumerate(_read(directory / MEMBERS, _MEMBER_COLUMNS, errors), start=2):
        where = f"{MEMBERS} line {number}"
        county, area = row["county_id"] or None, row["employment_area_id"] or None
        if county is not None and county not in counties:
            errors.append(f"{where}: unknown county_id {county!r}")
        if area is not None and area not in areas:
            errors.append(f"{where}: unknown employment_area_id {area!r}")
        # The row's certainty is about the employment area (the counties follow the law).
        members[row["name_fi"]] = (county, area, row.get("certainty") or "confirmed")
    from bot.municipalities import all_municipalities

    known = {m.name_fi for m in all_municipalities()}
    for name in sorted(known - set(members)):
        errors.append(f"{MEMBERS}: municipality {name!r} has no row")
    for name in sorted(set(members) - known):
        errors.append(f"{MEMBERS}: {name!r} is not a municipality in municipalities.csv")
    return _Tables(counties, areas, members, tuple(errors))


def county_of(municipality: str) -> Area | None:
    """The wellbeing services county (or Helsinki, or Åland) that serves ``municipality``."""
    tables = _tables()
    county_id = tables.members.get(municipality, (None, None, ""))[0]
    return tables.counties.get(county_id) if county_id else None


def employment_area_of(municipality: str) -> Area | None:
    """The employment area that serves ``municipality``."""
    tables = _tables()
    _, area_id, certainty = tables.members.get(municipality, (None, None, ""))
    area = tables.areas.get(area_id) if area_id else None
    if area is not None and certainty == "uncertain" and area.certainty == "confirmed":
        area = replace(area, certainty="uncertain")
    return area


def check(directory: Path = REFERENCE_DIR) -> list[str]:
    """Every problem in the three tables (empty when they are fine)."""
    return list(_tables(directory).errors)


def display_name(name_fi: str, language: str) -> str:
    """A municipality's name as written in ``language`` (Swedish names in Swedish)."""
    if language not in LANGUAGES:
        raise ValueError(language)
    if language != "sv":
        return name_fi
    from bot.municipalities import all_municipalities

    for municipality in all_municipalities():
        if municipality.name_fi == name_fi:
            return municipality.name_sv
    return name_fi
