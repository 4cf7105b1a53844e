"""Command line (``python -m bot``) run as a separate process, as staff and CI run it."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "bot" / "knowledge"
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("KUNTOUTUSOPAS_TODAY", "KUNTOUTUSOPAS_KNOWLEDGE_DIR")}
    environment.update(env or {})
    return subprocess.run([PYTHON, "-m", "bot", *args], cwd=ROOT, capture_output=True, text=True,
                          env=environment, timeout=120)


# --------------------------------------------------------------------------- check-content


def test_check_content_ok() -> None:
    result = run("check-content", "--today", "2026-11-25")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "OK (checked for 25.11.2026)" in out
    # the counts are the files' own (a staff edit adds a topic without touching this test)
    services = len(yaml.safe_load((KNOWLEDGE / "services.yml").read_text(encoding="utf-8"))["services"])
    topics = len(yaml.safe_load((KNOWLEDGE / "topics.yml").read_text(encoding="utf-8"))["topics"])
    assert f"services: {services} " in out and f"topics: {topics} " in out
    assert "sources:" in out and "parameters:" in out
    assert "ended (told only as history): 7" in out
    assert "notice corona_work_activities_2021 (until 30.4.2021)" in out
    assert "notice hakaniemi_popup_shop_2021 (until 31.12.2021)" in out
    assert "expiring within 60 days: 0" in out


def test_check_content_reports_items_expiring_soon() -> None:
    result = run("check-content", "--today", "2021-03-15")
    assert result.returncode == 0
    assert "expiring within 60 days: 2" in result.stdout  # the corona topic and notice end 30.4.2021
    assert "notice corona_work_activities_2021 (until 30.4.2021)" in result.stdout


def test_check_content_fails_with_precise_errors(tmp_path: Path) -> None:
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    services = target / "services.yml"
    services.write_text(services.read_text(encoding="utf-8").replace('"040 569 2287"', '"040 56x9 2287"'),
                        encoding="utf-8")
    topics = target / "topics.yml"
    topics.write_text(topics.read_text(encoding="utf-8")
                      .replace("      sv: Vad är arbetsverksamhet i rehabiliteringssyfte?\n", ""),
                      encoding="utf-8")
    result = run("check-content", "--path", str(target))
    assert result.returncode == 1
    assert "NOT OK" in result.stderr
    assert "2 problems in the knowledge files:" in result.stderr
    assert ("services.yml: service 'kempele_service_coordinator' > contact 'pohde_kempele_coordinator': "
            "phone: '040 56x9 2287' is not a phone number in Finnish format") in result.stderr
    assert "topics.yml: topic 'rehabilitative_work_activity': title: missing language sv" in result.stderr


# --------------------------------------------------------------------------- route


def test_route_json_from_the_issue_example() -> None:
    result = run("route", "--age", "45", "--municipality", "Helsingissä", "--unemployed", "yes",
                 "--health-affects-work-ability", "yes", "--referral", "none", "--language", "sv", "--json",
                 "--today", "2026-11-25")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["language"] == "sv"
    ids = [r["id"] for r in data["routes"]]
    assert ids[0] == "regional_social_work" and data["routes"][0]["status"] == "first_step"
    assert "work_ability_support" in ids
    assert data["ask_next"] == ["disability", "plan", "client_of"]
    assert data["routes"][0]["title"] == "Socialhandledning i Helsingfors"
    assert all(r["sources"] and r["sources"][0]["url"].startswith("https://") for r in data["routes"])
    assert data["routes"][0]["contacts"][0]["id"] == "helsinki_social_counselling"


def test_route_text_default() -> None:
    result = run("route", "--municipality", "Kempeleessä", "--age", "30", "--unemployed", "kyllä",
                 "--plan", "activation_plan", "--language", "fi")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Palvelut, jotka sopivat tilanteeseesi:")
    assert "040 569 2287" in result.stdout and "https://pohde.fi" in result.stdout
    assert "seeds/" not in result.stdout


def test_route_chat_prints_the_short_answer() -> None:
    result = run("route", "--municipality", "Kempele", "--age", "30", "--unemployed", "yes", "--chat",
                 "--language", "en")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Your first step:") and "040 569 2287" in result.stdout
    assert len(result.stdout.split()) <= 100


def test_route_with_canonical_name_and_skip() -> None:
    result = run("route", "--municipality", "Helsinki", "--skip", "age", "--skip", "unemployed", "--json")
    data = json.loads(result.stdout)
    assert "age" not in data["ask_next"] and "unemployed" not in data["ask_next"]


def test_route_without_municipality_asks_for_it() -> None:
    result = run("route", "--json", "--language", "en")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["routes"] == [] and data["ask_next"][0] == "municipality"


def test_route_today_flag_and_environment() -> None:
    before = run("route", "--age", "40", "--unemployed", "yes", "--municipality", "Helsinki", "--json",
                 "--today", "2025-11-01")
    notes = {n["id"] for r in json.loads(before.stdout)["routes"] for n in r["notes"]}
    assert "rwa_reform_announced" not in notes  # announced 19.12.2025
    now = run("route", "--age", "40", "--unemployed", "yes", "--json", "--municipality", "Helsinki",
              env={"KUNTOUTUSOPAS_TODAY": "2026-11-25"})
    data = json.loads(now.stdout)
    assert data["today"] == "2026-11-25"
    assert "rwa_reform_announced" in {n["id"] for r in data["routes"] for n in r["notes"]}
    too_early = run("route", "--municipality", "Helsinki", "--today", "2001-01-01")
    assert too_early.returncode == 2 and "the guide has no rules before" in too_early.stderr


@pytest.mark.parametrize("args, message", [
    (["route", "--bogus", "1"], "unrecognized arguments: --bogus"),
    (["route", "--age", "200"], "argument --age: invalid value for age: 200"),
    (["route", "--age", "abc"], "argument --age: invalid value for age: 'abc'"),
    (["route", "--unemployed", "maybe"], "argument --unemployed: invalid value for unemployed: 'maybe'"),
    (["route", "--referral", "doctor"], "argument --referral: invalid value for referral: 'doctor'"),
    (["route", "--plan", "x"], "argument --plan: invalid value for plan"),
    (["route", "--client-of", "kela"], "argument --client-of: invalid value for client_of"),
    (["route", "--language", "de"], "argument --language: invalid choice: 'de'"),
    (["route", "--today", "2026-13-01"], "argument --today: '2026-13-01' is not a date"),
    (["route", "--skip", "shoe_size"], "argument --skip: invalid choice: 'shoe_size'"),
    (["no-such-command"], "invalid choice: 'no-such-command'"),
    ([], "the following arguments are required: COMMAND"),
    (["topic", "no_such_topic"], "unknown topic id 'no_such_topic'"),
])
def test_bad_flags_and_values_exit_2(args: list, message: str) -> None:
    result = run(*args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert message in result.stderr


def test_unknown_municipality_exits_2() -> None:
    result = run("route", "--municipality", "Atlantis")
    assert result.returncode == 2
    assert "argument --municipality: invalid value for municipality: 'Atlantis'" in result.stderr


# --------------------------------------------------------------------------- topic


def test_topic_history() -> None:
    result = run("topic", "corona_arrangements_2021", "--language", "en", "--today", "2026-11-25")
    assert result.returncode == 0, result.stderr
    assert "This arrangement ended on 30.4.2021." in result.stdout


def test_topic_list() -> None:
    result = run("topic", "--list", "--language", "sv")
    assert result.returncode == 0
    assert "rehabilitative_work_activity\tVad är arbetsverksamhet i rehabiliteringssyfte?" in result.stdout


def test_help_lists_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("check-content", "route", "topic"):
        assert command in result.stdout
