"""`make train`: train the Rasa model only when something it is built from changed.

    python -m bot.training [--config F] [--domain D] [--data D ...] [--out DIR] [--force] [--check]

Why this exists: Rasa 3.6's ``rasa train`` has no "nothing changed, keep the last model"
path. Its fingerprints only decide which graph components are restored from the training
cache (``.rasa/cache``); every run still packs and writes a new model archive (about 10 s
with a warm cache, 30 s or more without), so every ``make run`` wrote a new model. (Rasa 2
kept the old model; Rasa 3 only reports "No training of components required" with
``rasa train --dry-run`` and writes nothing in that mode.)

Here the inputs of the model are fingerprinted by content (never by modification time):
the config file, every domain and training data file, the Python code and data files of
the custom components named in the config (``bot.*`` modules, followed through their
imports), the pinned dependency versions, and the Rasa and Python versions. The
fingerprint of the model last trained into ``--out`` is kept in ``<out>/fingerprint.json``;
when it matches and that model is still the newest in ``--out``, nothing is trained and
no file is written. Otherwise ``rasa train`` runs (with its cache) and the new fingerprint
is recorded. ``--check`` only reports (exit 0: up to date, 1: training needed).

The same code fingerprint is the custom components' ``fingerprint_addon`` (see
bot/rasa_components), so Rasa's own cache also notices when e.g. bot/nlu/extract/ changes;
without it Rasa restored the components' cached output and a code change never reached
the model.
"""
from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import platform
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from bot.settings import ROOT

RECORD = "fingerprint.json"
# Packages whose version changes what the custom components compute.
COMPONENT_PACKAGES = ("rasa", "spacy", "simplemma", "scikit-learn")
# Modules that compute the fingerprint and change nothing the components compute.
NOT_MODEL_CODE = frozenset({"bot.training", "bot.rasa_components.fingerprint"})


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rel(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def _module_file(name: str) -> Path | None:
    """The source file of a ``bot.*`` module (package: its __init__.py), or None."""
    parts = name.split(".")
    base = ROOT.joinpath(*parts)
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    return None


def _imported_bot_modules(path: Path, module: str) -> set[str]:
    """``bot.*`` modules that ``path`` imports (absolute and relative imports), each with
    the parent packages Python imports first."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            names = [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]
        for name in names:
            if name == "bot" or name.startswith("bot."):
                # "from bot import lemmas" names a module; "from bot.x import f" a function.
                while name and _module_file(name) is None:
                    name = name.rpartition(".")[0]
                if name:
                    found.add(name)
    return found


BOT_DIR = Path(__file__).resolve().parent


def _data_files(path: Path) -> set[Path]:
    """Files a module reads next to itself: string constants naming a file or folder
    relative to the module's folder (``Path(__file__).with_name("lexicon.yml")``,
    ``... .parent / "reference" / "municipalities.csv"``). A folder counts with every
    file directly in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    folder = path.parent
    found: set[Path] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        value = node.value
        if not value or len(value) > 100 or any(c in value for c in " \n\t*?") or value.startswith((".", "/")):
            continue
        # relative to the module's folder or one of its parents inside bot/
        # (``Path(__file__).parent.parent / "words"`` in bot/nlu/extract/words.py)
        for base in (folder, *[p for p in folder.parents if BOT_DIR in (p, *p.parents)]):
            candidate = base / value
            if candidate.is_file() and candidate.suffix != ".py":
                found.add(candidate)
            elif candidate.is_dir() and candidate.name not in ("__pycache__", "knowledge"):
                found.update(p for p in candidate.iterdir() if p.is_file() and p.suffix not in (".py", ".pyc"))
    return found


@cache
def source_files(*modules: str) -> tuple[Path, ...]:
    """The ``bot.*`` source files ``modules`` run, following imports, with their parent
    packages' __init__.py and the data files they read; sorted."""
    seen: set[str] = set()
    pending = list(modules)
    files: set[Path] = set()
    while pending:
        name = pending.pop()
        parts = name.split(".")
        for i in range(1, len(parts) + 1):  # the packages Python imports first
            prefix = ".".join(parts[:i])
            if prefix in seen or prefix in NOT_MODEL_CODE:
                continue
            seen.add(prefix)
            path = _module_file(prefix)
            if path is None:
                continue
            files.add(path)
            files.update(_data_files(path))
            pending.extend(_imported_bot_modules(path, prefix) - seen)
    return tuple(sorted(files))


def package_versions(packages: Iterable[str]) -> dict[str, str]:
    versions = {}
    for name in packages:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


@cache
def code_fingerprint(module: str) -> str:
    """Content hash of everything a custom component module runs (its ``bot.*`` code and
    data files) and of the packages it uses; the components' ``fingerprint_addon``."""
    digest = hashlib.sha256()
    for path in source_files(module):
        digest.update(_rel(path).encode() + b"\0" + sha256_file(path).encode() + b"\0")
    digest.update(json.dumps(package_versions(COMPONENT_PACKAGES), sort_keys=True).encode())
    return digest.hexdigest()


def custom_modules(config: Path) -> list[str]:
    """``bot.*`` modules of the components and policies named in a Rasa config file."""
    import yaml

    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    names = [item.get("name", "") for key in ("pipeline", "policies") for item in data.get(key) or []
             if isinstance(item, dict)]
    return sorted({name.rpartition(".")[0] for name in names if isinstance(name, str) and name.startswith("bot.")})


def _files_under(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        elif path.is_file():
            out.append(path)
    return sorted(set(out))


@dataclass(frozen=True)
class Inputs:
    fingerprint: str
    files: dict[str, str]  # path relative to the repository -> sha256
    versions: dict[str, str]


def training_inputs(config: Path, domain: Path, data: list[Path]) -> Inputs:
    files = _files_under([config, domain, *data, ROOT / "config" / "requirements.lock"])
    files += [p for p in source_files(*custom_modules(config)) if p not in files]
    hashes = {_rel(p): sha256_file(p) for p in sorted(set(files))}
    versions = {"python": ".".join(platform.python_version_tuple()[:2]), **package_versions(COMPONENT_PACKAGES)}
    digest = hashlib.sha256(json.dumps({"files": hashes, "versions": versions}, sort_keys=True).encode())
    return Inputs(digest.hexdigest(), hashes, versions)


def newest_model(out: Path) -> Path | None:
    models = sorted(out.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def read_record(out: Path) -> dict:
    try:
        return json.loads((out / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def why_training(inputs: Inputs, out: Path) -> list[str]:
    """Reasons to train (empty: the newest model in ``out`` was built from these inputs)."""
    model = newest_model(out)
    if model is None:
        return [f"no model in {out}"]
    record = read_record(out)
    if record.get("model") != model.name:
        return [f"no fingerprint recorded for the newest model {model.name}"]
    if record.get("fingerprint") == inputs.fingerprint:
        return []
    reasons = []
    before = record.get("files") or {}
    for path in sorted(set(before) | set(inputs.files)):
        if before.get(path) != inputs.files.get(path):
            state = "added" if path not in before else "removed" if path not in inputs.files else "changed"
            reasons.append(f"{path} {state}")
    for name, version in inputs.versions.items():
        if (record.get("versions") or {}).get(name) != version:
            reasons.append(f"{name} version {version}")
    return reasons or ["fingerprint changed"]


def write_record(out: Path, model: Path, inputs: Inputs) -> None:
    record = {"model": model.name, "fingerprint": inputs.fingerprint, "versions": inputs.versions,
              "files": inputs.files}
    tmp = out / (RECORD + ".tmp")
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, out / RECORD)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the model when its inputs changed (rasa train otherwise "
                                                 "writes a new model every time).")
    parser.add_argument("--config", type=Path, default=Path("config/config.yml"))
    parser.add_argument("--domain", type=Path, default=Path("config/domain"))
    parser.add_argument("--data", type=Path, nargs="+", default=[Path("data")])
    parser.add_argument("--out", type=Path, default=Path("models"))
    parser.add_argument("--force", action="store_true", help="train even when nothing changed")
    parser.add_argument("--check", action="store_true", help="only report; exit 1 when training is needed")
    args = parser.parse_args(argv)

    out = args.out
    inputs = training_inputs(args.config, args.domain, args.data)
    reasons = ["--force"] if args.force else why_training(inputs, out)
    if not reasons:
        model = newest_model(out)
        assert model is not None  # why_training() found no reason, so there is a model
        print(f"Nothing changed since {out / model.name} was trained (config, domain, data and "
              f"component code have the same fingerprint): not training.", flush=True)
        return 0
    shown = reasons[:8] + ([f"... and {len(reasons) - 8} more"] if len(reasons) > 8 else [])
    print("Training needed: " + "; ".join(shown), flush=True)
    if args.check:
        return 1

    out.mkdir(parents=True, exist_ok=True)
    before = {p.name for p in out.glob("*.tar.gz")}
    argv_rasa = [sys.executable, "-m", "rasa", "train", "--config", str(args.config), "--domain", str(args.domain),
                 "--data", *map(str, args.data), "--out", str(out)]
    if args.force:
        argv_rasa.append("--force")
    code = subprocess.call(argv_rasa)
    model = newest_model(out)
    if code != 0 or model is None or model.name in before:
        print(f"rasa train failed (exit {code}); no fingerprint recorded.", file=sys.stderr)
        return code or 1
    write_record(out, model, inputs)
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
