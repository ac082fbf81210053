"""Private file storage: the filesystem under ./var/media by default, S3 when configured.

Filed documents are never served by a public URL: a view that calls access_* streams them.
"""

from ecf.env import env
from ecf.instance import INSTANCE

from ..base import VAR_DIR

MEDIA_ROOT = env.str("ECF_MEDIA_ROOT", default=str(VAR_DIR / "media" / INSTANCE))
# Private files have no public URL; nothing is routed here (documents stream through
# permission-checked views). Django needs a value for its test server.
MEDIA_URL = "/private-media-not-served/"

if env.str("ECF_S3_BUCKET", default=""):
    _default = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("ECF_S3_BUCKET"),
            "endpoint_url": env.str("ECF_S3_ENDPOINT_URL", default="") or None,
            "access_key": env.str("ECF_S3_ACCESS_KEY", default="") or None,
            "secret_key": env.str("ECF_S3_SECRET_KEY", default="") or None,
            "location": INSTANCE,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            # Path-style, SigV4: what self-hosted S3 servers (and moto) expect.
            "addressing_style": "path",
            "signature_version": "s3v4",
            "region_name": env.str("ECF_S3_REGION", default="us-east-1"),
        },
    }
else:
    _default = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    }

STORAGES = {
    "default": _default,
    "staticfiles": {
        "BACKEND": env.str(
            "ECF_STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
