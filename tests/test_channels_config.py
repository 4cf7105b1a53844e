"""Channel configuration: config/credentials.yml (always-on channels) and
config/credentials.channels.yml (Telegram, Slack, Bot Framework), the file
bot.gateway.channels writes for KO_CHANNELS, and that Rasa itself accepts it."""
from __future__ import annotations

import hashlib
import hmac
import json
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from bot.gateway.channels import (
    BASE_CREDENTIALS,
    CHANNEL_CREDENTIALS,
    ChannelError,
    compose_credentials,
    enabled_channels,
    required_variables,
    write_credentials,
)
from bot.settings import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BASE = yaml.safe_load(BASE_CREDENTIALS.read_text(encoding="utf-8"))
OPTIONAL = yaml.safe_load(CHANNEL_CREDENTIALS.read_text(encoding="utf-8"))
SOCKETIO_CLASS = "bot.rasa_components.socketio_channel.SocketIOInput"

SLACK_ENV = {"KO_CHANNELS": "slack", "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "test-signing-secret"}
ALL_ENV = {
    "KO_CHANNELS": "telegram,slack,botframework",
    "TELEGRAM_ACCESS_TOKEN": "123:abc", "TELEGRAM_BOT_NAME": "kuntoutusopas_bot",
    "TELEGRAM_WEBHOOK_URL": "https://chat.example.fi/webhooks/telegram/webhook",
    "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s3cret",
    "BOTFRAMEWORK_APP_ID": "app-id", "BOTFRAMEWORK_APP_PASSWORD": "app-password",
}


def readme_section() -> str:
    start = README.index("## Web widget and channels")
    end = README.find("\n## ", start + 1)
    return README[start:] if end == -1 else README[start:end]


def test_base_credentials_are_rest_and_persistent_socketio():
    assert list(BASE) == ["rest", SOCKETIO_CLASS]
    assert BASE[SOCKETIO_CLASS] == {"user_message_evt": "user_uttered", "bot_message_evt": "bot_uttered",
                                    "session_persistence": True}
    assert "${" not in BASE_CREDENTIALS.read_text(), "the always-on file must start without any variable"


def test_socketio_class_is_rasas_channel_under_its_usual_name():
    from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput

    from bot.rasa_components.socketio_channel import SocketIOInput

    assert issubclass(SocketIOInput, RasaSocketIOInput) and SocketIOInput.name() == "socketio"


def test_optional_channels_are_the_promised_ones_and_only_references():
    assert list(OPTIONAL) == ["telegram", "slack", "botframework"]
    for channel, section in OPTIONAL.items():
        assert section, channel
        for key, value in section.items():
            assert re.fullmatch(r"\$\{[A-Z][A-Z0-9_]*\}", value), f"{channel}.{key} must be a ${{VAR}} reference"
    assert set(OPTIONAL["telegram"]) == {"access_token", "verify", "webhook_url"}
    assert set(OPTIONAL["slack"]) == {"slack_token", "slack_signing_secret"}
    assert set(OPTIONAL["botframework"]) == {"app_id", "app_password"}


def test_references_are_unquoted_so_rasa_substitutes_them():
    for line in CHANNEL_CREDENTIALS.read_text().splitlines():
        if "${" in line and not line.lstrip().startswith("#"):
            assert re.fullmatch(r"\s+\w+: \$\{\w+\}", line), line


def test_every_variable_is_documented_in_the_readme():
    section = readme_section()
    variables = {v for s in OPTIONAL.values() for v in required_variables(s)} | {"KO_CHANNELS"}
    for variable in sorted(variables):
        assert f"`{variable}`" in section, f"{variable} is not documented in the README section"
    for channel in ("telegram", "slack", "botframework"):
        assert f"/webhooks/{channel}/webhook" in section


def test_gateway_settings_are_documented_in_the_readme():
    section = readme_section()
    source = "\n".join(p.read_text() for p in (ROOT / "bot" / "gateway").glob("*.py"))
    for variable in sorted(set(re.findall(r'"((?:GATEWAY|KO)_[A-Z_]+)"', source))):
        name = variable.replace("_BURST", "") if variable.endswith("_BURST") else variable
        assert name in section, f"{variable} is not documented in the README section"


def test_enabled_channels():
    assert enabled_channels({}) == ()
    assert enabled_channels({"KO_CHANNELS": " Slack, telegram,slack "}) == ("slack", "telegram")
    with pytest.raises(ChannelError, match="whatsapp"):
        enabled_channels({"KO_CHANNELS": "whatsapp"})


def test_without_channels_rasa_gets_the_base_file(tmp_path):
    assert write_credentials(tmp_path / "credentials.yml", {}) == BASE_CREDENTIALS
    assert not (tmp_path / "credentials.yml").exists()


def test_composed_file_keeps_secrets_as_references(tmp_path):
    path = write_credentials(tmp_path / "credentials.yml", ALL_ENV)
    text = path.read_text()
    assert "s3cret" not in text and "app-password" not in text
    data = yaml.safe_load(text)
    assert list(data) == ["rest", SOCKETIO_CLASS, "telegram", "slack", "botframework"]
    assert data["slack"]["slack_signing_secret"] == "${SLACK_SIGNING_SECRET}"


def test_missing_variables_are_named(tmp_path):
    with pytest.raises(ChannelError, match="SLACK_SIGNING_SECRET"):
        compose_credentials(("slack",), {"SLACK_BOT_TOKEN": "x"})
    result = subprocess.run([sys.executable, "-m", "bot.gateway.channels", "credentials", "--out",
                             str(tmp_path / "c.yml")], env={"KO_CHANNELS": "telegram", "PATH": ""},
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2 and "TELEGRAM_ACCESS_TOKEN" in result.stderr


def test_rasa_reads_the_composed_file_and_builds_the_channels(tmp_path, monkeypatch):
    from rasa.core.run import create_http_input_channels
    from rasa.shared.utils.io import read_config_file

    env = {k: v for k, v in ALL_ENV.items()}
    env["KO_CHANNELS"] = "telegram,slack"  # Bot Framework fetches Microsoft's keys when built
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    path = write_credentials(tmp_path / "credentials.yml", env)
    data = read_config_file(str(path))
    assert data["telegram"] == {"access_token": "123:abc", "verify": "kuntoutusopas_bot",
                                "webhook_url": "https://chat.example.fi/webhooks/telegram/webhook"}
    assert data["slack"]["slack_signing_secret"] == "s3cret"
    names = [channel.name() for channel in create_http_input_channels(None, str(path))]
    assert names == ["rest", "socketio", "telegram", "slack"]


def test_rasa_refuses_an_undefined_variable(tmp_path, monkeypatch):
    """Why the optional channels are not in config/credentials.yml."""
    from rasa.shared.exceptions import RasaException
    from rasa.shared.utils.io import read_config_file

    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    path = tmp_path / "credentials.yml"
    path.write_text(yaml.safe_dump({"slack": OPTIONAL["slack"]}))
    with pytest.raises(RasaException, match=r"SLACK_(BOT_TOKEN|SIGNING_SECRET)"):
        read_config_file(str(path))


# ------------------------------------------------------------------------ with the real servers


def slack_signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return f"v0={digest}"


@pytest.fixture(scope="module")
def slack_stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory):
    """Action server + Rasa with KO_CHANNELS=slack (the written credentials file) + gateway."""
    from bot.stack import Stack
    from tests.conftest import TEST_STACK_ENV, stack_settings

    tmp = tmp_path_factory.mktemp("slack-stack")
    credentials = write_credentials(tmp / "credentials.yml", SLACK_ENV)
    running = Stack(stack_settings(tmp), trained_model, tmp / "logs", extra_env={**TEST_STACK_ENV, **SLACK_ENV})
    rasa = running.service("rasa")
    rasa.argv[rasa.argv.index("--credentials") + 1] = str(credentials)
    with running:
        yield running


def post(url: str, body: bytes, headers: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.mark.slow
def test_slack_webhook_through_the_gateway_reaches_rasa_with_its_signature(slack_stack):
    url = f"http://127.0.0.1:{slack_stack.settings.gateway_port}/webhooks/slack/webhook"
    body = json.dumps({"token": "x", "challenge": "ko-challenge-123", "type": "url_verification"}).encode()
    timestamp = str(int(time.time()))
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": timestamp,
               "X-Slack-Signature": slack_signature(SLACK_ENV["SLACK_SIGNING_SECRET"], timestamp, body)}
    status, answer = post(url, body, headers)
    assert status == 200 and json.loads(answer) == "ko-challenge-123"

    # Rasa checks the signature, so the body and headers really arrived unchanged.
    headers["X-Slack-Signature"] = slack_signature("wrong-secret", timestamp, body)
    status, answer = post(url, body, headers)
    assert status == 400 and b"not properly signed" in answer

    # Channels not in KO_CHANNELS are not proxied.
    status, _ = post(url.replace("slack", "telegram"), b"{}", {"Content-Type": "application/json"})
    assert status == 404
