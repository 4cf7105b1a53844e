# Two commands matter (see README): `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
RASA   := $(PY) -m rasa
STAMP  := $(VENV)/.installed
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONHASHSEED := 0

TRAIN_ARGS := --config config/config.yml --domain config/domain --data data --out models

.PHONY: help venv install train run shell test test-fast validate check-content report bench soak eval eval-conversations lock lint clean

help:
	@echo "make run      set everything up (venv, install, train if needed) and start the assistant"
	@echo "             (a crashed process is restarted: README, Restarts)"
	@echo "make test     run the linters and the whole test suite (unit, content, trained model, end-to-end)"
	@echo "make lint     ruff, mypy and yamllint (part of make test)"
	@echo "make shell    staff: chat with the assistant in the terminal (rasa shell; works beside make run)"
	@echo "make train    train the model if config, domain, data or component code changed (FORCE=1: always)"
	@echo "make validate rasa data validate + content checks"
	@echo "make report   staff: last week's report (use, interview, not understood, feedback) + charts"
	@echo "make bench    run the benchmark suite (writes tests/bench/results/)"
	@echo "make soak     20 conversations for 5 minutes with a Rasa SIGKILL in the middle"
	@echo "make eval     score the assistant on real residents' messages (tests/eval/, test set)"
	@echo "make eval-conversations  score whole conversations, every turn of the interview (tests/eval/)"

# Find a Python 3.10 interpreter: $$PYTHON, python3.10 (incl. a pyenv shim that honours
# .python-version), any pyenv-installed 3.10, or fail with instructions.
$(PY):
	@set -e; PYBIN=""; \
	for c in "$${PYTHON:-}" python3.10 python3; do \
	  [ -n "$$c" ] || continue; \
	  if command -v "$$c" >/dev/null 2>&1 && "$$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then PYBIN="$$c"; break; fi; \
	done; \
	if [ -z "$$PYBIN" ] && command -v pyenv >/dev/null 2>&1; then \
	  for v in $$(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$$)' | sort -V -r); do \
	    cand="$$(pyenv root)/versions/$$v/bin/python3.10"; \
	    if [ -x "$$cand" ]; then PYBIN="$$cand"; break; fi; \
	  done; \
	fi; \
	if [ -z "$$PYBIN" ]; then \
	  echo "ERROR: Python 3.10 is required (Rasa 3.6 supports Python < 3.11) but none was found." >&2; \
	  echo "Install it, e.g. 'pyenv install 3.10.13' or your OS package python3.10," >&2; \
	  echo "or point to one: make run PYTHON=/path/to/python3.10" >&2; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$PYBIN ($$($$PYBIN --version 2>&1))"; \
	"$$PYBIN" -m venv $(VENV)

$(STAMP): $(PY) pyproject.toml config/requirements.lock
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c config/requirements.lock -e '.[dev]'
	@touch $@

venv install: $(STAMP)

# Trains only when config, domain, data or the custom components' code changed (content
# fingerprint in models/fingerprint.json, bot/training.py): `rasa train` itself writes a
# new model on every run. `make train FORCE=1` trains anyway.
train: $(STAMP)
	$(PY) -m bot.training $(TRAIN_ARGS) $(if $(FORCE),--force)

run: train
	$(PY) -m bot.supervisor

# Its own action server and Rasa on free ports with their own token, beside `make run` or
# alone; test conversations go to a throwaway tracker store (bot/shell.py).
shell: train
	$(PY) -m bot.shell

# The whole suite. CI runs exactly this (.ci/run): the linters first, then every test.
test: lint
	$(PY) -m pytest -q

# Style and errors (ruff), types (mypy), the YAML data (yamllint); settings in
# pyproject.toml and .yamllint.
lint: $(STAMP)
	$(PY) -m ruff check bot actions tests
	$(PY) -m mypy
	$(PY) -m yamllint --strict .

test-fast: $(STAMP)
	$(PY) -m pytest -q -m "not slow"

validate: $(STAMP)
	$(RASA) data validate --config config/config.yml --domain config/domain --data data --fail-on-warnings
	$(PY) -m bot check-content

check-content: $(STAMP)
	$(PY) -m bot check-content

# Staff report over the tracker store (README "Staff report"): last week (Monday to Sunday
# when run on a Monday) as Markdown on the screen, charts and the not-understood messages as
# NLU YAML to label in .data/reports/. REPORT_SINCE=30d; REPORT_ARGS="--format json" etc.
REPORT_DIR ?= .data/reports
REPORT_SINCE ?= 7d
report: $(STAMP)
	@mkdir -p $(REPORT_DIR)
	$(PY) -m bot report --since $(REPORT_SINCE) --plot $(REPORT_DIR) $(REPORT_ARGS)
	$(PY) -m bot report --since $(REPORT_SINCE) --unanswered --format yaml --out $(REPORT_DIR)/unanswered.yml

# The whole benchmark suite (tests/bench/run_all.py: trains its own model from scratch, then
# latency, load, scale-out, cold start, memory, language and NLU), about 15-20 min, loopback
# only; results and summary in tests/bench/results/. The scale-out part needs Debian's
# redis-server and postgresql (apt-get install -y redis-server postgresql); without them it
# is reported as skipped (with that command) and the exit status stays 0; a part that fails
# exits 2. BENCH_ARGS=--quick for a short smoke run.
bench: $(STAMP)
	@command -v redis-server >/dev/null && { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null; } || \
	  echo "note: redis-server/postgresql missing, the scale-out part will be skipped (apt-get install -y redis-server postgresql)"
	$(PY) tests/bench/run_all.py $(BENCH_ARGS)

# Soak test (issue 7): 20 concurrent conversations through the gateway for 5 minutes, Rasa
# killed and restarted half-way; counts sent/answered/lost (tests/bench/results/soak.md).
soak: train
	$(PY) tests/bench/soak.py $(SOAK_ARGS)

# Residents' evaluation set (issue 13): trains if needed, starts its own stack on free loopback
# ports and scores the test set; results in tests/eval/results/ (see tests/eval/README.md).
# EVAL_ARGS=--set dev (or all) for another set.
eval: train
	$(PY) tests/eval/score_residents.py $(EVAL_ARGS)

# Whole conversations (issue 13, every turn of the interview): a resident written down in
# advance answers the questions actually asked; results in tests/eval/results/conversations_*.
# EVAL_ARGS=--set dev for the set the developers read.
eval-conversations: train
	$(PY) tests/eval/score_conversations.py $(EVAL_ARGS)

lock: $(STAMP)
	@{ echo "# Exact versions of every package, resolved on Python 3.10.13 (Linux x86_64)."; \
	   echo "# make installs with: pip install -c config/requirements.lock -e .[dev]"; \
	   echo "# Regenerate after changing pyproject.toml: make lock"; \
	   $(PY) -m pip freeze --exclude-editable | grep -v '^kuntoutusopas'; } > config/requirements.lock.new
	@mv config/requirements.lock.new config/requirements.lock

clean:
	rm -rf models .data .pytest_cache
