"""Every API request looks its token up; the query is compiled once per process
(core.compiled_lookup.CompiledLookup, issue 21) and answers what the ORM's own would."""

import datetime as dt
from typing import Any

import pytest
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_the_compiled_lookup_answers_what_the_orm_answers(demo, make_token):
    """Field by field, with the user, the filer, two-factor, the fee lockout at the
    call's own cutoff and the stored response for a key, in both shapes."""
    from dockets.api.auth import _TOKEN, token_query
    from dockets.api.models import ApiToken
    from dockets.api.services import token_digest

    make_token(demo.users["attorney"])
    make_token(demo.users["creditor"])
    assert ApiToken.objects.count() >= 2
    cutoffs = [timezone.now(), timezone.now() - dt.timedelta(days=3650)]
    for token in ApiToken.objects.all():
        for shape, key in (("plain", ""), ("key", "some-key-0001")):
            for cutoff in cutoffs:
                values: dict[str, Any] = {
                    "digest": token.digest,
                    "key": key,
                    "cutoff": cutoff,
                }
                expected = token_query(shape=shape, **values).get()
                got = _TOKEN.first(shape, **values)
                assert got is not None
                for field in ApiToken._meta.concrete_fields:
                    assert getattr(got, field.attname) == getattr(
                        expected, field.attname
                    )
                for name in ("user_has_mfa", "user_fees_overdue", "stored_response_id"):
                    assert getattr(got, name) == getattr(expected, name)
                assert got.user.pk == expected.user.pk
                assert got.user.email == expected.user.email
                assert (got.user.filer_or_none and got.user.filer_or_none.pk) == (
                    expected.user.filer_or_none and expected.user.filer_or_none.pk
                )
    assert (
        _TOKEN.first(
            "plain", digest=token_digest("ecf_unknown"), key="", cutoff=cutoffs[0]
        )
        is None
    )


def test_an_api_request_does_not_compile_the_token_lookup_again(
    client, demo, opened_case, bearer, monkeypatch
):
    from dockets.api.models import ApiToken

    headers = bearer(demo.users["attorney"])
    url = f"/api/v1/cases/{opened_case.pk}"
    assert client.get(url, headers=headers).status_code == 200
    compiled = []
    original = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        if self.query.model is ApiToken:
            compiled.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert response.wsgi_request.api_token.user == demo.users["attorney"]
    assert compiled == []
