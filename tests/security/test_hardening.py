"""Web hardening: CSRF on every POST, a CSP with nothing inline, secure cookies and headers,
session rotation on login and MFA, rate limits, MFA for every filing role, the password policy."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from access_matrix import MISSING, ROWS
from browserkit import totp_code
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from matrixworld import world_fixture  # noqa: F401  (registers the `world` fixture)
from test_access_matrix import _request, _variants, url_names
from testkit import production_env

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "ecf-demo-password"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_ATTR = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
# Views that take no browser session and so need no CSRF token (token auth / webhooks).
CSRF_EXEMPT = {
    name: "token-authenticated JSON API (django-ninja; no cookies are used)"
    for name in ROWS
    if name.startswith("api-v1:")
}
# CM/ECF's report and query forms post their options (juriscraper posts them too); the
# views only read, so a forged POST can change nothing.
CSRF_EXEMPT |= {
    "dockets:legacy-dktrpt": "CM/ECF report form: a read, nothing is written",
    "dockets:legacy-iquery": "CM/ECF query form: a read, nothing is written",
}


def _urls(world, *, skip_missing=True):
    for name in url_names():
        row = ROWS.get(name)
        if row is None:
            continue
        for _variant, kwargs in _variants(row, world):
            if skip_missing and MISSING in kwargs.values():
                continue
            yield name, row, reverse(name, kwargs=kwargs or None)


@pytest.mark.django_db
def test_every_post_without_a_csrf_token_is_refused(world):
    """A forged cross-site POST never reaches a view: 403, for the clerk and for a filer."""
    tried = 0
    failures = []
    for role in ("clerk", "attorney"):
        client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        client.force_login(world["users"][role])
        for name, _row, url in _urls(world, skip_missing=False):
            if name in CSRF_EXEMPT:
                continue
            response, _ = _request(client, url, post=True)
            tried += 1
            if response.status_code != 403:
                failures.append(f"{name} {url} as {role}: {response.status_code}")
    print(f"\ncsrf: {tried} POSTs without a token, {len(failures)} accepted")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_no_page_has_inline_script_or_style(world):
    """Every page the clerk can open carries the CSP and nothing inline it would block."""
    client = Client(raise_request_exception=False)
    client.force_login(world["users"]["clerk"])
    pages = 0
    failures = []
    for name, _row, url in _urls(world):
        response, posted = _request(client, url, post=False)
        if (
            posted
            or response.status_code != 200
            or "html" not in response.get("Content-Type", "")
            or response.streaming
        ):
            continue
        pages += 1
        body = response.content.decode(errors="replace")
        csp = response.get("Content-Security-Policy", "")
        if "script-src 'self'" not in csp or "unsafe-inline" in csp:
            failures.append(f"{name}: CSP header is {csp!r}")
        for label, pattern in (
            ("inline <script>", INLINE_SCRIPT),
            ("on*= handler", EVENT_ATTR),
            ("style= attribute", STYLE_ATTR),
        ):
            found = pattern.search(body)
            if found:
                failures.append(f"{name} {url}: {label}: {found.group(0)[:120]}")
    print(f"\ncsp: {pages} HTML pages checked, {len(failures)} problems")
    assert pages > 40
    assert not failures, "\n".join(failures)


def test_production_settings_are_hardened():
    """With production settings: secure HttpOnly cookies, HSTS, frame denial, strict CSP."""
    env = production_env()
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({k: getattr(s, k)"
        " for k in ['DEBUG','SESSION_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY','CSRF_COOKIE_SECURE',"
        "'SECURE_HSTS_SECONDS','SECURE_HSTS_INCLUDE_SUBDOMAINS','X_FRAME_OPTIONS','SECURE_SSL_REDIRECT',"
        "'SECURE_CONTENT_TYPE_NOSNIFF','ECF_CSP']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    import json

    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert (
        values["SESSION_COOKIE_SECURE"]
        and values["SESSION_COOKIE_HTTPONLY"]
        and values["CSRF_COOKIE_SECURE"]
    )
    assert (
        values["SECURE_HSTS_SECONDS"] >= 31536000
        and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    )
    assert values["X_FRAME_OPTIONS"] == "DENY" and values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert (
        "frame-ancestors 'none'" in values["ECF_CSP"]
        and "unsafe-inline" not in values["ECF_CSP"]
    )


@pytest.mark.django_db
def test_headers_and_cookies_with_production_like_settings(demo, settings, client):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    login = client.get(reverse("account_login"), secure=True)
    assert login["X-Frame-Options"] == "DENY"
    assert "max-age=31536000" in login["Strict-Transport-Security"]
    assert "frame-ancestors 'none'" in login["Content-Security-Policy"]
    assert login["X-Content-Type-Options"] == "nosniff"
    response = client.post(
        reverse("account_login"),
        {"login": "clerk@ecf.test", "password": PASSWORD},
        secure=True,
    )
    assert response.status_code == 302
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["secure"] and session_cookie["httponly"]
    csrf_cookie = client.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf_cookie["secure"]


def _session_key(client, settings) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.django_db
def test_session_key_changes_on_login_and_on_mfa(demo, client, settings):
    """A session fixed before login is worthless after it: the key changes when the login completes."""
    user = demo.users["attorney"]
    client.session.save()  # an anonymous session exists before login (as an attacker could plant)
    before = _session_key(client, settings)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("mfa_authenticate")
    )
    pending = _session_key(client, settings)
    assert (
        "_auth_user_id" not in client.session
    )  # not logged in until the second factor
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(user)})
    assert response.status_code == 302
    after_mfa = _session_key(client, settings)
    assert after_mfa not in (before, pending)
    assert client.session["_auth_user_id"] == str(user.pk)


def _password_step(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )
    assert response["Location"].startswith(reverse("mfa_authenticate"))


@pytest.mark.django_db
def test_a_used_authenticator_code_is_refused_when_replayed(demo, client):
    """A code that completed one login cannot complete another (RFC 6238 section 5.2):
    someone who saw it typed gets nothing."""
    from testkit import _period

    user = demo.users["attorney2"]
    _password_step(client, user)
    code = totp_code(user)
    period = _period()[0]
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.session["_auth_user_id"] == str(user.pk)
    client.logout()
    _password_step(client, user)
    replay = client.post(reverse("mfa_authenticate"), {"code": code})
    assert _period()[0] == period  # still the code's own period: refused as a replay
    assert "_auth_user_id" not in client.session
    assert "Incorrect code" in replay.content.decode()


@pytest.mark.django_db
def test_a_wrong_authenticator_code_is_refused(demo, client):
    """A wrong code completes no login; the right one then does."""
    user = demo.users["trustee"]
    _password_step(client, user)
    right = totp_code(user)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    refused = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert "_auth_user_id" not in client.session
    assert "Incorrect code" in refused.content.decode()
    client.post(reverse("mfa_authenticate"), {"code": right})
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_session_key_changes_on_login_without_mfa(demo, client, settings):
    user = demo.users["public"]
    client.session.save()
    before = _session_key(client, settings)
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert _session_key(client, settings) != before


@pytest.mark.django_db
def test_failed_logins_are_rate_limited(demo, client):
    """After five wrong passwords for one account, even the right one is refused for a
    while. The account has no second factor, so nothing but the limit stands between
    the right password and a session."""
    from allauth.mfa.models import Authenticator

    user = demo.users["public"]
    assert not Authenticator.objects.filter(user=user).exists()
    login = reverse("account_login")
    statuses = [
        client.post(login, {"login": user.email, "password": f"wrong-{i}"}).status_code
        for i in range(5)
    ]
    assert statuses == [200] * 5
    refused = client.post(login, {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in refused.content.decode()


@pytest.mark.django_db
def test_password_resets_are_rate_limited(demo, client):
    statuses = [
        client.post(
            reverse("account_reset_password"), {"email": "attorney@ecf.test"}
        ).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429


@pytest.mark.django_db
def test_every_filing_role_needs_mfa_to_file(demo):
    from allauth.mfa.models import Authenticator

    from filers.models import Filer
    from filers.permissions import can_file, filing_blockers

    filers = Filer.objects.filter(status=Filer.Status.CERTIFIED).select_related("user")
    roles = set()
    for filer in filers:
        user = filer.user
        Authenticator.objects.filter(user=user).delete()
        assert not can_file(user)
        assert (
            "Set up two-factor authentication before your first filing."
            in filing_blockers(user)
        )
        roles.add(user.role)
    assert {"attorney", "creditor", "trustee", "filing_agent"} <= roles


def test_password_policy_refuses_weak_passwords():
    for weak in ("short1!", "password1234", "123456789012"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("correct horse battery staple 7")
