"""Rasa's training cache and the code of our components.

Rasa fingerprints a graph component by its class source, config and inputs, so a change
in the plain-Python code a component calls (bot/nlu/extract/, bot/language/, the lexicon,
the municipality table ...) left the fingerprint unchanged: Rasa restored the component's
cached output and the change never reached the model. ``fingerprint_addon`` adds the
content hash of everything the component's module runs (bot.training.code_fingerprint).
"""
from __future__ import annotations

from typing import Any, Dict, Optional

from bot.training import code_fingerprint


class CodeFingerprint:
    """Mixin for our GraphComponents: retrain when the code behind them changes."""

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        return code_fingerprint(cls.__module__)
