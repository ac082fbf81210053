"""Two PostgreSQL databases: this instance's own, and (on live) the `training` alias.

The `training` alias is used only by the training app (ARCHITECTURE.md). On the
training instance, "default" is the training database and there is no second alias.
"""

from ecf.env import env
from ecf.instance import IS_TRAINING

_live = env.db_url("DATABASE_URL")
_training = env.db_url("TRAINING_DATABASE_URL")
for _db in (_live, _training):
    _db["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
    # A kept connection is pinged (SELECT 1) before its first query in each request or
    # task, so one the database dropped (a restart, a failover) is replaced without
    # failing anything. Without the ping (false) such a connection costs one request
    # the 503 "try again" (core.middleware.DatabaseUnavailableMiddleware; the API
    # answers 503 too) and is replaced for the next: the ping costs ~0.1 ms a request.
    _db["CONN_HEALTH_CHECKS"] = env.bool("DJANGO_CONN_HEALTH_CHECKS", default=True)
    _db.setdefault("OPTIONS", {})["connect_timeout"] = 5
    # Values travel as parameters, not quoted into the SQL text, so core.compiled can
    # run its queries as prepared statements (planned once per connection). Nothing
    # else is prepared: psycopg would prepare a query after this many runs on one
    # connection, i.e. never (None, Django's default, would refuse core.compiled too).
    _db["OPTIONS"]["server_side_binding"] = True
    # Django's backend, with bulk writes in batches of at most 65,535 parameters
    # (the most one server-bound statement takes: ecf/db/base.py).
    _db["ENGINE"] = "ecf.db"
    _db["OPTIONS"]["prepare_threshold"] = 2**31 - 1

if IS_TRAINING:
    DATABASES = {"default": _training}
else:
    DATABASES = {"default": _live, "training": _training}

DATABASE_ROUTERS = ["ecf.routers.TrainingRouter"]
