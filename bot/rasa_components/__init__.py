"""Rasa NLU graph components. The only part of `bot` that imports Rasa: each component is a
thin wrapper around plain-Python logic elsewhere in `bot` (language, municipalities, ...).

Importing the package also removes work Rasa repeats on every turn (see speedups.py) and
keeps the assistant's own structured data out of messaging channels (channel_data.py)."""
from bot.rasa_components.channel_data import install_internal_data_filter
from bot.rasa_components.speedups import install_cached_action_result_validation, install_event_type_cache

install_cached_action_result_validation()
install_event_type_cache()
install_internal_data_filter()
