# Production image for docker-compose.yml (not used by `make run`/`make test`).
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core qpdf \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . && useradd --system ecf && mkdir -p /app/var && chown ecf /app/var
USER ecf
ENV DJANGO_SETTINGS_MODULE=ecf.settings.base
RUN DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=x DATABASE_URL=postgres://x@x/x \
    TRAINING_DATABASE_URL=postgres://x@x/x CELERY_BROKER_URL=redis://x ECF_CACHE_URL=redis://x \
    python manage.py collectstatic --noinput
