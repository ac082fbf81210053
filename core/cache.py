"""The cache backend: Django's Redis cache with one Redis client per connection pool.

Django's RedisCacheClient makes a new `redis.Redis` for every cache call, and redis-py
builds its table of ~200 response callbacks in each (~0.9 ms of CPU a time; an API
filing made three: the throttle and its submission guard's add and delete). A
`redis.Redis` holds no connection of its own (its pool lends one per command, and the
pool starts afresh in a forked child), so one per pool serves every thread.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _PooledClients(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's RedisCacheClient; the stubs leave these attributes out.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[id(pool)] = client
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _PooledClients
