"""Send a private stored file, after the caller's access check, in one of two ways
(ECF_PROTECTED_DOWNLOADS):

- "stream": Django opens the file and streams it (development, tests, no proxy);
- "accel": Django answers with X-Accel-Redirect and nginx sends the file, so no gunicorn
  worker is held by a slow download. On the filesystem the header names an internal
  location over the media folder; on S3 it carries a presigned URL valid for
  ECF_DOWNLOAD_URL_SECONDS, which nginx fetches from the object store on the private
  network (the user never sees it, and it is useless a minute later).
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header


def accel_target(name: str) -> str:
    """The X-Accel-Redirect value for stored file `name`."""
    if hasattr(default_storage, "bucket_name"):  # S3
        # S3Storage.url takes `expire`; the stubs type default_storage as the base Storage.
        url = default_storage.url(name, expire=settings.ECF_DOWNLOAD_URL_SECONDS)  # type: ignore[call-arg]
        parts = urlsplit(url)
        return f"{settings.ECF_ACCEL_S3_PREFIX}{parts.path.lstrip('/')}?{parts.query}"
    return settings.ECF_ACCEL_MEDIA_PREFIX + quote(name)


def protected_file_response(
    name: str,
    *,
    filename: str,
    as_attachment: bool = True,
    content_type: str = "application/pdf",
) -> HttpResponse | FileResponse:
    """The response that sends stored file `name`; 404 when it is not in storage."""
    response: HttpResponse | FileResponse
    if settings.ECF_PROTECTED_DOWNLOADS == "accel":
        if not default_storage.exists(name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel_target(name)
        response["X-Accel-Buffering"] = "yes"
        disposition = content_disposition_header(as_attachment, filename)
        if disposition:
            response["Content-Disposition"] = disposition
    else:
        try:
            handle = default_storage.open(name, "rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        response = FileResponse(
            handle,
            as_attachment=as_attachment,
            filename=filename,
            content_type=content_type,
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
