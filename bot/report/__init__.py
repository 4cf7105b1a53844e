"""Staff report over the tracker store: ``python -m bot report`` (README "Staff report").

Modules, each small and testable on its own:

* ``source``   reads stored events, read-only, from the SQL tracker store (SQLite or
  PostgreSQL, the same SQLAlchemy URL the tracker store uses) and splits them into sessions;
* ``sessions`` turns one session's events into a ``SessionSummary`` (pure, no database);
* ``figures``  aggregates summaries into the report's figures (a plain dict, the JSON);
* ``groups``   groups the messages the assistant did not understand by similarity;
* ``formats``  writes Markdown, JSON, CSV and, for ``--unanswered``, Rasa NLU YAML;
* ``plots``    draws PNG charts (matplotlib);
* ``cli``      the command line.

Nothing in the report identifies a resident: no conversation ids, no timestamps finer than
a day, and message texts only as the tracker store keeps them (redacted).
"""
