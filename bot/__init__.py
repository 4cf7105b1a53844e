"""Guidance assistant for social rehabilitation and rehabilitative work activity (fi/sv/en).

Plain-Python core (knowledge base, route engine, language detection) plus the web gateway.
Only `bot.rasa_components` imports Rasa.
"""
