"""E-mail: SMTP in production; files under ./var/mail in development.

Every message the system sends is also kept as a row in the recipient's in-app inbox
(core.mail.send_message), so nothing depends on the mail reaching an inbox.
"""

from ecf.env import env
from ecf.instance import INSTANCE, IS_TRAINING

from ..base import VAR_DIR

EMAIL_BACKEND = env.str(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"
)
if IS_TRAINING:
    # Training mail never reaches a real inbox: it lands only in the in-app inbox
    # (and a file for the curious).
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = env.str("ECF_MAIL_DIR", default=str(VAR_DIR / "mail" / INSTANCE))
EMAIL_HOST = env.str("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str(
    "DJANGO_DEFAULT_FROM_EMAIL", default="ecf-notice@localhost"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
