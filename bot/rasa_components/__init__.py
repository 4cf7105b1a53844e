"""Rasa NLU graph components. The only part of `bot` that imports Rasa: each component is a
thin wrapper around plain-Python logic elsewhere in `bot` (language, municipalities, ...)."""
