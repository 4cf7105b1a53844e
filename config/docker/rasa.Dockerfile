# Rasa server with the project's custom NLU components and a model trained at build time.
FROM rasa/rasa:3.6.21-full AS base
USER root
WORKDIR /app
COPY pyproject.toml README.md ./
COPY config/requirements.lock config/requirements.lock
# Only what the custom NLU components need beyond the image's Rasa.
RUN pip install --no-cache-dir -c config/requirements.lock simplemma langdetect lingua-language-detector
COPY bot bot
COPY actions actions
COPY config config
COPY data data
ENV PYTHONPATH=/app RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2 KO_CACHE_DIR=/app/.cache
# simplemma's compact dictionary index (bot/nlu/lemmas.py), built once here instead of at each start.
RUN python -c "from bot.nlu import lemmas; lemmas.preload()"
RUN rasa train --config config/config.yml --domain config/domain --data data --out models \
    && chown -R 1001 /app
USER 1001
EXPOSE 5005
ENTRYPOINT ["rasa"]
CMD ["run", "--model", "models", "--endpoints", "config/endpoints.docker.yml", \
     "--credentials", "config/credentials.yml", "--enable-api", "--interface", "0.0.0.0", "--port", "5005"]
