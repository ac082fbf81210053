"""Web hardening: secure cookies, HSTS, frame denial, per-instance cookie names, cache."""

from ecf.env import env
from ecf.instance import INSTANCE

_secure = env.bool("DJANGO_SECURE", default=True)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=_secure)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000 if _secure else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
# Django's database sessions, read with a query compiled once per process.
SESSION_ENGINE = "core.sessions"
# Live and training share a host in development: their cookies must not collide.
SESSION_COOKIE_NAME = f"ecf_{INSTANCE}_session"
CSRF_COOKIE_NAME = f"ecf_{INSTANCE}_csrftoken"
LANGUAGE_COOKIE_NAME = f"ecf_{INSTANCE}_lang"
# The language switch's choice is remembered for a year (django.views.i18n.set_language).
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SECURE = _secure
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

CACHES = {
    "default": {
        "BACKEND": "core.cache.RedisCache",
        "LOCATION": env.str("ECF_CACHE_URL"),
        "KEY_PREFIX": f"ecf-{INSTANCE}",
    }
}
# Strict CSP: no inline script anywhere (core.middleware.SecurityHeadersMiddleware).
ECF_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)
