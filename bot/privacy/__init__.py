"""Privacy layer: redaction of personal data typed by residents, a redacting tracker store,
a redacting log filter and the retention job. See bot/privacy/README.md."""
