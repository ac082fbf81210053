"""The API's rate limit: a sliding minute per token (or per client address without
one), decided in one Redis round trip (issue 21: every API request pays it)."""

import datetime as dt

import pytest
import redis.connection
import time_machine
from django.test import override_settings

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 11, 26, 12, 0, 0, tzinfo=dt.UTC)


@pytest.fixture
def redis_round_trips(monkeypatch):
    """How many times this process has sent Redis a command (or a pipeline)."""
    sent = []
    original = redis.connection.AbstractConnection.send_packed_command

    def counted(connection, *args, **kwargs):
        sent.append(1)
        return original(connection, *args, **kwargs)

    monkeypatch.setattr(
        redis.connection.AbstractConnection, "send_packed_command", counted
    )
    return sent


def test_an_api_read_costs_one_redis_round_trip(
    client, demo, opened_case, make_token, redis_round_trips
):
    """The rate limit is the only thing an API read asks Redis, and it asks once:
    a read with a token and a read without one."""
    url = f"/api/v1/cases/{opened_case.pk}"
    headers = {"Authorization": f"Bearer {make_token(demo.users['attorney'])}"}
    assert client.get(url, headers=headers).status_code == 200  # warm (script loaded)
    for kwargs in ({"headers": headers}, {}):
        redis_round_trips.clear()
        assert client.get(url, **kwargs).status_code == 200
        assert len(redis_round_trips) == 1


@override_settings(ECF_API_ANON_RATE_PER_MINUTE=3)
def test_the_window_slides_and_refused_requests_do_not_count(client, demo, opened_case):
    """Three a minute: the fourth in the minute is refused with the seconds until the
    oldest leaves the window; refused requests never extend the wait; once the oldest
    is a minute old one more gets through, and only one."""
    url = f"/api/v1/cases/{opened_case.pk}"

    def get_at(seconds: float):
        with time_machine.travel(START + dt.timedelta(seconds=seconds), tick=False):
            return client.get(url)

    assert get_at(0).status_code == 200
    assert [get_at(20).status_code for _ in range(2)] == [200, 200]
    for _ in range(5):  # a client that keeps hammering
        refused = get_at(30)
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "rate_limited"
        # 30 s until the request at 0 s is a minute old.
        assert refused["Retry-After"] == "30"
    assert get_at(60.5).status_code == 200  # the request at 0 s has left the window
    again = get_at(61)
    assert again.status_code == 429
    assert again["Retry-After"] == "19"  # the two at 20 s leave at 80 s
    assert get_at(80.5).status_code == 200


@override_settings(ECF_API_TOKEN_RATE_PER_MINUTE=2, ECF_API_ANON_RATE_PER_MINUTE=1)
def test_each_token_has_its_own_window(client, demo, opened_case, make_token):
    url = f"/api/v1/cases/{opened_case.pk}"
    first = {"Authorization": f"Bearer {make_token(demo.users['attorney'])}"}
    second = {"Authorization": f"Bearer {make_token(demo.users['attorney'])}"}
    with time_machine.travel(START, tick=False):
        assert [client.get(url, headers=first).status_code for _ in range(3)] == [
            200,
            200,
            429,
        ]
        assert client.get(url, headers=second).status_code == 200
        # The address's own (anonymous) window is untouched by token requests.
        assert [client.get(url).status_code for _ in range(2)] == [200, 429]
