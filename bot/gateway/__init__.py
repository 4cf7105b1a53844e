"""The public web gateway (FastAPI) and the embeddable chat widget.

Rasa's own HTTP API stays on the private network behind a token; this is the only public
entry. Modules:

* ``app``        - ``create_app()``: routes, middleware and error handlers put together
* ``config``     - settings from GATEWAY_* environment variables
* ``chat``       - ``POST /api/chat`` (to Rasa's REST channel)
* ``guidance``   - ``POST /api/route`` and ``GET /api/services/{id}`` (the guidance core as JSON)
* ``pages``      - the chat page, the widget's static files and its configuration
* ``health``     - ``/healthz`` (every component) and ``/livez`` (the gateway alone)
* ``webhooks``   - Telegram/Slack/Bot Framework webhooks passed to Rasa
* ``channels``   - which optional channels are enabled; the Rasa credentials file for them
* ``sessions``   - signed conversation tokens and the session cookie
* ``rate_limit`` - token buckets per address and per conversation, concurrency cap
* ``security``   - security headers (CSP, ...) and the docs page
* ``body_limit`` - request size limit
* ``validation`` - message and metadata checks
* ``errors``, ``texts``, ``fallback`` - readable errors in fi/sv/en, human contacts when the bot is down
* ``rasa_client`` - HTTP calls to Rasa and the action server's health check
"""
