"""`rasa data validate` must be clean: no warnings, no errors."""
from __future__ import annotations

import pytest

from tests.conftest import run_rasa


@pytest.mark.slow
def test_rasa_data_validate_is_clean():
    result = run_rasa(
        "data", "validate", "--config", "config/config.yml", "--domain", "config/domain",
        "--data", "data", "--fail-on-warnings", timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
