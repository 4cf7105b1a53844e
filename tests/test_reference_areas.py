"""Reference tables: wellbeing services counties, employment areas and the municipality mapping.

Validates only the CSV files in bot/reference/ (no application code), so it runs in well under a
second.  See bot/reference/README.md for what the tables mean and where the facts come from.
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest

REF = Path(__file__).resolve().parents[1] / "bot" / "reference"

ALAND_CODES = {
    "035", "043", "060", "062", "065", "076", "170", "295",
    "318", "417", "438", "478", "736", "766", "771", "941",
}
CERTAINTY = {"confirmed", "uncertain"}
DATE_KINDS = {"published", "updated", "document", "accessed"}
AREA_BASIS = {"named", "collective", "preparation", "elimination"}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def read(name: str) -> list[dict[str, str]]:
    with (REF / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def municipalities() -> list[dict[str, str]]:
    return read("municipalities.csv")


@pytest.fixture(scope="module")
def counties() -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in read("wellbeing_counties.csv")}


@pytest.fixture(scope="module")
def areas() -> dict[str, dict[str, str]]:
    return {row["id"]: row for row in read("employment_areas.csv")}


@pytest.fixture(scope="module")
def mapping() -> list[dict[str, str]]:
    return read("municipality_areas.csv")


@pytest.fixture(scope="module")
def by_name(mapping) -> dict[str, dict[str, str]]:
    return {row["name_fi"]: row for row in mapping}


def is_https_url(value: str) -> bool:
    parsed = urlparse(value)
    return parsed.scheme == "https" and bool(parsed.netloc) and " " not in value


# --------------------------------------------------------------------------
# Shape of each table
# --------------------------------------------------------------------------


def test_headers():
    assert list(read("wellbeing_counties.csv")[0]) == [
        "id", "kind", "name_fi", "name_sv", "name_en", "brand", "web",
        "source", "source_date", "date_kind", "certainty", "notes",
    ]
    assert list(read("employment_areas.csv")[0]) == [
        "id", "kind", "name_fi", "name_sv", "name_en", "web", "host",
        "source", "source_date", "date_kind", "certainty", "notes",
    ]
    assert list(read("municipality_areas.csv")[0]) == [
        "code", "name_fi", "county_id", "employment_area_id", "valid_from",
        "county_source", "area_source", "area_basis", "certainty",
    ]


def test_ids_are_unique_slugs():
    for name in ("wellbeing_counties.csv", "employment_areas.csv"):
        ids = [row["id"] for row in read(name)]
        assert len(ids) == len(set(ids)), name
        assert all(SLUG.match(i) for i in ids), name


def test_21_counties_plus_helsinki_and_aland(counties):
    kinds = Counter(row["kind"] for row in counties.values())
    assert kinds == {"wellbeing_services_county": 21, "city_own_services": 1, "aland_outside_reform": 1}
    assert counties["helsinki"]["kind"] == "city_own_services"
    assert counties["aland"]["kind"] == "aland_outside_reform"
    assert len(counties) == 23


def test_45_employment_areas_plus_aland(areas):
    kinds = Counter(row["kind"] for row in areas.values())
    assert kinds == {"employment_area": 45, "aland_authority": 1}
    assert areas["aland-ams"]["web"] == "https://www.ams.ax"


@pytest.mark.parametrize("name", ["wellbeing_counties.csv", "employment_areas.csv"])
def test_every_row_has_names_source_date_and_certainty(name):
    for row in read(name):
        assert row["name_fi"].strip(), row["id"]
        assert is_https_url(row["source"]), row["id"]
        assert date.fromisoformat(row["source_date"]) <= date(2026, 12, 31), row["id"]
        assert row["date_kind"] in DATE_KINDS, row["id"]
        assert row["certainty"] in CERTAINTY, row["id"]
        if row["web"]:
            assert is_https_url(row["web"]), row["id"]


def test_counties_are_trilingual_with_websites(counties):
    for row in counties.values():
        assert row["name_sv"].strip() and row["name_en"].strip(), row["id"]
        assert is_https_url(row["web"]), row["id"]
    for row in counties.values():
        if row["kind"] == "wellbeing_services_county":
            assert row["name_fi"].endswith("hyvinvointialue"), row["id"]
            assert row["name_sv"].endswith("välfärdsområde"), row["id"]
            assert row["name_en"].startswith("Wellbeing services county of "), row["id"]


def test_uncertain_rows_say_why(areas, counties):
    for row in [*areas.values(), *counties.values()]:
        if row["certainty"] == "uncertain":
            assert row["notes"].strip(), row["id"]


# --------------------------------------------------------------------------
# The mapping covers exactly the municipalities of municipalities.csv
# --------------------------------------------------------------------------


def test_every_municipality_exactly_once(municipalities, mapping):
    codes = [row["code"] for row in mapping]
    assert len(codes) == len(set(codes)) == 308
    assert set(codes) == {row["code"] for row in municipalities}
    names = {row["code"]: row["name_fi"] for row in municipalities}
    assert all(names[row["code"]] == row["name_fi"] for row in mapping)


def test_referenced_ids_exist_and_are_used(mapping, counties, areas):
    assert {row["county_id"] for row in mapping} == set(counties)
    assert {row["employment_area_id"] for row in mapping} == set(areas)


def test_mapping_rows_have_sources_dates_and_certainty(mapping):
    for row in mapping:
        assert row["valid_from"] == "2025-01-01", row["code"]
        assert is_https_url(row["county_source"]), row["code"]
        assert is_https_url(row["area_source"]), row["code"]
        assert row["area_basis"] in AREA_BASIS, row["code"]
        assert row["certainty"] in CERTAINTY, row["code"]
        # Only a municipality named in a source (singly or as "all municipalities of ...")
        # counts as confirmed.
        expected = "confirmed" if row["area_basis"] in {"named", "collective"} else "uncertain"
        assert row["certainty"] == expected, row["code"]


def test_aland_helsinki_and_county_consistency(mapping):
    for row in mapping:
        aland = row["code"] in ALAND_CODES
        assert (row["county_id"] == "aland") == aland, row["code"]
        assert (row["employment_area_id"] == "aland-ams") == aland, row["code"]
        assert (row["county_id"] == "helsinki") == (row["code"] == "091"), row["code"]


def test_county_sizes(mapping):
    sizes = Counter(row["county_id"] for row in mapping)
    assert sizes["aland"] == 16
    assert sizes["helsinki"] == 1
    assert sizes["vantaa-kerava"] == 2
    assert sizes["etela-savo"] == 11  # Pertunmaa merged into Mäntyharju on 1.1.2025


def test_employment_areas_stay_within_one_county_except_known_cross_border(mapping):
    counties_of_area: dict[str, set[str]] = {}
    for row in mapping:
        counties_of_area.setdefault(row["employment_area_id"], set()).add(row["county_id"])
    crossing = {area for area, cs in counties_of_area.items() if len(cs) > 1}
    # Known cross-border areas: Suupohja (South Ostrobothnia + Kristinestad), Kainuu-Koillismaa
    # (+ Kuusamo, Taivalkoski), Eteläinen Keski-Suomi (+ Mänttä-Vilppula), Keski-Savo
    # (+ Pieksämäki), Kerava-Sipoo (Vantaa-Kerava + East Uusimaa), Päijät-Häme is one county.
    assert crossing == {"suupohja", "kainuu-koillismaa", "etelainen-keski-suomi", "keski-savo", "kerava-sipoo"}


# --------------------------------------------------------------------------
# Spot checks
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("municipality", "county", "area"),
    [
        ("Kempele", "pohjois-pohjanmaa", "oulu"),
        ("Espoo", "lansi-uusimaa", "espoo-kauniainen"),
        ("Vantaa", "vantaa-kerava", "vantaa"),
        ("Kerava", "vantaa-kerava", "kerava-sipoo"),
        ("Tampere", "pirkanmaa", "tampere"),
        ("Valkeakoski", "pirkanmaa", "tampere"),
        ("Helsinki", "helsinki", "helsinki"),
        ("Maarianhamina", "aland", "aland-ams"),
        ("Mäntyharju", "etela-savo", "mikkeli"),
        ("Pieksämäki", "etela-savo", "keski-savo"),
        ("Kaskinen", "pohjanmaa", "pohjanmaa"),
        ("Kristiinankaupunki", "pohjanmaa", "suupohja"),
        ("Kuusamo", "pohjois-pohjanmaa", "kainuu-koillismaa"),
        ("Mänttä-Vilppula", "pirkanmaa", "etelainen-keski-suomi"),
        ("Sipoo", "ita-uusimaa", "kerava-sipoo"),
        ("Iitti", "paijat-hame", "paijat-hame"),
        ("Pello", "lappi", "tunturi-lappi-pello"),
    ],
)
def test_spot_checks(by_name, municipality, county, area):
    row = by_name[municipality]
    assert (row["county_id"], row["employment_area_id"]) == (county, area)


def test_spot_check_names_and_websites(counties, areas):
    assert counties["pohjois-pohjanmaa"]["web"] == "https://pohde.fi"
    assert counties["pohjois-pohjanmaa"]["brand"] == "Pohde"
    assert counties["lansi-uusimaa"]["name_en"] == "Wellbeing services county of West Uusimaa"
    assert counties["vantaa-kerava"]["name_sv"] == "Vanda och Kervo välfärdsområde"
    assert counties["aland"]["web"] == "https://www.kst.ax"
    assert areas["oulu"]["name_fi"] == "Oulun työllisyysalue"
    assert areas["oulu"]["host"] == "Oulu"
    assert areas["tampere"]["name_fi"] == "Tampereen seudun työllisyysalue"
    assert areas["helsinki"]["web"] == "https://tyollisyyspalvelut.hel.fi"
