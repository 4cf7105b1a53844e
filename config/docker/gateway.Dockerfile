# Public web gateway: FastAPI app serving the widget and proxying to Rasa.
FROM python:3.10-slim
WORKDIR /app
COPY config/requirements.lock config/requirements.lock
RUN pip install --no-cache-dir -c config/requirements.lock \
      fastapi uvicorn httpx pyyaml simplemma pydantic starlette
COPY bot bot
ENV PYTHONPATH=/app
RUN useradd --uid 1001 --no-create-home app
USER 1001
EXPOSE 8000
CMD ["python", "-m", "uvicorn", "bot.gateway.app:app", "--host", "0.0.0.0", "--port", "8000", \
     "--ws", "none", "--no-server-header", "--proxy-headers"]
