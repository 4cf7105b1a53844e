"""docker-compose.yml cannot be run here (no Docker engine), so check its structure:
services, images, networks, published ports, health checks and secrets from env."""
from __future__ import annotations

import re

import pytest
import yaml

from bot.settings import ROOT

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def dockerfile(service: str) -> str:
    build = SERVICES[service]["build"]
    path = ROOT / build["context"] / build["dockerfile"]
    assert path.exists(), f"{service}: {path} missing"
    return path.read_text()


def test_all_services_present():
    assert set(SERVICES) == {"gateway", "rasa", "actions", "postgres", "redis"}


def test_base_images():
    assert re.search(r"^FROM rasa/rasa:3\.6\.21-full\b", dockerfile("rasa"), re.M)
    assert re.search(r"^FROM rasa/rasa-sdk:3\.6\.2\b", dockerfile("actions"), re.M)
    assert re.search(r"^FROM python:3\.10", dockerfile("gateway"), re.M)
    assert SERVICES["postgres"]["image"].startswith("postgres:")
    assert SERVICES["redis"]["image"].startswith("redis:")


@pytest.mark.parametrize("service", ["rasa", "actions", "gateway"])
def test_lemma_index_is_built_into_the_image(service):
    # Otherwise each container start rebuilds simplemma's index (~5 s) in a read-only /app.
    text = dockerfile(service)
    assert re.search(r"^ENV .*\bKO_CACHE_DIR=/app/\.cache\b", text, re.M)
    preload = text.index("lemmas.preload()")
    assert text.index("COPY bot bot") < preload < text.rindex("USER 1001")


def test_only_the_gateway_is_published():
    published = {name for name, s in SERVICES.items() if s.get("ports")}
    assert published == {"gateway"}
    assert COMPOSE["networks"]["backend"]["internal"] is True
    for name in ("rasa", "actions", "postgres", "redis"):
        assert SERVICES[name]["networks"] == ["backend"], name


def test_two_rasa_replicas_share_tracker_and_lock_store():
    assert SERVICES["rasa"]["deploy"]["replicas"] >= 2
    endpoints = yaml.safe_load((ROOT / "config" / "endpoints.docker.yml").read_text())
    assert endpoints["tracker_store"]["dialect"] == "postgresql"
    assert endpoints["tracker_store"]["url"] == "postgres"
    assert endpoints["lock_store"]["type"] == "redis"
    assert endpoints["lock_store"]["url"] == "redis"
    assert endpoints["action_endpoint"]["url"].startswith("http://actions:")


def test_every_variable_the_endpoints_need_is_given_to_rasa():
    text = (ROOT / "config" / "endpoints.docker.yml").read_text()
    needed = set(re.findall(r"\$\{(\w+)\}", text))
    assert needed <= set(SERVICES["rasa"]["environment"]), needed - set(SERVICES["rasa"]["environment"])


def test_rasa_api_is_token_protected():
    command = SERVICES["rasa"]["command"]
    assert "--enable-api" in command
    # "--auth-token=VALUE" in one argument: a token beginning with "-" is still the value.
    assert "--auth-token=${RASA_TOKEN:?set RASA_TOKEN}" in command


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_health_checks(service):
    assert "healthcheck" in SERVICES[service], service


def test_secrets_come_from_environment_and_are_required():
    text = (ROOT / "docker-compose.yml").read_text()
    for secret in ("RASA_TOKEN", "ACTION_SERVER_TOKEN", "POSTGRES_PASSWORD", "REDIS_PASSWORD",
                   "GATEWAY_SESSION_SECRET"):
        assert f"${{{secret}:?" in text, f"{secret} must be required from the environment"
    assert not re.search(r"(PASSWORD|TOKEN|SECRET):\s*['\"]?[A-Za-z0-9]{8,}", text), "literal secret in compose file"


def test_database_has_a_volume_and_gateway_waits_for_backends():
    assert any("tracker-db" in v for v in SERVICES["postgres"]["volumes"])
    assert set(SERVICES["gateway"]["depends_on"]) == {"rasa", "actions"}
    assert set(SERVICES["rasa"]["depends_on"]) == {"postgres", "redis", "actions"}


def test_dockerfiles_copy_what_exists():
    for service in ("rasa", "actions", "gateway"):
        for src in re.findall(r"^COPY (\S+) ", dockerfile(service), re.M):
            assert (ROOT / src).exists(), f"{service}: COPY {src} but it does not exist"


# ------------------------------------------------------------------------ gateway and channels

GATEWAY_ENV = SERVICES["gateway"]["environment"]
CHANNELS_OVERRIDE = yaml.safe_load((ROOT / "docker-compose.channels.yml").read_text())


def test_gateway_settings_come_from_the_environment():
    for name in ("GATEWAY_ALLOWED_ORIGINS", "GATEWAY_FRAME_ANCESTORS", "GATEWAY_RATE_ADDRESS_PER_MINUTE",
                 "GATEWAY_RATE_ADDRESS_BURST", "GATEWAY_RATE_SESSION_PER_MINUTE", "GATEWAY_RATE_SESSION_BURST",
                 "GATEWAY_MAX_CONCURRENT_PER_ADDRESS", "GATEWAY_RASA_TIMEOUT", "GATEWAY_COOKIE_SECURE",
                 "FORWARDED_ALLOW_IPS", "KO_CHANNELS", "KO_RETENTION_DAYS"):
        assert GATEWAY_ENV[name].startswith(f"${{{name}:-"), name
    assert GATEWAY_ENV["GATEWAY_COOKIE_SECURE"] == "${GATEWAY_COOKIE_SECURE:-true}"
    assert GATEWAY_ENV["RASA_URL"] == "http://rasa:5005"


def test_gateway_gets_only_the_secrets_it_needs():
    assert GATEWAY_ENV["RASA_TOKEN"].startswith("${RASA_TOKEN:?")
    assert GATEWAY_ENV["GATEWAY_SESSION_SECRET"].startswith("${GATEWAY_SESSION_SECRET:?")
    assert "ACTION_SERVER_TOKEN" not in GATEWAY_ENV


def test_gateway_health_check_is_the_gateway_alone():
    assert "/livez" in " ".join(SERVICES["gateway"]["healthcheck"]["test"])


def test_gateway_image_runs_without_server_header_or_access_log():
    cmd = dockerfile("gateway")
    for flag in ("--no-server-header", "--no-access-log", "--proxy-headers", "--ws\", \"none"):
        assert flag in cmd, flag
    assert "USER 1001" in cmd


def test_channels_override_keeps_only_the_gateway_published():
    services = CHANNELS_OVERRIDE["services"]
    assert set(services) == {"rasa"}
    assert not services["rasa"].get("ports")
    assert "egress" in services["rasa"]["networks"] and "backend" in services["rasa"]["networks"]
    assert not (CHANNELS_OVERRIDE["networks"]["egress"] or {}).get("internal")


def test_channels_override_starts_rasa_with_the_written_credentials():
    rasa = CHANNELS_OVERRIDE["services"]["rasa"]
    command = " ".join(rasa["command"])
    assert "python -m bot.gateway.channels credentials --out" in command
    assert '--credentials "$$CREDENTIALS"' in command and '--auth-token="$$RASA_TOKEN"' in command
    assert "--endpoints config/endpoints.docker.yml" in command and "--enable-api" in command
    channel_file = (ROOT / "config" / "credentials.channels.yml").read_text()
    needed = set(re.findall(r"^\s+\w+: \$\{(\w+)\}", channel_file, re.M)) | {"KO_CHANNELS", "RASA_TOKEN"}
    assert needed <= set(rasa["environment"]), needed - set(rasa["environment"])
    assert rasa["environment"]["KO_CHANNELS"].startswith("${KO_CHANNELS:?")
