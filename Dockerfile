# The production image for docker-compose.yml: one image for every ECF process (web,
# worker, beat, release); the command picks the role. Not used by `make run`/`make test`.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 DJANGO_SETTINGS_MODULE=ecf.settings.base \
    PYTHONPATH=/app
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core qpdf tesseract-ocr tesseract-ocr-eng curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies first, exactly as locked (make lock), so code changes reuse this layer.
COPY requirements.lock ./
RUN pip install -r requirements.lock
# The code, run from /app (PYTHONPATH), not installed: templates and static files are
# found beside it. .dockerignore keeps .env, var/, .git, node_modules and .venv out.
COPY . .
RUN useradd --system --home /app ecf \
    && mkdir -p /app/var/static && chown -R ecf /app/var
# Static files are collected into the image (whitenoise can serve them, and their
# manifest names the hashed files); the release step collects the same files into the
# volume nginx serves /static/ from (docker-compose.yml).
RUN DJANGO_SECRET_KEY=build DJANGO_ALLOWED_HOSTS=x DATABASE_URL=postgres://x@x/x \
    TRAINING_DATABASE_URL=postgres://x@x/x CELERY_BROKER_URL=redis://x ECF_CACHE_URL=redis://x \
    ECF_VAR_DIR=/app/var python manage.py collectstatic --noinput -v0 \
    && chown -R ecf /app/var
USER ecf
ENV ECF_VAR_DIR=/app/var
EXPOSE 8000 9100
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
