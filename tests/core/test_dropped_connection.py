"""A kept database connection the database dropped between two requests (a restart,
a failover, an idle timeout). With the ping before each request's first query
(CONN_HEALTH_CHECKS, the default) it costs nothing: the request gets a new connection.
Without it (DJANGO_CONN_HEALTH_CHECKS=false) it costs exactly one request, answered
with the "try again" 503 (the page's or the API's), and the next request works on a
new connection.

Requests here go through Django's WSGI handler as gunicorn calls it, with the
request_started/request_finished signals that check and close connections (the test
client switches those off).
"""

import io
import json

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory
from factories import make_case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def web_connection(monkeypatch):
    """The default connection configured as the web's: kept 60 s, never pinged."""
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", False)
    yield connection
    connection.close()


def _serve(path: str, headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    """One request through the WSGI handler, closed as a WSGI server closes it."""
    environ = RequestFactory()._base_environ(  # type: ignore[attr-defined]
        PATH_INFO=path, REQUEST_METHOD="GET", **{"wsgi.input": io.BytesIO(b"")}
    )
    environ.update(headers or {})
    answered: dict = {}

    def start_response(status, response_headers, exc_info=None):
        answered["status"] = int(status.split()[0])
        answered["headers"] = dict(response_headers)

    response = WSGIHandler()(environ, start_response)
    try:
        body = b"".join(response)
    finally:
        response.close()  # request_finished: Django closes a broken connection here
    return answered["status"], answered["headers"], body


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _terminate(pid: int) -> None:
    with psycopg.connect(**connection.get_connection_params(), autocommit=True) as db:
        db.execute("SELECT pg_terminate_backend(%s)", [pid])


def _signed_in_cookie(user) -> dict[str, str]:
    from django.conf import settings

    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={session}"}


@pytest.mark.parametrize("who", ["anonymous", "signed-in"])
def test_a_dropped_connection_costs_one_try_again_page(demo, web_connection, who):
    case = make_case(demo.court, title="Dropped Connection")
    headers = _signed_in_cookie(demo.users["attorney"]) if who == "signed-in" else {}
    url = f"/cases/{case.pk}/"
    status, _, _ = _serve(url, headers)
    assert status == 200
    kept = _backend_pid()
    status, _, _ = _serve(url, headers)
    assert status == 200 and _backend_pid() == kept  # the connection is kept

    _terminate(kept)
    status, response_headers, body = _serve(url, headers)
    assert status == 503
    assert response_headers["Retry-After"]
    assert "try again" in body.decode().lower()
    assert b"Traceback" not in body and b"OperationalError" not in body

    status, _, body = _serve(url, headers)
    assert status == 200  # a new connection, no restart
    assert b"Dropped Connection" in body
    assert _backend_pid() != kept


def test_a_dropped_connection_costs_the_api_one_503(demo, web_connection):
    case = make_case(demo.court, title="Dropped Connection")
    url = f"/api/v1/cases/{case.pk}"
    assert _serve(url)[0] == 200
    _terminate(_backend_pid())
    status, response_headers, body = _serve(url)
    assert status == 503
    assert response_headers["Retry-After"]
    error = json.loads(body)["error"]
    assert error["code"] == "unavailable"
    assert "try again" in error["message"].lower()
    status, _, body = _serve(url)
    assert status == 200 and json.loads(body)["id"] == case.pk


def test_with_the_ping_a_dropped_connection_costs_no_request(demo, monkeypatch):
    """The default (CONN_HEALTH_CHECKS on for the web, workers and commands): the
    request after the database dropped the connection is answered as usual."""
    from django.conf import settings

    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)
    case = make_case(demo.court, title="Dropped Connection")
    url = f"/cases/{case.pk}/"
    assert _serve(url)[0] == 200
    kept = _backend_pid()
    _terminate(kept)
    status, _, body = _serve(url)
    assert status == 200 and b"Dropped Connection" in body
    assert _backend_pid() != kept
    connection.close()


def test_a_dropped_connection_under_a_signed_in_404_page(demo, web_connection):
    """The "not found" page reads the signed-in user's session outside any view
    (here behind the redirect that adds a missing slash): with the connection gone,
    the same "try again" 503, not a 500; the next request works."""
    case = make_case(demo.court, title="Dropped Connection")
    headers = _signed_in_cookie(demo.users["attorney"])
    assert _serve(f"/cases/{case.pk}/", headers)[0] == 200
    _terminate(_backend_pid())
    status, response_headers, body = _serve(f"/cases/{case.pk}", headers)
    assert status == 503
    assert "try again" in body.decode().lower()
    assert "no-store" in response_headers["Cache-Control"]
    status, response_headers, _ = _serve(f"/cases/{case.pk}", headers)
    assert status == 301  # the redirect to the address with the slash, as usual
    status, _, body = _serve(f"/cases/{case.pk}/", headers)
    assert status == 200 and b"Dropped Connection" in body


def test_a_response_is_private_when_the_session_cannot_be_read(rf):
    """Whether to mark a response private asks who is signed in; when the session
    cannot be read (the database is away) it is marked private, and answered."""
    from django.db import OperationalError
    from django.http import HttpResponse
    from django.utils.functional import SimpleLazyObject

    from core.middleware import SecurityHeadersMiddleware

    def unreadable():
        raise OperationalError("terminating connection due to administrator command")

    request = rf.get("/cases/1")
    request.user = SimpleLazyObject(unreadable)
    middleware = SecurityHeadersMiddleware(lambda r: HttpResponse("moved", status=301))
    response = middleware(request)
    assert response.status_code == 301
    assert response["Cache-Control"] == "private, no-store"
