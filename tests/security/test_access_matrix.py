"""Every URL x every role x the objects each may and may not see (see access_matrix.py)."""

from __future__ import annotations

import pytest
from access_matrix import (
    COURT_ROLES,
    EXEMPT_PREFIXES,
    MISSING,
    OBJECTS,
    ROLES,
    ROWS,
    SEALED_TEXT,
)
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from matrixworld import world_fixture  # noqa: F401  (registers the `world` fixture)

LOGIN = "/accounts/login/"
PRIVATE_VARIANTS = {
    # variant -> roles that may get a 200 for it (besides the court)
    "sealed_document": set(),
    "sealed_entry": set(),
    "restricted_document": {"trustee"},  # the case's trustee may be the demo trustee
    "restricted_entry": {"trustee"},
    "attorney_draft": {"attorney"},
}


def url_names(resolver=None, ns: str = "") -> list[str]:
    """Every named URL pattern, with its namespace, walked recursively."""
    names: list[str] = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            names += url_names(
                pattern, ns + (f"{pattern.namespace}:" if pattern.namespace else "")
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(ns + pattern.name)
    return sorted(set(names))


def is_exempt(name: str) -> bool:
    return any(name.startswith(prefix) for prefix in EXEMPT_PREFIXES)


def _variants(row, world) -> list[tuple[str, dict]]:
    """All argument combinations for one row: (label of the private variant or '', kwargs)."""
    combos: list[tuple[str, dict]] = [("", {})]
    for kwarg, kind in row.kwargs.items():
        options = OBJECTS.get(kind) if isinstance(kind, str) else None
        if options is None:
            options = [world.get(kind, kind)] if isinstance(kind, str) else [kind]
            labelled = [("", value) for value in options]
        else:
            labelled = [
                (
                    o if isinstance(o, str) and o in PRIVATE_VARIANTS else "",
                    world[o] if isinstance(o, str) else o,
                )
                for o in options
            ]
        combos = [
            (lab or lab2, {**kw, kwarg: value})
            for lab, kw in combos
            for lab2, value in labelled
        ]
    return combos


def classify(response) -> str:
    if response.status_code >= 500:
        return "error"
    if response.status_code in (301, 302, 303, 307, 308):
        return "login" if response["Location"].startswith(LOGIN) else "redirect"
    if response.status_code < 300:
        return "ok"
    return "denied"


def allowed(
    policy: str, role: str, variant: str, *, posted: bool = False, missing: bool = False
) -> set[str]:
    everything = {"ok", "redirect", "denied", "login"}
    if missing:
        return {"denied", "login"} | ({"redirect"} if posted else set())
    if policy == "public":
        result = {"ok", "redirect"}
    elif policy == "login":
        result = {"login"} if role == "anonymous" else {"ok", "redirect", "denied"}
    elif policy == "filer":
        result = (
            {"login", "denied"} if role == "anonymous" else {"ok", "redirect", "denied"}
        )
    elif policy == "owner":
        if role == "anonymous":
            result = {"login", "denied"}
        elif role == "creditor":
            result = {"ok", "redirect"} | ({"denied"} if posted else set())
        elif role in COURT_ROLES:
            result = {"ok", "redirect", "denied"}
        else:
            result = {"denied", "login"}
    elif policy in ("court", "clerk", "chambers"):
        answered = {"court": COURT_ROLES, "clerk": {"clerk"}, "chambers": {"judge"}}[
            policy
        ]
        if role == "anonymous":
            result = {"login", "denied"}
        elif role in answered:
            result = {"ok", "redirect"} | ({"denied"} if posted else set())
        else:
            result = {"denied", "login"}
    else:
        result = everything
    if variant and role not in COURT_ROLES and role in PRIVATE_VARIANTS[variant]:
        result |= {"denied"}
    elif variant and role not in COURT_ROLES:
        # An object this role may not see: never answered with its content, whatever the policy.
        result = (result - {"ok"}) | {"denied", "login"} - (
            {"login"} if role != "anonymous" else set()
        )
        if policy == "public" and role != "anonymous":
            result |= {"denied"}
    return result


class _Rollback(Exception):
    pass


def _request(client, url: str, *, post: bool):
    """GET (or POST with no data where GET is not allowed), rolled back afterwards."""
    block = transaction.atomic()
    # As Django's TestCase does: services' durable blocks may nest here. The flag is
    # Django's private attribute, which the stubs do not declare.
    block._from_testcase = True  # type: ignore[attr-defined]
    response = None
    posted = post
    try:
        with block:
            response = client.post(url, {}) if post else client.get(url)
            if response.status_code == 405 and not post:
                response = client.post(url, {})
                posted = True
            raise _Rollback
    except _Rollback:
        pass
    return response, posted


def test_every_url_has_a_row():
    names = url_names()
    missing = [n for n in names if not is_exempt(n) and n not in ROWS]
    assert not missing, (
        f"URLs without a row in tests/security/access_matrix.py: {missing}"
    )
    stale = [n for n in ROWS if n not in names]
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


@pytest.mark.django_db(databases=["default", "training"])
def test_access_matrix(world):
    users = world["users"]
    clients = {"anonymous": Client(raise_request_exception=False)}
    for role in ROLES[1:]:
        clients[role] = Client(raise_request_exception=False)
        clients[role].force_login(users[role])
    failures: list[str] = []
    checks = 0
    names = [n for n in url_names() if n in ROWS]
    for name in names:
        row = ROWS[name]
        for variant, kwargs in _variants(row, world):
            url = reverse(name, kwargs=kwargs or None)
            for role in ROLES:
                client = clients[role]
                response, posted = _request(client, url, post=row.post)
                checks += 1
                outcome = classify(response)
                missing = MISSING in kwargs.values()
                ok = allowed(row.policy, role, variant, posted=posted, missing=missing)
                where = f"{name} {url} as {role}"
                if outcome not in ok:
                    failures.append(
                        f"{where}: got {response.status_code} ({outcome}), expected {sorted(ok)}"
                    )
                if role not in COURT_ROLES and hasattr(response, "content"):
                    body = response.content.decode(errors="replace")
                    if SEALED_TEXT in body or world["sealed_file"] in body:
                        failures.append(
                            f"{where}: response contains sealed text or file name"
                        )
    # The leak check means something: the court does see the sealed entry on the docket.
    sealed_docket = clients["clerk"].get(
        reverse("dockets:docket", kwargs={"case_id": world["sealed_case_id"]})
    )
    assert SEALED_TEXT in sealed_docket.content.decode()
    print(
        f"\naccess matrix: {len(names)} URLs x {len(ROLES)} roles = {checks} checks, {len(failures)} failures"
    )
    assert not failures, "\n".join(failures)
