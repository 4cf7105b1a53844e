"""The public web gateway (FastAPI): chat page + widget, chat API, route API, health.

Rasa's own HTTP API stays on loopback behind a token; this is the only public entry.
"""
