"""Settings for every environment, driven by environment variables (ecf/env.py).

Defaults are production-safe: DEBUG off, no default SECRET_KEY, ALLOWED_HOSTS required.
`make run` supplies development values; `.env.example` lists every variable.
"""

from pathlib import Path

from ecf.env import env
from ecf.instance import INSTANCE, IS_TRAINING

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR: Path = Path(env.str("ECF_VAR_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = env.str("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

ECF_INSTANCE = INSTANCE
ECF_IS_TRAINING = IS_TRAINING
# Where each instance is reached, for the links between them (home page, training notices).
ECF_LIVE_URL = env.str("ECF_LIVE_URL", default="http://127.0.0.1:8000")
ECF_TRAINING_URL = env.str("ECF_TRAINING_URL", default="http://127.0.0.1:8001")
ECF_SITE_URL = ECF_TRAINING_URL if IS_TRAINING else ECF_LIVE_URL

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "core",
    "filers",
    "cases",
    "dockets",
    "training",
]

MIDDLEWARE = [
    "core.probes.ProbeMiddleware",
    "core.logs.RequestIdMiddleware",
    "core.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The visitor's language: the language switch's cookie, else Accept-Language,
    # else LANGUAGE_CODE (English).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.middleware.SecurityHeadersMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "core.middleware.ControlCharactersMiddleware",
]

ROOT_URLCONF = "ecf.urls"
WSGI_APPLICATION = "ecf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.court",
            ],
        },
    },
]

AUTH_USER_MODEL = "filers.User"
AUTHENTICATION_BACKENDS = [
    # The same two, reading a session's user with its filer account and two-factor
    # in one query (filers/backends.py); the originals stay for older sessions.
    "filers.backends.ModelBackend",
    "filers.backends.AuthenticationBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"

# Public pages, case and claim pages, ePOC and the help are also in Spanish
# (locale/es). What the court keeps stays as filed, in English: docket text, party
# names, the Official Form 410 that ePOC files (dockets.claims.form410).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# ecf/formats/es: U.S. Spanish (dollar amounts written 1,234.56; dates typed as in English).
FORMAT_MODULE_PATH = ["ecf.formats"]
ECF_COURT_TIME_ZONE = env.str("ECF_COURT_TIME_ZONE", default="America/Los_Angeles")
# Stored in UTC (USE_TZ); shown in the court's time zone, which is Django's current zone.
TIME_ZONE = ECF_COURT_TIME_ZONE
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Court-configurable limits (ARCHITECTURE.md "The path of a filing").
ECF_MAX_UPLOAD_BYTES = env.int("ECF_MAX_UPLOAD_BYTES", default=35 * 1024 * 1024)
ECF_PDF_CPU_SECONDS = env.int("ECF_PDF_CPU_SECONDS", default=10)
ECF_PDF_MEMORY_BYTES = env.int("ECF_PDF_MEMORY_BYTES", default=1024 * 1024 * 1024)
# Claims upload ZIPs (dockets.claims.batch_format): hostile input, bounded.
ECF_CLAIMS_UPLOAD_MAX_ZIP_BYTES = env.int(
    "ECF_CLAIMS_UPLOAD_MAX_ZIP_BYTES", default=50 * 1024 * 1024
)
ECF_CLAIMS_UPLOAD_MAX_MEMBERS = env.int("ECF_CLAIMS_UPLOAD_MAX_MEMBERS", default=200)
ECF_CLAIMS_UPLOAD_MAX_EXPANDED_BYTES = env.int(
    "ECF_CLAIMS_UPLOAD_MAX_EXPANDED_BYTES", default=150 * 1024 * 1024
)
ECF_CLAIMS_UPLOAD_MAX_RATIO = env.int("ECF_CLAIMS_UPLOAD_MAX_RATIO", default=100)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
ECF_DRAFT_DAYS = env.int("ECF_DRAFT_DAYS", default=7)
# How long an accepted upload is kept for a form that had errors (dockets.uploads).
ECF_HELD_UPLOAD_HOURS = env.int("ECF_HELD_UPLOAD_HOURS", default=24)
# FRBP 9006(a)(6)(C): the state whose holidays also end forward-counted periods
# (two-letter code; CA for casb). Empty: federal holidays only.
ECF_COURT_STATE = env.str("ECF_COURT_STATE", default="CA")
ECF_FEE_LOCKOUT_DAYS = env.int("ECF_FEE_LOCKOUT_DAYS", default=2)
# How many proxies in front of the app append to X-Forwarded-For (1 behind the TLS
# proxy in production, 0 when clients connect directly). The one client address
# (core.clientip) feeds allauth's, the API's and ePOC's rate limits and the access log.
ECF_TRUSTED_PROXY_COUNT = env.int("ECF_TRUSTED_PROXY_COUNT", default=0)
# API requests a minute per token and per client address without a token
# (dockets.api.auth): a court raises the token limit for a high-volume integration.
ECF_API_TOKEN_RATE_PER_MINUTE = env.int("ECF_API_TOKEN_RATE_PER_MINUTE", default=120)
ECF_API_ANON_RATE_PER_MINUTE = env.int("ECF_API_ANON_RATE_PER_MINUTE", default=30)
# NEF free-look links and ePOC receipt links expire after this many days (CM/ECF's
# free look is 15 days); an expired link falls back to normal access.
ECF_LINK_EXPIRY_DAYS = env.int("ECF_LINK_EXPIRY_DAYS", default=15)

# What a clerk's certification of a filer waits for beyond a confirmed e-mail and the
# accepted agreement: names of requirements the apps register (filers.hooks; the
# training app registers "training": every required exercise passed). A court that
# does not require training before certification sets it empty.
ECF_CERTIFICATION_REQUIREMENTS = env.list(
    "ECF_CERTIFICATION_REQUIREMENTS", default=["training"]
)

from .components.allauth import *  # noqa: E402, F403
from .components.celery import *  # noqa: E402, F403
from .components.databases import *  # noqa: E402, F403
from .components.email import *  # noqa: E402, F403
from .components.logging import *  # noqa: E402, F403
from .components.observability import *  # noqa: E402, F403
from .components.security import *  # noqa: E402, F403
from .components.storage import *  # noqa: E402, F403

# The court (ARCHITECTURE.md: nothing court-specific hard-coded). Detailed data
# (offices, judges, trustees, events, fees) lives in the database.
ECF_COURT_ID = env.str("ECF_COURT_ID", default="casb")
ECF_COURT_NAME = env.str(
    "ECF_COURT_NAME", default="U.S. Bankruptcy Court, Southern District of California"
)
# The district, as the court's captions name it (the release step creates the court row).
ECF_COURT_DISTRICT = env.str(
    "ECF_COURT_DISTRICT", default="Southern District of California"
)
ECF_COURT_SHORT_NAME = env.str(
    "ECF_COURT_SHORT_NAME", default="S.D. Cal. Bankruptcy Court"
)
# The court's four-digit AO location code (09 Ninth Circuit, 7 Southern District of
# California, 4 bankruptcy), as a claims upload's <DistrictCode> names it.
ECF_COURT_DISTRICT_CODE = env.str("ECF_COURT_DISTRICT_CODE", default="0974")
# Issue 6: how case numbers are shown (cases.numbers.STYLES): display 24-01234-LT7, long_judge 3:24-bk-01234-LT.
ECF_CASE_NUMBER_STYLE = env.str("ECF_CASE_NUMBER_STYLE", default="display")

# Keys for encrypting full SSNs/ITINs/EINs and claim codes at rest: a comma-separated
# list of Fernet keys (urlsafe base64 of 32 bytes), newest first (MultiFernet: the first
# encrypts, all decrypt; `manage.py rotate_field_key` re-encrypts with the first).
# Mandatory in production (DJANGO_SECURE on); development may leave it empty and use a
# key derived from DJANGO_SECRET_KEY, which stays readable for rotate_field_key.
ECF_FIELD_ENCRYPTION_KEY = env.list("ECF_FIELD_ENCRYPTION_KEY", default=[])
if env.bool("DJANGO_SECURE", default=True) and not ECF_FIELD_ENCRYPTION_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "ECF_FIELD_ENCRYPTION_KEY is required in production: set it to one or more "
        "Fernet keys, newest first (python -c 'from cryptography.fernet import Fernet; "
        "print(Fernet.generate_key().decode())')."
    )
# Every field encrypted with core.crypto, for `manage.py rotate_field_key`.
ECF_ENCRYPTED_FIELDS = [
    "cases.Party.tax_id_encrypted",
    "dockets.Claim.epoc_code_encrypted",
]

# Demo mode (make run): demo logins and `make otp` work. Never on in production.
ECF_DEMO = env.bool("ECF_DEMO", default=False)
# Issue 10 (training): the key of practice links (shared by both instances; empty:
# derived from the training database's settings). The training app's answers to the
# other apps' questions are registered in code (training/apps.py), not named here.
ECF_TRAINING_LINK_SECRET = env.str("ECF_TRAINING_LINK_SECRET", default="")
