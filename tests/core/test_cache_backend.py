"""core.cache.RedisCache: Django's Redis cache, one redis-py client per pool."""

from __future__ import annotations

from django.core.cache import cache


def test_the_cache_works_and_reuses_one_redis_client():
    cache.set("ecf-test-key", {"n": 1}, 30)
    assert cache.get("ecf-test-key") == {"n": 1}
    assert cache.add("ecf-test-key", 2, 30) is False
    cache.delete("ecf-test-key")
    assert cache.add("ecf-test-key", 3, 30) is True
    assert cache.incr("ecf-test-key") == 4
    # Django's own client made a new redis.Redis per call (~0.9 ms each to build its
    # response callbacks): one per pool now, for every key and call.
    backend = cache._cache  # type: ignore[attr-defined]
    first = backend.get_client("ecf-test-key", write=True)
    assert backend.get_client("another-key", write=True) is first
    assert first.ping()
