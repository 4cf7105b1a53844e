# Action server: rasa_sdk image + the plain-Python core it adapts (bot/).
FROM rasa/rasa-sdk:3.6.2
USER root
WORKDIR /app
COPY config/requirements.lock config/requirements.lock
RUN pip install --no-cache-dir -c config/requirements.lock pyyaml simplemma
COPY bot bot
COPY actions actions
ENV PYTHONPATH=/app KO_CACHE_DIR=/app/.cache
# simplemma's compact dictionary index (bot/nlu/lemmas.py), built once here instead of at each start.
RUN python -c "from bot.nlu import lemmas; lemmas.preload()"
USER 1001
EXPOSE 5055
ENTRYPOINT ["python", "-m", "actions.server"]
CMD ["--host", "0.0.0.0", "--port", "5055"]
