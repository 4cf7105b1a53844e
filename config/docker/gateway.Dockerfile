# Public web gateway: FastAPI app serving the widget and proxying to Rasa.
FROM python:3.10-slim
WORKDIR /app
COPY config/requirements.lock config/requirements.lock
RUN pip install --no-cache-dir -c config/requirements.lock \
      fastapi uvicorn httpx pyyaml simplemma pydantic starlette
# bot/ includes the gateway's widget (bot/gateway/static) and page template.
COPY bot bot
ENV PYTHONPATH=/app KO_CACHE_DIR=/app/.cache
# simplemma's compact dictionary index (bot/nlu/lemmas.py), built once here instead of at each start.
RUN python -c "from bot.nlu import lemmas; lemmas.preload()"
RUN useradd --uid 1001 --no-create-home app
USER 1001
EXPOSE 8000
# --proxy-headers: client addresses (rate limits) and https (Secure cookie) come from the
# city's reverse proxy, trusted per FORWARDED_ALLOW_IPS. No access log: it would record
# residents' addresses for nothing.
CMD ["python", "-m", "uvicorn", "bot.gateway.app:app", "--host", "0.0.0.0", "--port", "8000", \
     "--ws", "none", "--no-server-header", "--no-access-log", "--proxy-headers"]
