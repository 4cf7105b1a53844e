"""Custom actions: thin adapters between the Rasa tracker and the plain-Python core in `bot`."""
