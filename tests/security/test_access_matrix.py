"""Every URL x every role and status x real objects of other users: one exact answer each
(see access_matrix.py for the columns, policies and the 403/404 rule)."""

from __future__ import annotations

import pytest
from access_matrix import (
    COURT_ROLES,
    EXEMPT_PREFIXES,
    OBJECTS,
    ROLES,
    ROWS,
    SEALED_TEXT,
    STATUS_ROLES,
    STATUSES,
)
from django.contrib.messages import constants, get_messages
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from matrixworld import world_fixture  # noqa: F401  (registers the `world` fixture)

LOGIN = "/accounts/login/"


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
    """Every argument combination of one row: (label of the object variant, kwargs)."""
    combos: list[tuple[str, dict]] = [("", {})]
    for kwarg, kind in row.kwargs.items():
        if isinstance(kind, str) and kind in OBJECTS:
            options = [(key, world[key]) for key in OBJECTS[kind]]
        elif isinstance(kind, str) and kind in world:
            options = [(kind, world[kind])]
        else:
            options = [("", kind)]  # a literal (a step name, a forged token)
        combos = [
            (label or label2, {**kwargs, kwarg: value})
            for label, kwargs in combos
            for label2, value in options
        ]
    return combos


def classify(response) -> str:
    """One outcome: the status code, "login", "302", or "302!" (a redirect whose page
    will show an error message: a POST refused in words)."""
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        if response["Location"].startswith(LOGIN):
            return "login"
        refused = any(
            m.level == constants.ERROR for m in get_messages(response.wsgi_request)
        )
        return "302!" if refused else "302"
    return str(code)


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


def test_every_row_states_one_answer_for_every_column():
    """Each row gives each column and object variant exactly one outcome."""
    for name, row in ROWS.items():
        for column in [*ROLES, *STATUSES]:
            assert row.outcome(column), name
        if row.policy == "any":
            assert "every" in row.expect, f"{name}: policy any states `every`"
        if row.policy == "owner":
            assert row.owner in ROLES, f"{name}: whose object is it?"


def _clients(world) -> dict:
    clients = {"anonymous": Client(raise_request_exception=False)}
    accounts = dict(world["users"])
    for (status, role), user in world["status_users"].items():
        accounts[f"{status}/{role}"] = user
    for key, user in accounts.items():
        if key == "anonymous":
            continue
        clients[key] = Client(raise_request_exception=False)
        clients[key].force_login(user)
    return clients


@pytest.mark.django_db(databases=["default", "training"])
def test_access_matrix(world, settings):
    # The API's own rate limits would answer 429 to the matrix's many anonymous calls.
    settings.ECF_API_ANON_RATE_PER_MINUTE = 100_000
    settings.ECF_API_TOKEN_RATE_PER_MINUTE = 100_000
    clients = _clients(world)
    failures: list[str] = []
    checks = 0
    names = [n for n in url_names() if n in ROWS]
    turn = 0
    for name in names:
        row = ROWS[name]
        for variant, kwargs in _variants(row, world):
            url = reverse(name, kwargs=kwargs or None)
            # Each status column asks with the next role of STATUS_ROLES, so every
            # role is tried pending and suspended across the rows.
            columns = [(role, role) for role in ROLES] + [
                (
                    status,
                    f"{status}/{STATUS_ROLES[(turn + 3 * i) % len(STATUS_ROLES)]}",
                )
                for i, status in enumerate(STATUSES)
            ]
            turn += 1
            for column, account in columns:
                response, _posted = _request(clients[account], url, post=row.post)
                checks += 1
                outcome = classify(response)
                expected = row.outcome(column, variant)
                where = f"{name} {url} [{variant or '-'}] as {account}"
                if outcome != expected:
                    failures.append(
                        f"{where}: got {response.status_code} ({outcome}), expected {expected}"
                    )
                if column not in COURT_ROLES and hasattr(response, "content"):
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
        f"\naccess matrix: {len(names)} URLs x {len(ROLES) + len(STATUSES)} columns"
        f" = {checks} checks, {len(failures)} failures"
    )
    assert not failures, "\n".join(failures)
