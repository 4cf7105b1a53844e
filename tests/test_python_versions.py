"""The guidance core is not tied to Python 3.10 (which reached its end of life in October
2026; Rasa 3.6 keeps the NLU processes on it). Every module of bot/ except the Rasa
components compiles with each newer CPython found on this machine."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NEWER = ("python3.11", "python3.12", "python3.13")


def interpreters() -> list[str]:
    # pyenv's shims answer only for the active version: take its installed versions instead
    found = [w for w in (shutil.which(name) for name in NEWER) if w and "/shims/" not in w]
    pyenv = Path.home() / ".pyenv" / "versions"
    if pyenv.is_dir():
        found += [str(p / "bin" / "python3") for p in sorted(pyenv.iterdir())
                  if p.name.startswith(("3.11", "3.12", "3.13")) and (p / "bin" / "python3").exists()]
    return sorted({f for f in found if f})


CORE = sorted(str(p) for p in (ROOT / "bot").rglob("*.py") if "rasa_components" not in p.parts)


@pytest.mark.parametrize("python", interpreters() or [None])
def test_core_compiles_with_newer_pythons(python, tmp_path) -> None:
    if python is None:
        pytest.skip("no Python newer than 3.10 on this machine")
    code = ("import py_compile, sys\n"
            "for f in sys.argv[2:]:\n"
            "    py_compile.compile(f, cfile=sys.argv[1], doraise=True)\n")
    result = subprocess.run([python, "-c", code, str(tmp_path / "x.pyc"), *CORE], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
